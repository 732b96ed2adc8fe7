import Foundation
import JSON
import Testing
import ThreadpressModel
import Workflow

/// Consent and chat edits against the real WordPress of `Scripts/wordpress-test-server`.
@Suite(.serialized) struct WordPressConsentTests {
    func conversation(_ bot: WordPressBot) -> [(nick: String, text: String)] {
        [
            ("alice", "shall we deploy \(bot.marker) on friday?"), ("bob", "only with a rollback plan, carol knows it"),
            ("carol", "I wrote the rollback plan last week"), ("alice", "agreed, friday then"),
        ]
    }

    func content(_ bot: WordPressBot, _ id: String) async throws -> String {
        try await bot.remotePost(id)["content"]?["raw"]?.string ?? ""
    }

    @Test func underAskARedactedPersonDisappearsAndApprovalWaitsForTheOthers() async throws {
        let bot = try WordPressBot()
        bot.consentPolicy = .ask
        try bot.say(conversation(bot) + [("dave", "!blog Deploy \(bot.marker)")])
        try await bot.runOnce()
        let id = try #require(try bot.draft(1)?.reference?.remoteID)
        #expect(try await content(bot, id).contains("I wrote the rollback plan"))

        try bot.say([("clark", "!approve 1"), ("alice", "!ok 1"), ("bob", "!ok 1"), ("carol", "!redact 1")])
        try await bot.runOnce()
        #expect(bot.output.matching("clark: draft 1 waits for consent from a\u{200D}lice, b\u{200D}ob, c\u{200D}arol").count == 1)
        let redacted = try await content(bot, id)
        #expect(!redacted.contains("I wrote the rollback plan") && redacted.contains("only with a rollback plan"))
        #expect(try await bot.remotePost(id)["status"]?.string == "draft")

        try bot.say([("clark", "!approve 1")])
        try await bot.runOnce()
        let published = try await bot.remotePost(id)
        #expect(published["status"]?.string == "publish")
        let publishedText = published["content"]?["raw"]?.string ?? ""
        #expect(publishedText.contains("agreed, friday then") && !publishedText.contains("I wrote the rollback plan"))
        #expect(try await bot.postsWithMarker().count == 1)
    }

    @Test func underPseudonymousOnlyThoseWhoAgreedAreNamedOnTheBlog() async throws {
        let bot = try WordPressBot()
        bot.consentPolicy = .pseudonymous
        try bot.say(conversation(bot) + [("dave", "!blog Deploy \(bot.marker)"), ("bob", "!ok 1"), ("clark", "!approve 1")])
        try await bot.runOnce()
        let id = try #require(try bot.draft(1)?.reference?.remoteID)
        let text = try await content(bot, id)
        #expect(text.contains("bob") && text.contains("Colleague A") && text.contains("Colleague B"))
        #expect(!text.contains("alice") && !text.contains("carol"))
    }

    @Test func chatEditsAfterAPersonEditedThePostInWordPressAreRefusedAndTheirTextStays() async throws {
        let bot = try WordPressBot()
        try bot.say(conversation(bot) + [("dave", "!blog Deploy \(bot.marker)")])
        try await bot.runOnce()
        let id = try #require(try bot.draft(1)?.reference?.remoteID)
        let theirs = "<!-- wp:paragraph --><p>Rewritten by a person \(bot.marker)</p><!-- /wp:paragraph -->"
        _ = try await bot.site.person().post(
            "/wp/v2/posts/\(id)", body: .object(JSONObject([("content", .string(theirs))])), operation: "edit as a person")

        try bot.say([("dave", "!draft 1 title Another title")])
        try await bot.runOnce()
        #expect(try await content(bot, id) == theirs)
        #expect(!bot.output.matching("could not rewrite draft 1").isEmpty)

        try bot.say([("dave", "!draft 1 drop 1")])
        try await bot.runOnce()
        #expect(try await content(bot, id) == theirs)
        #expect(bot.output.matching("dave: draft 1 was changed on the blog since I wrote it, so I leave it alone; edit it there: ").count == 1)
    }

    @Test func chatEditsRewriteTheDraftInWordPress() async throws {
        let bot = try WordPressBot()
        try bot.say(conversation(bot) + [("dave", "!blog Deploy \(bot.marker)")])
        try await bot.runOnce()
        let id = try #require(try bot.draft(1)?.reference?.remoteID)
        try bot.say([("dave", "!draft 1 drop 2-3"), ("dave", "!draft 1 intro We <b>argued</b> about it")])
        try await bot.runOnce()
        let text = try await content(bot, id)
        #expect(!text.contains("rollback plan") && text.contains("agreed, friday then"))
        #expect(text.contains("We &lt;b&gt;argued&lt;/b&gt; about it"))
    }
}
