import BlogEngines
import Foundation
import JSON
import SQLiteStorage
import Testing
import ThreadpressModel
@testable import WordPressBlog

/// The bot's outbox `update` operation against the real WordPress: what `!draft N …` will queue
/// (the store's edit, then an `update` in the same transaction) is written to the store directly,
/// because the workflow does not turn `!draft` into those actions yet.
@Suite struct WordPressBotUpdateTests {
    /// Waits (polling the clock, at most 5 s) until the second of a `modified_gmt` is over.
    func waitForTheSecondAfter(_ stamp: String?) async throws {
        let written = try #require(stamp.flatMap { WordPressEngine.parseGMT(String($0.prefix(19))) })
        let deadline = ContinuousClock.now + .seconds(5)
        while Date() < written.addingTimeInterval(1.05), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// What the workflow records for `!draft 1 title TEXT` by alice.
    func editTitle(_ bot: WordPressBot, to title: String) throws {
        try SQLiteStore(path: bot.folder.path("state.sqlite")).write { transaction in
            try transaction.setTitle(title, ofDraft: 1)
            try transaction.enqueue(.update, draft: 1, requestedBy: "alice")
        }
    }

    @Test func anEditRewritesThePostUntilAPersonChangesItThenIsRefusedAndTheirTextStays() async throws {
        let bot = try WordPressBot()
        try bot.say([("alice", "shall we ship \(bot.marker)?"), ("alice", "!blog Ship \(bot.marker)")])
        try await bot.runOnce()
        let created = try #require(try bot.draft(1)?.reference)
        try await waitForTheSecondAfter(created.modified)

        // An edit from chat: rewritten, and the new stamp stored.
        try editTitle(bot, to: "Shipped \(bot.marker)")
        try await bot.runOnce()
        let rewritten = try await bot.remotePost(created.remoteID)
        #expect(rewritten["title"]?["raw"]?.string == "Shipped \(bot.marker)")
        #expect(
            try bot.draft(1)?.reference?.modified
                == (rewritten["modified_gmt"]?.string ?? "?") + " " + ContentFingerprint.of(rewritten["content"]?["raw"]?.string ?? ""))
        #expect(try bot.draft(1)?.editedOnBlog == false)
        try await waitForTheSecondAfter(rewritten["modified_gmt"]?.string)

        // A person edits the post in WordPress; the next edit from chat is refused.
        let theirs = "<!-- wp:paragraph -->\n<p>A person's version \(bot.marker).</p>\n<!-- /wp:paragraph -->"
        _ = try await bot.site.person().post(
            "/wp/v2/posts/\(created.remoteID)", body: .object(JSONObject([("content", .string(theirs))])),
            operation: "edit as a person")
        try editTitle(bot, to: "Overwritten \(bot.marker)")
        try await bot.runOnce()

        let kept = try await bot.remotePost(created.remoteID)
        #expect(kept["content"]?["raw"]?.string == theirs)
        #expect(kept["title"]?["raw"]?.string == "Shipped \(bot.marker)")
        #expect(try bot.draft(1)?.editedOnBlog == true)
        let editLink = "\(bot.site.url.absoluteString)/wp-admin/post.php?post=\(created.remoteID)&action=edit"
        #expect(bot.output.matching(
            "alice: could not rewrite draft 1 on the blog: post \(created.remoteID) was changed in WordPress since I last wrote it, so I did not rewrite it: edit it at \(editLink); someone changed it in the blog, so I left it as it is"
        ).count == 1)

        // Later edits are not even sent: the draft is edited on the blog now.
        try editTitle(bot, to: "Still not \(bot.marker)")
        try await bot.runOnce()
        #expect(try await bot.remotePost(created.remoteID)["modified_gmt"]?.string == kept["modified_gmt"]?.string)
        #expect(bot.output.matching("could not rewrite draft 1").count == 1)
    }

    @Test func anEditAfterPublishingRewritesThePublishedPost() async throws {
        let bot = try WordPressBot()
        try bot.say([("alice", "release \(bot.marker)"), ("alice", "!blog Release \(bot.marker)"), ("clark", "!approve 1")])
        try await bot.runOnce()
        let published = try #require(try bot.draft(1)?.reference)
        #expect(published.status == .published)
        try await waitForTheSecondAfter(published.modified)

        try editTitle(bot, to: "Released \(bot.marker)")
        try await bot.runOnce()

        let post = try await bot.remotePost(published.remoteID)
        #expect(post["status"]?.string == "publish")
        #expect(post["title"]?["raw"]?.string == "Released \(bot.marker)")
        #expect(try bot.draft(1)?.editedOnBlog == false)
        #expect(bot.output.matching("could not rewrite").isEmpty)
    }
}
