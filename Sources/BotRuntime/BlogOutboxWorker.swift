import BlogEngines
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SQLiteStorage
import ThreadpressModel
import Workflow

/// Carries out queued blog operations (create, publish, discard) against the engine.
///
/// Each operation was written to the outbox before this runs, and is marked started before the
/// engine is called; an operation that was started before (and may have acted before its answer
/// was lost) first asks the engine to ``BlogEngine/find(key:)`` what it already made. Every failure,
/// whatever its type, is classified (``BlogEngineError/classify(_:)``) and handed to
/// ``BlogRetryPolicy``: no engine failure can stop the bot.
public struct BlogOutboxWorker: Sendable {
    public let store: SQLiteStore
    public let engine: any BlogEngine
    public let tags: [String]
    public let timeZone: IANATimeZone
    public let logger: BotLogger
    public var clock: @Sendable () -> Date = { Date() }
    public var policy = BlogRetryPolicy()
    /// Under ``ConsentPolicy/pseudonymous``, people who did not `!ok` are renamed in what the blog gets.
    public var consentPolicy = ConsentPolicy.open
    /// Whether nicks identify people (for matching consent answers to lines).
    public var trustsNicks = false

    public init(store: SQLiteStore, engine: any BlogEngine, tags: [String], timeZone: IANATimeZone, logger: BotLogger) {
        self.store = store
        self.engine = engine
        self.tags = tags
        self.timeZone = timeZone
        self.logger = logger
    }

    /// Runs every operation that is due now, each at most once per call (an operation that becomes
    /// runnable because an earlier one finished, such as a publish after its create, runs too).
    /// Each step is one indexed query, so the cost per operation does not grow with the outbox.
    /// Returns how many ran.
    @discardableResult
    public func drain() async throws -> Int {
        try await drainOperations() + drainCommentActions()
    }

    private func drainOperations() async throws -> Int {
        var ran = 0
        var cursor: Int64 = 0
        var restarted = false
        while true {
            try Task.checkCancellation()
            let now = clock()
            let after = cursor
            guard let operation = try await store.asyncRead({ try $0.nextRunnableBlogOperation(after: after, at: now) }) else {
                // One more pass from the start picks up operations that a finished one unblocked
                // (a publish waiting for its create has a higher id, so it is normally found anyway).
                if restarted || ran == 0 { break }
                restarted = true
                cursor = 0
                continue
            }
            cursor = operation.id
            try await run(operation)
            ran += 1
        }
        return ran
    }

    private func run(_ operation: BlogOperation) async throws {
        guard let (draft, lines, answers) = try await store.asyncRead({ transaction -> (DraftRecord, [ChatMessage], [ConsentAnswer])? in
            guard let draft = try transaction.draft(number: operation.draftNumber) else { return nil }
            return (draft, try transaction.lines(ofDraft: draft.number), try transaction.consent(ofDraft: draft.number))
        }) else {
            try await store.asyncWrite { try $0.failBlogOperation(operation.id, error: "draft not found", retryAt: nil) }
            return
        }
        // What the blog gets: under the pseudonymous policy, names only for those who agreed.
        let shown = DraftConsent(policy: consentPolicy, lines: lines, answers: answers, trustsNicks: trustsNicks)
            .rendered(lines)
        let post = PostDraft(
            key: draft.key, number: draft.number, title: draft.title, created: draft.created,
            tags: tags + draft.tags.filter { !tags.contains($0) },
            authors: shown.authors, lines: shown.lines, timeZone: timeZone, intro: draft.intro)
        do {
            switch operation.kind {
            case .create:
                if draft.state == .rejected || draft.reference != nil {
                    try await store.asyncWrite { try $0.completeBlogOperation(operation.id, at: clock()) }
                    return
                }
                try await store.asyncWrite { try $0.markBlogOperationStarted(operation.id, at: clock()) }
                let reference = try await existingOrNewDraft(post, wasStarted: operation.wasStarted)
                try await store.asyncWrite { transaction in
                    try transaction.setReference(reference, engine: engine.identifier, ofDraft: draft.number)
                    try transaction.completeBlogOperation(operation.id, at: clock())
                    if let edit = reference.editLocation {
                        // Where the promoter can polish it before an approver publishes it.
                        try transaction.enqueue(
                            ChatReply(
                                channel: draft.channel,
                                text: WorkflowText.draftWritten(number: draft.number, editLocation: edit, requestedBy: operation.requestedBy)))
                    }
                }
                logger.info("draft \(draft.number) written to \(reference.location)")

            case .publish:
                try await store.asyncWrite { try $0.markBlogOperationStarted(operation.id, at: clock()) }
                // A create that failed for good left no draft on the blog: write it now (after
                // asking the engine whether an earlier attempt made it after all).
                let reference: PostReference
                if let existing = draft.reference {
                    reference = existing
                } else {
                    reference = try await existingOrNewDraft(post, wasStarted: true)
                }
                let now = clock()
                // Dated when approved, the same on every retry (a retry after a lost answer must
                // ask for what the first attempt asked for, so the engine recognises it).
                let published = try await engine.publish(
                    post, reference: reference, at: operation.publishAt ?? operation.requested)
                try await store.asyncWrite { transaction in
                    try transaction.setReference(published, engine: engine.identifier, ofDraft: draft.number)
                    try transaction.setState(.published, ofDraft: draft.number, at: now)
                    try transaction.completeBlogOperation(operation.id, at: now)
                    try transaction.enqueue(
                        ChatReply(
                            channel: draft.channel,
                            text: published.status == .scheduled
                                ? WorkflowText.scheduled(
                                    number: draft.number, title: draft.title, at: operation.publishAt ?? now,
                                    timeZone: timeZone, location: published.location, requestedBy: operation.requestedBy)
                                : WorkflowText.published(
                                    number: draft.number, title: draft.title, location: published.location,
                                    requestedBy: operation.requestedBy),
                            priority: .reply))
                }
                logger.info("draft \(draft.number) published at \(published.location)")

            case .update:
                // Nothing on the blog yet (its create writes the current state), gone, or edited by
                // a person there: nothing to rewrite.
                guard draft.state != .rejected, !draft.editedOnBlog, let reference = draft.reference else {
                    try await store.asyncWrite { try $0.completeBlogOperation(operation.id, at: clock()) }
                    return
                }
                try await store.asyncWrite { try $0.markBlogOperationStarted(operation.id, at: clock()) }
                let updated = try await engine.update(post, reference: reference)
                try await store.asyncWrite { transaction in
                    try transaction.setReference(updated, engine: engine.identifier, ofDraft: draft.number)
                    try transaction.completeBlogOperation(operation.id, at: clock())
                }
                logger.info("draft \(draft.number) rewritten at \(updated.location)")

            case .discard:
                try await store.asyncWrite { try $0.markBlogOperationStarted(operation.id, at: clock()) }
                var reference = draft.reference
                if reference == nil, operation.wasStarted { reference = try await engine.find(key: draft.key) }
                if let reference, reference.status == .draft {
                    try await engine.discard(reference)
                }
                try await store.asyncWrite { try $0.completeBlogOperation(operation.id, at: clock()) }
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            try await recordFailure(BlogEngineError.classify(error), of: operation, draft: draft)
        }
    }

    /// Runs due `!comment` and `!reply` actions, oldest first, each at most once per call.
    private func drainCommentActions() async throws -> Int {
        var ran = 0
        var seen = Set<Int64>()
        while true {
            try Task.checkCancellation()
            let now = clock()
            guard let action = try await store.asyncRead({ try $0.nextCommentAction(at: now) }),
                seen.insert(action.id).inserted
            else { return ran }
            ran += 1
            let said: String
            do {
                switch action.kind {
                case .moderate(let moderation):
                    try await engine.moderate(commentID: action.commentID, to: moderation)
                    said = WorkflowText.commentModerated(id: action.commentID, action: moderation, requestedBy: action.requestedBy)
                case .reply(let text):
                    let reply = try await engine.reply(toCommentID: action.commentID, text: text)
                    said = WorkflowText.commentAnswered(id: action.commentID, link: reply.link, requestedBy: action.requestedBy)
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let failure = BlogEngineError.classify(error)
                let decision = policy.decide(after: failure, attempts: action.attempts, isPublish: false, now: clock())
                logger.warning("comment \(action.commentID): \(failure.message)" + (decision.retryAt == nil ? "; giving up" : "; retrying later"))
                let clock = clock
                try await store.asyncWrite { transaction in
                    try transaction.failCommentAction(action.id, error: failure.message, retryAt: decision.retryAt, at: clock())
                    if decision.tellChannel {
                        try transaction.enqueue(
                            ChatReply(
                                channel: action.channel,
                                text: WorkflowText.commentActionFailed(
                                    id: action.commentID, error: failure.message, willRetry: decision.retryAt != nil,
                                    requestedBy: action.requestedBy)))
                    }
                }
                continue
            }
            let clock = clock
            try await store.asyncWrite { transaction in
                try transaction.completeCommentAction(action.id, at: clock())
                try transaction.enqueue(ChatReply(channel: action.channel, text: said))
            }
        }
    }

    /// The post an interrupted attempt already made, or a new draft.
    private func existingOrNewDraft(_ post: PostDraft, wasStarted: Bool) async throws -> PostReference {
        if wasStarted, let existing = try await engine.find(key: post.key) {
            logger.info("draft \(post.number) was already on the blog (an earlier attempt made it): \(existing.location)")
            return existing
        }
        return try await engine.createDraft(post)
    }

    private func recordFailure(_ error: BlogEngineError, of operation: BlogOperation, draft: DraftRecord) async throws {
        let decision = policy.decide(
            after: error, attempts: operation.attempts, isPublish: operation.kind == .publish, now: clock())
        let verb: String
        switch operation.kind {
        case .create: verb = "write"
        case .publish: verb = "publish"
        case .discard: verb = "remove"
        case .update: verb = "rewrite"
        }
        logger.warning(
            "blog \(verb) of draft \(draft.number) failed (attempt \(operation.attempts + 1), \(error.kind.rawValue)): "
                + "\(error.message)" + (decision.retryAt == nil ? "; giving up" : "; retrying later"))
        try await store.asyncWrite { transaction in
            try transaction.failBlogOperation(
                operation.id, error: error.message, retryAt: decision.retryAt, at: clock())
            if error.kind == .conflict, operation.kind == .update {
                // A person changed the post on the blog: from now on it is edited there.
                try transaction.markEditedOnBlog(draft: draft.number)
            }
            if decision.reopenDraft && operation.kind != .update {
                // Let an approver try again once the cause is fixed.
                try transaction.setState(.open, ofDraft: draft.number)
            }
            if decision.tellChannel {
                try transaction.enqueue(
                    ChatReply(
                        channel: draft.channel,
                        text: WorkflowText.blogFailure(
                            operation: verb, number: draft.number, error: error.message,
                            willRetry: decision.retryAt != nil, conflict: error.kind == .conflict,
                            requestedBy: operation.requestedBy)))
            }
        }
    }
}
