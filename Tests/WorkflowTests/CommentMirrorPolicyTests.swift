import Foundation
import Testing
import ThreadpressModel
import Workflow

@Suite struct CommentMirrorPolicyTests {
    func comment(_ id: String, _ status: BlogComment.Status = .approved, post: String = "7", minute: Int = 0) -> BlogComment {
        BlogComment(
            id: id, status: status, authorName: "reader \(id)", text: "text \(id)",
            date: Date(timeIntervalSince1970: 1_795_770_000 + Double(minute * 60)), postID: post, postTitle: "Post \(post)")
    }

    typealias Key = CommentMirrorPolicy.Forgotten

    @Test func heldCommentsAreRememberedSilentlyThenAnnouncedOnceWhenApproved() {
        let policy = CommentMirrorPolicy(announcementLimit: 5)
        // Poll 1: one approved, one held.
        let first = policy.plan(listed: [comment("1"), comment("2", .held, minute: 1)], rechecked: nil, heldIDs: []) { _, _ in .new }
        #expect(first.announce.map(\.id) == ["1"])
        #expect(first.newlyHeld == 1)
        #expect(first.records.map { [$0.comment.id: $0.state] } == [["1": .announced], ["2": .held]])
        // Poll 2, days later: the cursor moved past comment 2, but the re-check finds it approved.
        let history: [String: CommentMirrorPolicy.History] = ["1": .announced, "2": .held]
        let second = policy.plan(
            listed: [], rechecked: [comment("2", .approved, minute: 1)], heldIDs: [Key(postID: "7", commentID: "2")]
        ) { _, id in history[id] ?? .new }
        #expect(second.announce.map(\.id) == ["2"])
        #expect(second.newlyHeld == 0)
        #expect(second.forget.isEmpty)
        // Poll 3: listed again by the engine, it is not announced twice.
        let third = policy.plan(listed: [comment("2")], rechecked: nil, heldIDs: []) { _, _ in .announced }
        #expect(third.announce.isEmpty && third.records.isEmpty)
    }

    @Test func aHeldCommentTheBlogDroppedIsForgotten() {
        let plan = CommentMirrorPolicy().plan(
            listed: [], rechecked: [], heldIDs: [Key(postID: "7", commentID: "9")]) { _, _ in .held }
        #expect(plan.forget == [Key(postID: "7", commentID: "9")])
        #expect(plan.announce.isEmpty)
    }

    @Test func aFloodIsAnnouncedUpToTheLimitAndSummarised() {
        let listed = (0..<5_000).map { comment("c\($0)", minute: $0) }
        let plan = CommentMirrorPolicy(announcementLimit: 3).plan(listed: listed, rechecked: nil, heldIDs: []) { _, _ in .new }
        #expect(plan.announce.map(\.id) == ["c0", "c1", "c2"])
        #expect(plan.summarised.count == 4_997)
        #expect(plan.records.count == 5_000)
        #expect(WorkflowText.commentSummary(plan.summarised) == "…and 4997 more new comments on \"Post 7\"; read them on the blog")
    }

    @Test func theSameIdOnTwoPostsIsTwoComments() {
        let plan = CommentMirrorPolicy().plan(
            listed: [comment("1", post: "7"), comment("1", post: "8"), comment("1", post: "7")], rechecked: nil, heldIDs: []
        ) { _, _ in .new }
        #expect(plan.announce.map(\.postID) == ["7", "8"])
    }
}

@Suite struct BlogRetryPolicyTests {
    let now = Date(timeIntervalSince1970: 1_795_770_000)

    @Test(arguments: [
        // attempts, jitter, Retry-After, expected delay in seconds
        (0, 0.0, nil as Double?, 5.0), (1, 0.0, nil, 10.0), (3, 0.0, nil, 40.0), (10, 0.0, nil, 900.0),
        (0, 0.5, nil, 5.5), (0, 0.0, 120.0, 120.0), (2, 0.0, 1.0, 20.0),
    ])
    func transientFailuresBackOffWithJitterAndHonourRetryAfter(attempts: Int, jitter: Double, retryAfter: Double?, delay: Double) {
        let policy = BlogRetryPolicy(random: { jitter })
        let error = BlogEngineError("blog unreachable", kind: .transient, httpStatus: 503, retryAfter: retryAfter)
        let decision = policy.decide(after: error, attempts: attempts, isPublish: true, now: now)
        #expect(decision.retryAt == now.addingTimeInterval(delay))
        #expect(decision.tellChannel == (attempts == 0))
        #expect(!decision.reopenDraft)
    }

    @Test(arguments: [BlogEngineError.Kind.permanent, .conflict])
    func permanentAndConflictGiveUpTellAndReopenAPublish(kind: BlogEngineError.Kind) {
        let policy = BlogRetryPolicy(random: { 0 })
        let publish = policy.decide(after: BlogEngineError("no", kind: kind), attempts: 4, isPublish: true, now: now)
        #expect(publish == .init(retryAt: nil, tellChannel: true, reopenDraft: true))
        let create = policy.decide(after: BlogEngineError("no", kind: kind), attempts: 0, isPublish: false, now: now)
        #expect(create == .init(retryAt: nil, tellChannel: true, reopenDraft: false))
    }

    @Test func anUnclassifiedErrorIsTransient() {
        struct Timeout: Error {}
        #expect(BlogEngineError.classify(Timeout()).kind == .transient)
        #expect(BlogEngineError.classify(BlogEngineError("x", kind: .conflict)).kind == .conflict)
    }
}

@Suite struct CommandRateLimiterTests {
    let start = Date(timeIntervalSince1970: 1_795_770_000)

    @Test func aBurstIsAllowedThenRefusedOnceThenSilently() {
        var limiter = CommandRateLimiter(burst: 2, perMinute: 6)
        let verdicts = (0..<5).map { _ in limiter.admit("mallory", at: start) }
        #expect(verdicts == [.allowed, .allowed, .refusedTellOnce(retryAfterSeconds: 10), .refusedSilently, .refusedSilently])
        // Someone else is not affected.
        #expect(limiter.admit("alice", at: start) == .allowed)
        // Ten seconds later one token is back.
        #expect(limiter.admit("mallory", at: start.addingTimeInterval(10)) == .allowed)
        #expect(limiter.admit("mallory", at: start.addingTimeInterval(10)) == .refusedSilently)
        // After a quiet spell long enough to fill the bucket, a new flood is told again.
        let later = start.addingTimeInterval(60)
        #expect((0..<3).map { _ in limiter.admit("mallory", at: later) } == [.allowed, .allowed, .refusedTellOnce(retryAfterSeconds: 10)])
    }
}
