import ChatTransports
import Foundation
import SQLiteStorage
import Testing
import ThreadpressModel
import ThreadpressTesting

@Suite struct BotEndToEndTests {
    @Test(arguments: ChatLogFormat.allCases)
    func promotedAndApprovedConversationBecomesExactlyOneEscapedPost(format: ChatLogFormat) async throws {
        let bot = try BotHarness(format: format)
        if format == .irssi { try bot.folder.append("team.log", "--- Log opened Fri Nov 27 08:59:00 2026\n") }
        try bot.say(hostileConversation + [("09:04:00", "dave", "!blog Deploy Friday"), ("09:05:00", "clark", "!approve 1")])
        try await bot.runOnce()

        #expect(bot.files("_drafts").isEmpty)
        let posts = bot.files("_posts")
        #expect(posts.count == 1)
        let name = try #require(posts.first)
        #expect(name.hasSuffix("-deploy-friday.md"))
        let text = try bot.post(name)
        for nick in ["alice", "bob", "carol"] { #expect(text.contains("**\(nick)**")) }
        #expect(text.contains("&lt;script&gt;"))
        #expect(!text.contains("<script>"))
        #expect(!text.contains("{%") && !text.contains("{{"))
        #expect(!text.contains("[x](javascript"))
        #expect(text.contains("agreed &amp; done"))
        #expect(!text.contains("!blog") && !text.contains("!approve"))
        #expect(bot.output.matching("draft 1 \"Deploy Friday\": 4 lines from a\u{200D}lice, b\u{200D}ob, c\u{200D}arol").count == 1)
        #expect(bot.output.matching("clark: published draft 1").count == 1)
    }

    @Test func approvalFromANonApproverLeavesTheDraftAndSaysWhy() async throws {
        let bot = try BotHarness()
        try bot.say(hostileConversation + [("09:04:00", "dave", "!blog Deploy Friday"), ("09:05:00", "bob", "!approve 1")])
        try await bot.runOnce()
        #expect(bot.files("_drafts") == ["deploy-friday.md"])
        #expect(bot.files("_posts").isEmpty)
        #expect(bot.output.lines.contains("[#team] threadpress: bob: only approvers can publish drafts, and bob is not one"))
    }

    @Test func runningOnceTwiceMakesNoSecondDraftAndNoSecondAnnouncement() async throws {
        let bot = try BotHarness()
        try bot.say(hostileConversation + [("09:04:00", "alice", "!blog Deploy Friday"), ("09:05:00", "clark", "!approve 1")])
        try await bot.runOnce()
        try bot.addComment(
            slug: "deploy-friday", file: "c1.json",
            json: #"{"_id": "c1", "name": "Reader <b>One</b>", "message": "Great\npost <script>x</script>", "date": "2026-11-27T12:00:00Z"}"#)
        try await bot.runOnce()
        let announcements = bot.output.matching("new comment on \"Deploy Friday\"")
        #expect(announcements == ["[#team] threadpress: new comment on \"Deploy Friday\" by R\u{200D}eader One: Great post [#c1]"])

        bot.output.removeAll()
        // Touch the comment file and run again twice: nothing new is said.
        try bot.addComment(
            slug: "deploy-friday", file: "c1.json",
            json: #"{"_id": "c1", "name": "Reader <b>One</b>", "message": "Great\npost <script>x</script>", "date": "2026-11-27T12:00:00Z"}"#)
        try await bot.runOnce()
        try await bot.runOnce()
        #expect(bot.output.lines.isEmpty)
        #expect(bot.files("_posts").count == 1)
        #expect(try bot.store().read { try $0.drafts(in: Set(DraftState.allCases)) }.count == 1)
    }

    @Test func movingTheBlogFolderDoesNotAnnounceOldCommentsAgain() async throws {
        let bot = try BotHarness()
        try bot.say(hostileConversation + [("09:04:00", "alice", "!blog Deploy Friday"), ("09:05:00", "clark", "!approve 1")])
        try await bot.runOnce()
        try bot.addComment(
            slug: "deploy-friday", file: "c1.json", json: #"{"name": "R", "message": "hi", "date": "2026-11-27T12:00:00Z"}"#)
        try await bot.runOnce()
        #expect(bot.output.matching("new comment").count == 1)
        try FileManager.default.moveItem(atPath: bot.blogDirectory, toPath: bot.folder.path("site"))
        bot.blogDirectory = bot.folder.path("site")
        try await bot.runOnce()
        #expect(bot.output.matching("new comment").count == 1)
    }

    @Test func pingbacksAreAnnouncedAsPingbacks() async throws {
        let bot = try BotHarness()
        try bot.say(hostileConversation + [("09:04:00", "alice", "!blog Deploy Friday"), ("09:05:00", "clark", "!approve 1")])
        try await bot.runOnce()
        try bot.addComment(
            slug: "deploy-friday", file: "p1.json",
            json: #"{"name": "Simbeck Hampson", "type": "pingback", "message": "[…] Deploy Friday via threadpress […]", "date": 1795780000}"#)
        try await bot.runOnce()
        #expect(bot.output.matching("pingback on \"Deploy Friday\" from S\u{200D}imbeck Hampson").count == 1)
    }

    @Test func sameTitleTwiceGetsADistinctSlug() async throws {
        let bot = try BotHarness()
        try bot.say([
            ("09:00:00", "alice", "first topic"), ("09:01:00", "alice", "!blog Weekly notes"),
            ("10:00:00", "bob", "second topic"), ("10:01:00", "bob", "!blog Weekly notes"),
        ])
        try await bot.runOnce()
        #expect(bot.files("_drafts") == ["weekly-notes-2.md", "weekly-notes.md"])
    }

    @Test func rejectRemovesTheDraftFromTheBlog() async throws {
        let bot = try BotHarness()
        try bot.say([("09:00:00", "alice", "topic"), ("09:01:00", "alice", "!blog Notes")])
        try await bot.runOnce()
        #expect(bot.files("_drafts") == ["notes.md"])
        try bot.say([("09:02:00", "alice", "!reject 1"), ("09:03:00", "clark", "!approve 1")])
        try await bot.runOnce()
        #expect(bot.files("_drafts").isEmpty)
        #expect(bot.files("_posts").isEmpty)
        #expect(bot.output.matching("alice: rejected draft 1 \"Notes\"").count == 1)
        #expect(bot.output.matching("clark: draft 1 was rejected").count == 1)
    }

    @Test func aBlogCommandSentTwiceInOneSecondMakesOneDraft() async throws {
        let bot = try BotHarness()
        try bot.say([("09:00:00", "alice", "topic"), ("09:01:00", "bob", "!blog"), ("09:01:00", "bob", "!blog")])
        try await bot.runOnce()
        #expect(bot.files("_drafts") == ["topic.md"])
        #expect(bot.output.matching("bob: that is already draft 1 \"topic\"").count == 1)
        try bot.say([("09:02:00", "clark", "!approve 1")])
        try await bot.runOnce()
        #expect(bot.files("_posts").count == 1)
    }

    @Test func aLogReplacedByACopyOfItselfIsNotReadAgain() async throws {
        let bot = try BotHarness()
        try bot.say(hostileConversation + [("09:04:00", "alice", "!blog Deploy Friday"), ("09:05:00", "clark", "!approve 1")])
        try await bot.runOnce()
        // sed -i, rsync and editors write a new file (new inode) with the same lines.
        let copy = bot.folder.path("copy.log")
        try FileManager.default.copyItem(atPath: bot.logPath, toPath: copy)
        try FileManager.default.removeItem(atPath: bot.logPath)
        try FileManager.default.moveItem(atPath: copy, toPath: bot.logPath)
        bot.output.removeAll()
        try await bot.runOnce()
        #expect(bot.files("_posts").count == 1)
        #expect(bot.files("_drafts").isEmpty)
        #expect(try bot.store().read { try $0.drafts(in: Set(DraftState.allCases)) }.count == 1)
        #expect(try bot.store().read { try $0.messageCount() } == 6)
        #expect(bot.output.lines.isEmpty)
    }

    @Test func malformedLinesAreSkippedWithAWarningAndTheRestIsKept() async throws {
        let bot = try BotHarness()
        try bot.say([("09:00:00", "alice", "one")])
        try bot.folder.append("team.log", "garbage without tabs\n")
        try bot.say([("09:01:00", "bob", "two"), ("09:02:00", "bob", "!blog")])
        try await bot.runOnce()
        #expect(bot.logs.matching("team.log:2: malformed weechat line").count == 1)
        #expect(bot.output.matching("draft 1 \"one\": 2 lines from a\u{200D}lice, b\u{200D}ob").count == 1)
    }

    @Test func aMissingLogFileIsAClearErrorAndStoresNothing() async throws {
        let bot = try BotHarness()
        try FileManager.default.removeItem(atPath: bot.logPath)
        await #expect {
            try await bot.runOnce()
        } throws: { error in
            "\(error)".contains("chat log not found") && "\(error)".contains("team.log")
        }
        #expect(try bot.store().read { try $0.messageCount() } == 0)
        #expect(try bot.store().read { try $0.drafts(in: Set(DraftState.allCases)) }.isEmpty)
    }
}
