import BlogEngines
import BotRuntime
import ChatTransports
import CurlHTTP
import Foundation
import JSON
import SQLiteStorage
import Testing
import ThreadpressModel
import ThreadpressTesting
import Workflow
import WordPressBlog

/// The whole bot — a real log file, a real SQLite store — publishing to the real WordPress of
/// `Scripts/wordpress-test-server`. Faults are added to the real engine, never instead of it.
/// Every run uses fresh words (a marker), because the test site keeps what earlier runs made.
final class WordPressBot {
    let site: WordPressTestSite
    let folder: TemporaryDirectory
    let output = LineCollector()
    let logs = LineCollector()
    let marker = UUID().uuidString.prefix(8).lowercased()
    var engine: any BlogEngine
    var now = Date()
    var consentPolicy = ConsentPolicy.open

    init() throws {
        site = try WordPressTestSite.load()
        folder = try TemporaryDirectory(prefix: "wp-bot")
        try folder.write("team.log", "")
        engine = site.engine().0
    }

    deinit { folder.remove() }

    /// Appends weechat lines stamped ``now`` (UTC), the bot's clock.
    func say(_ lines: [(nick: String, text: String)]) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        let stamp = String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        try folder.append("team.log", lines.map { "\(stamp)\t\($0.nick)\t\($0.text)\n" }.joined())
    }

    /// One `--once` run of a freshly built bot (as a restarted process would be).
    func runOnce() async throws {
        let output = output, logs = logs, now = now
        let transport = LogFileTransport(
            path: folder.path("team.log"), format: .weechat, channel: "#team", timeZone: IANATimeZone(identifier: "UTC")!,
            pollInterval: .milliseconds(10), output: { output.append($0) })
        var options = ThreadpressBot.Options()
        options.clock = { now }
        options.commentScope = .threadpressPosts
        var settings = WorkflowSettings(approvers: ["clark"], trustsNicks: true, timeZone: IANATimeZone(identifier: "UTC")!)
        settings.repliers = ["jane"]
        settings.consentPolicy = consentPolicy
        let bot = ThreadpressBot(
            transport: transport, engine: engine, store: try SQLiteStore(path: folder.path("state.sqlite")),
            settings: settings,
            options: options, logger: BotLogger(level: .debug) { level, line in logs.append("\(level): \(line)") })
        try await bot.run(once: true)
    }

    func draft(_ number: Int64) throws -> DraftRecord? {
        try SQLiteStore(path: folder.path("state.sqlite")).read { try $0.draft(number: number) }
    }

    /// The post as WordPress has it, read by the administrator.
    func remotePost(_ id: String) async throws -> JSONValue {
        try await site.person().get("/wp/v2/posts/\(id)", query: [("context", "edit")], operation: "read the post")
    }

    /// Posts on the site carrying this run's marker in their content, any status.
    func postsWithMarker() async throws -> [JSONValue] {
        try await site.person().get(
            "/wp/v2/posts",
            query: [("search", marker), ("status", "draft,publish,future,trash"), ("context", "edit"), ("per_page", "100")],
            operation: "search").array ?? []
    }
}

@Suite(.serialized) struct WordPressBotTests {
    @Test func aConversationBecomesAnEscapedDraftThenAPublishedPost() async throws {
        let bot = try WordPressBot()
        try bot.say([
            ("alice", "shall we ship \(bot.marker)?"), ("bob", "<script>alert('x')</script> only with a <b>plan</b> & care"),
            ("alice", "!blog Ship \(bot.marker) +ops +release-notes"),
        ])
        try await bot.runOnce()
        let drafted = try #require(try bot.draft(1)?.reference)
        #expect(bot.output.matching("alice: draft 1 \"Ship \(bot.marker)\": 2 lines from a\u{200D}lice, b\u{200D}ob").count == 1)
        #expect(bot.output.matching(
            "alice: draft 1 is on the blog; edit it at \(bot.site.url.absoluteString)/wp-admin/post.php?post=\(drafted.remoteID)&action=edit"
        ).count == 1)
        let asDraft = try await bot.remotePost(drafted.remoteID)
        #expect(asDraft["status"]?.string == "draft")
        // The command's tags and the configured one ("chat"), created on the blog when missing.
        let tagIDs = (asDraft["tags"]?.array ?? []).compactMap { $0.identifier }
        let tags = try await bot.site.person().get(
            "/wp/v2/tags", query: [("include", tagIDs.joined(separator: ",")), ("_fields", "name")], operation: "read tags")
        #expect(Set((tags.array ?? []).compactMap { $0["name"]?.string }) == ["chat", "ops", "release-notes"])
        let content = asDraft["content"]?["raw"]?.string ?? ""
        #expect(content.contains("&lt;script&gt;alert(&#039;x&#039;)&lt;/script&gt; only with a &lt;b&gt;plan&lt;/b&gt; &amp; care"))
        #expect(!content.contains("<script>") && !content.contains("<b>plan"))

        try bot.say([("clark", "!approve 1")])
        try await bot.runOnce()
        let published = try await bot.remotePost(drafted.remoteID)
        #expect(published["status"]?.string == "publish")
        let link = try #require(published["link"]?.string)
        #expect(bot.output.matching("clark: published draft 1 \"Ship \(bot.marker)\": \(link)").count == 1)
        #expect(try await bot.postsWithMarker().count == 1)
    }

    @Test func heldCommentsStaySilentUntilApprovedThenAreAnnouncedOnceAcrossRestarts() async throws {
        let bot = try WordPressBot()
        try bot.say([("alice", "comments \(bot.marker)"), ("alice", "!blog Talk \(bot.marker)"), ("clark", "!approve 1")])
        try await bot.runOnce()
        let post = try #require(try bot.draft(1)?.reference)
        #expect(post.status == .published)

        let secret = "held text \(bot.marker) never in chat"
        #expect(try await bot.site.postCommentThroughForm(
            postID: post.remoteID, author: "Reader", email: "\(bot.marker)@example.invalid", text: secret) == 302)
        try await bot.runOnce()
        #expect(bot.output.matching(secret).isEmpty)
        #expect(bot.output.matching("1 new comment awaits moderation on the blog").count == 1)

        // Approved in wp-admin later: announced once, then never again (a restart is a new bot).
        let held = try #require(try await bot.engine.comments(after: nil, scope: .posts([post])).comments.first)
        _ = try await bot.site.person().post(
            "/wp/v2/comments/\(held.id)", body: .object(JSONObject([("status", .string("approved"))])),
            operation: "approve as a person")
        try await bot.runOnce()
        try await bot.runOnce()
        #expect(bot.output.matching("new comment on \"Talk \(bot.marker)\" by R\u{200D}eader: \(secret)").count == 1)

        // A pingback is announced once, as a pingback.
        let pingback = try await bot.site.runPHP("""
            echo wp_insert_comment(['comment_post_ID' => \(post.remoteID), 'comment_author' => 'Other Blog',
                'comment_author_url' => 'http://other.example/post', 'comment_type' => 'pingback',
                'comment_content' => 'linked \(bot.marker)', 'comment_approved' => 1]);
            """)
        #expect(Int(pingback) != nil)
        try await bot.runOnce()
        try await bot.runOnce()
        #expect(bot.output.matching("pingback on \"Talk \(bot.marker)\" from O\u{200D}ther Blog: linked \(bot.marker)").count == 1)
    }

    @Test func approversModerateAndRepliersAnswerCommentsFromChat() async throws {
        let bot = try WordPressBot()
        try bot.say([("alice", "moderation \(bot.marker)"), ("alice", "!blog Mod \(bot.marker)"), ("clark", "!approve 1")])
        try await bot.runOnce()
        let post = try #require(try bot.draft(1)?.reference)
        let text = "please approve me \(bot.marker)"
        #expect(try await bot.site.postCommentThroughForm(
            postID: post.remoteID, author: "Reader", email: "m\(bot.marker)@example.invalid", text: text) == 302)
        try await bot.runOnce()
        let notice = try #require(bot.output.matching("1 new comment awaits moderation on the blog (#").first)
        let id = try #require(notice.components(separatedBy: "(#").dropFirst().first?.prefix { $0.isNumber })

        // Not an approver: refused. An approver: approved on the blog, then announced once.
        try bot.say([("mallory", "!comment approve \(id)"), ("clark", "!comment approve \(id)")])
        try await bot.runOnce()
        #expect(bot.output.matching("mallory: only approvers can moderate comments, and mallory is not one").count == 1,
                "\(bot.output.lines) \(bot.logs.lines)")
        #expect(bot.output.matching("clark: comment \(id) approved").count == 1)
        try await bot.runOnce()
        #expect(bot.output.matching("new comment on \"Mod \(bot.marker)\" by R\u{200D}eader: \(text) [#\(id) ").count == 1)

        // A replier answers it; the answer is on the blog, escaped, as the bot's user.
        try bot.say([("jane", "!reply \(id) Thanks <b>Reader</b> & welcome")])
        try await bot.runOnce()
        #expect(bot.output.matching("jane: replied to comment \(id): \(bot.site.url.absoluteString)").count == 1)
        let replies = try await bot.site.person().get(
            "/wp/v2/comments", query: [("parent", String(id)), ("context", "edit")], operation: "read replies")
        #expect(replies.array?.first?["content"]?["raw"]?.string == "Thanks &lt;b&gt;Reader&lt;/b&gt; &amp; welcome")
    }

    @Test func whileTheBlogIsDownCommandsAreQueuedThenAppliedInOrderOnce() async throws {
        let bot = try WordPressBot()
        let faulty = FaultInjectingBlogEngine(wrapping: bot.engine)
        bot.engine = faulty
        // Down for the first attempt of each operation, as a blog answering 503 would be.
        faulty.inject(.failBefore(transient: true), on: .create, times: 1)
        try bot.say([("alice", "outage \(bot.marker)"), ("alice", "!blog Outage \(bot.marker)"), ("clark", "!approve 1")])
        try await bot.runOnce()
        #expect(bot.output.matching("could not write draft 1 on the blog: injected failure: blog answered 500; it is queued and I'll keep trying").count == 1)
        #expect(try await bot.postsWithMarker().isEmpty)

        bot.now = bot.now.addingTimeInterval(3600)
        try await bot.runOnce()
        let posts = try await bot.postsWithMarker()
        #expect(posts.count == 1)
        #expect(posts.first?["status"]?.string == "publish")
        #expect(bot.output.matching("clark: published draft 1").count == 1)
        #expect(faulty.calls(.create) == 2)
        #expect(faulty.calls(.publish) == 1)
    }

    @Test func aCreateWhoseAnswerWasLostMakesExactlyOnePost() async throws {
        let bot = try WordPressBot()
        let faulty = FaultInjectingBlogEngine(wrapping: bot.engine)
        bot.engine = faulty
        faulty.inject(.failAfter, on: .create, times: 1)
        try bot.say([("alice", "lost \(bot.marker)"), ("alice", "!blog Lost \(bot.marker)")])
        try await bot.runOnce()
        #expect(try await bot.postsWithMarker().count == 1)
        bot.now = bot.now.addingTimeInterval(3600)
        try bot.say([("clark", "!approve 1")])
        try await bot.runOnce()
        let posts = try await bot.postsWithMarker()
        #expect(posts.count == 1)
        #expect(posts.first?["status"]?.string == "publish", "\(bot.output.lines) \(bot.logs.lines)")
        #expect(faulty.calls(.find) == 1)
    }

    @Test func aWrongApplicationPasswordStopsTheBotAtStartWithOneClearLine() async throws {
        let bot = try WordPressBot()
        let (engine, requests) = bot.site.engine(password: "wrong pass word 1234")
        bot.engine = engine
        try bot.say([("alice", "x \(bot.marker)"), ("alice", "!blog X \(bot.marker)")])
        let error = await #expect(throws: BlogEngineError.self) { try await bot.runOnce() }
        #expect(error?.kind == .permanent)
        #expect(error?.message.contains("rejected") == true)
        #expect(error?.message.contains("WP_ENVIRONMENT_TYPE") == true)
        // One look at the site (discovery) and one at the credentials; nothing queued, nothing retried.
        #expect(requests.count <= 2)
        #expect(bot.output.lines.isEmpty)
    }

    @Test func aPersonsEditInWordPressSurvivesApproval() async throws {
        let bot = try WordPressBot()
        try bot.say([("alice", "edit \(bot.marker)"), ("alice", "!blog Edit \(bot.marker)")])
        try await bot.runOnce()
        let drafted = try #require(try bot.draft(1)?.reference)
        let edited = "<p>Rewritten by a person \(bot.marker)</p>"
        _ = try await bot.site.person().post(
            "/wp/v2/posts/\(drafted.remoteID)", body: .object(JSONObject([("content", .string(edited))])),
            operation: "edit as a person")
        try bot.say([("clark", "!approve 1")])
        try await bot.runOnce()
        let post = try await bot.remotePost(drafted.remoteID)
        #expect(post["status"]?.string == "publish")
        #expect(post["content"]?["raw"]?.string == edited)
    }
}
