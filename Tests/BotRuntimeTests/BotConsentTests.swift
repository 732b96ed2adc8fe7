import BlogEngines
import Foundation
import SQLiteStorage
import Testing
import ThreadpressModel
import ThreadpressTesting
import Workflow

/// Consent, redaction, forgetting and chat edits end to end: a real log file, the real Markdown
/// engine in a temporary folder, the real store; each run is a fresh process's worth of bot.
@Suite struct BotConsentTests {
    static let conversation: [(String, String, String)] = [
        ("09:00:00", "alice", "shall we deploy on friday?"),
        ("09:01:00", "bob", "only with a rollback plan, carol knows it"),
        ("09:02:00", "carol", "I wrote the rollback plan last week"),
        ("09:03:00", "alice", "agreed, friday then"),
    ]

    @Test func underAskApprovalWaitsAndARedactedPersonDisappearsFromThePost() async throws {
        let bot = try BotHarness()
        bot.consentPolicy = .ask
        try bot.say(Self.conversation + [("09:04:00", "dave", "!blog Deploy Friday")])
        try await bot.runOnce()
        #expect(try bot.folder.read("blog/_drafts/deploy-friday.md").contains("I wrote the rollback plan"))

        try bot.say([
            ("09:05:00", "clark", "!approve 1"), ("09:06:00", "alice", "!ok 1"), ("09:07:00", "bob", "!ok 1"),
            ("09:08:00", "carol", "!redact 1"),
        ])
        try await bot.runOnce()
        #expect(
            bot.output.lines.contains(
                "[#team] threadpress: clark: draft 1 waits for consent from a\u{200D}lice, b\u{200D}ob, c\u{200D}arol: "
                    + "each answers !ok 1 (or !redact 1); an approver may !override 1 with a reason"))
        #expect(bot.output.lines.contains("[#team] threadpress: carol: took your line out of draft 1"))
        // The draft on the blog was written again without carol's line.
        let draft = try bot.folder.read("blog/_drafts/deploy-friday.md")
        #expect(!draft.contains("I wrote the rollback plan"))
        #expect(draft.contains("only with a rollback plan"))
        #expect(bot.files("_posts").isEmpty)

        try bot.say([("09:09:00", "clark", "!approve 1")])
        try await bot.runOnce()
        let post = try bot.post(try #require(bot.files("_posts").first))
        #expect(post.contains("**alice**") && post.contains("**bob**"))
        #expect(!post.contains("carol") || post.contains("carol knows it"))
        #expect(!post.contains("**carol**") && !post.contains("I wrote the rollback plan"))
        #expect(bot.output.matching("clark: published draft 1").count == 1)
    }

    @Test func anApproverOverrideIsSaidRecordedAndLetsThePublishThrough() async throws {
        let bot = try BotHarness()
        bot.consentPolicy = .ask
        try bot.say(
            Self.conversation + [
                ("09:04:00", "dave", "!blog Deploy Friday"), ("09:05:00", "clark", "!override 1 carol is away; the team lead agreed"),
                ("09:06:00", "clark", "!approve 1"),
            ])
        try await bot.runOnce()
        #expect(
            bot.output.lines.contains(
                "[#team] threadpress: clark: draft 1 may be published without everyone's consent, because: carol is away; the team lead agreed"))
        #expect(bot.files("_posts").count == 1)
        let recorded = try bot.store().read { try $0.draft(number: 1) }?.consentOverride
        #expect(recorded?.approver == "clark")
        #expect(recorded?.reason == "carol is away; the team lead agreed")
    }

    @Test func underPseudonymousOnlyThoseWhoAgreedAreNamed() async throws {
        let bot = try BotHarness()
        bot.consentPolicy = .pseudonymous
        try bot.say(
            Self.conversation + [
                ("09:04:00", "dave", "!blog Deploy Friday"), ("09:05:00", "bob", "!ok 1"), ("09:06:00", "clark", "!approve 1"),
            ])
        try await bot.runOnce()
        let post = try bot.post(try #require(bot.files("_posts").first))
        #expect(post.contains("**bob**"))
        #expect(post.contains("**Colleague A**") && post.contains("**Colleague B**"))
        #expect(!post.contains("alice") && !post.contains("carol"))
        #expect(post.contains("authors: [\"Colleague A\", \"bob\", \"Colleague B\"]"))
        // bob's line named carol: her pseudonym stands there too.
        #expect(post.contains("only with a rollback plan, Colleague B knows it"))
    }

    @Test func forgetTakesTheLinesOutOfThePublishedPostAndTheStore() async throws {
        let bot = try BotHarness()
        try bot.say(Self.conversation + [("09:04:00", "dave", "!blog Deploy Friday"), ("09:05:00", "clark", "!approve 1")])
        try await bot.runOnce()
        let name = try #require(bot.files("_posts").first)
        #expect(try bot.post(name).contains("I wrote the rollback plan"))

        try bot.say([("09:10:00", "carol", "!forget 1")])
        try await bot.runOnce()
        #expect(bot.files("_posts") == [name])
        let post = try bot.post(name)
        #expect(!post.contains("I wrote the rollback plan") && !post.contains("**carol**"))
        #expect(post.contains("shall we deploy on friday?"))
        let stored = try bot.store().read { try $0.messages(in: "#team", before: .max, limit: 100) }
        #expect(!stored.contains { $0.message.text.contains("I wrote the rollback plan") })
        #expect(bot.output.lines.contains("[#team] threadpress: carol: your line is taken out of post 1 on the blog and out of my log"))
    }

    @Test func aDraftAPersonEditedInTheFolderIsNotOverwrittenByChatEdits() async throws {
        let bot = try BotHarness()
        try bot.say(Self.conversation + [("09:04:00", "dave", "!blog Deploy Friday")])
        try await bot.runOnce()
        let path = "blog/_drafts/deploy-friday.md"
        let edited = try bot.folder.read(path).replacingOccurrences(of: "agreed, friday then", with: "agreed (edited by hand)")
        try bot.folder.write(path, edited)

        try bot.say([("09:10:00", "dave", "!draft 1 title A new title")])
        try await bot.runOnce()
        #expect(try bot.folder.read(path) == edited)
        #expect(!bot.output.matching("could not rewrite draft 1").isEmpty)

        try bot.say([("09:11:00", "dave", "!draft 1 drop 1")])
        try await bot.runOnce()
        #expect(try bot.folder.read(path) == edited)
        #expect(!bot.output.matching("dave: draft 1 was changed on the blog since I wrote it, so I leave it alone; edit it there").isEmpty)
    }

    @Test func chatEditsRewriteTheDraft() async throws {
        let bot = try BotHarness()
        try bot.say(Self.conversation + [("09:04:00", "dave", "!blog Deploy Friday")])
        try await bot.runOnce()
        try bot.say([
            ("09:10:00", "dave", "!draft 1 drop 2-3"), ("09:11:00", "dave", "!draft 1 intro We <b>argued</b> {{ x }}"),
            ("09:12:00", "dave", "!draft 1 title Friday it is"),
        ])
        try await bot.runOnce()
        let draft = try bot.folder.read("blog/_drafts/deploy-friday.md")
        #expect(draft.contains("Friday it is"))
        #expect(!draft.contains("rollback plan"))
        #expect(draft.contains("agreed, friday then"))
        #expect(draft.contains("argued") && !draft.contains("<b>") && !draft.contains("{{"))
    }

    @Test func aLogOf200LinesTakesThreeLinesOfAChatWithoutPrivateMessages() async throws {
        let bot = try BotHarness()
        try bot.say((0..<200).map { ("09:\(10 + $0 / 60):\(String(format: "%02d", $0 % 60))", "alice", "line \($0)") }
            + [("09:20:00", "dave", "!log 200")])
        try await bot.runOnce()
        #expect(
            bot.output.lines == [
                "[#team] threadpress: dave: the last 200 lines with their references (!blog from REF to REF):",
                "[#team] threadpress: 199 09:13 a\u{200D}lice: line 198",
                "[#team] threadpress: 200 09:13 a\u{200D}lice: line 199",
                "[#team] threadpress: …and 198 more, not shown: this chat has no private messages, so long output is cut",
            ])
    }
}
