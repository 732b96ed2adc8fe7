import BlogEngines
import Foundation
import JSON
import Testing
import ThreadpressModel
@testable import WordPressBlog

/// `update` (edits from chat) against the real WordPress on 127.0.0.1: rewrites what the bot wrote,
/// refuses what a person changed.
@Suite("WordPress update against a real WordPress")
struct WordPressUpdateTests {
    let site: WordPressTestSite

    init() throws { site = try WordPressTestSite.load() }

    func post(_ id: String) async throws -> JSONValue {
        try await site.person().get("/wp/v2/posts/\(id)", query: [("context", "edit")], operation: "read post \(id)")
    }

    /// `modified_gmt` has one-second resolution: waits (polling the clock, at most 5 s) until the
    /// second of `stamp` is over, so the next write gets a different stamp.
    func waitForTheSecondAfter(_ stamp: String?) async throws {
        let written = try #require(stamp.flatMap { WordPressEngine.parseGMT(String($0.prefix(19))) })
        let deadline = ContinuousClock.now + .seconds(5)
        while Date() < written.addingTimeInterval(1.05), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A draft after edits from chat: new title, an intro, a new tag.
    func edited(_ draft: PostDraft, tag: String) -> PostDraft {
        var edited = draft
        edited.title = "Release planning, revisited"
        edited.intro = "What we decided <b>and</b> why"
        edited.tags = [tag]
        return edited
    }

    func expectedContent(key: String) -> String {
        """
        <!-- wp:html -->
        <!-- threadpress:\(key) -->
        <!-- /wp:html -->

        <!-- wp:paragraph -->
        <p>What we decided &lt;b&gt;and&lt;/b&gt; why</p>
        <!-- /wp:paragraph -->

        <!-- wp:quote -->
        <blockquote class="wp-block-quote"><!-- wp:paragraph -->
        <p>hello</p>
        <!-- /wp:paragraph --><cite>alice, 00:53</cite></blockquote>
        <!-- /wp:quote -->

        """
    }

    @Test func updateRewritesTitleContentAndTagsAndKeepsTheDraftADraft() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let created = try await engine.createDraft(draft)
        let tag = "tp update \(UUID().uuidString.prefix(8).lowercased())"

        let updated = try await engine.update(edited(draft, tag: tag), reference: created)

        let stored = try await post(created.remoteID)
        #expect(updated.remoteID == created.remoteID)
        #expect(updated.status == .draft)
        #expect(stored["status"]?.string == "draft")
        #expect(stored["title"]?["raw"]?.string == "Release planning, revisited")
        #expect(stored["content"]?["raw"]?.string == expectedContent(key: draft.key))
        // The stamp: the post's modified_gmt and the SHA-256 of its raw content.
        #expect(updated.modified == (stored["modified_gmt"]?.string ?? "?") + " " + ContentFingerprint.of(stored["content"]?["raw"]?.string ?? ""))
        let tagIDs = stored["tags"]?.array?.compactMap(\.int64) ?? []
        let names = try await site.person().get(
            "/wp/v2/tags", query: [("include", tagIDs.map(String.init).joined(separator: ","))], operation: "read tags")
        #expect(names.array?.compactMap { $0["name"]?.string } == [tag])
    }

    @Test func aPersonsEditMakesUpdateAConflictAndTheirContentStays() async throws {
        let (engine, transport) = site.engine()
        let draft = makeDraft()
        let created = try await engine.createDraft(draft)
        try await waitForTheSecondAfter(created.modified)
        let theirs = "<!-- wp:paragraph -->\n<p>Rewritten by a person in wp-admin.</p>\n<!-- /wp:paragraph -->"
        _ = try await site.person().post(
            "/wp/v2/posts/\(created.remoteID)",
            body: .object(JSONObject([("content", .string(theirs)), ("title", .string("A person's title"))])),
            operation: "edit as a person")
        let before = try await post(created.remoteID)

        for _ in 0..<2 {  // the outbox may ask again: still refused
            let sent = transport.count
            let error = await #expect(throws: BlogEngineError.self) {
                try await engine.update(edited(draft, tag: "ignored"), reference: created)
            }
            #expect(error?.kind == .conflict)
            #expect(error?.message == "post \(created.remoteID) was changed in WordPress since I last wrote it, so I did not rewrite it: edit it at \(site.url.absoluteString)/wp-admin/post.php?post=\(created.remoteID)&action=edit")
            #expect(transport.requests.dropFirst(sent).allSatisfy { $0.hasPrefix("GET") })  // nothing written
        }
        let after = try await post(created.remoteID)
        #expect(after["content"]?["raw"]?.string == theirs)
        #expect(after["title"]?["raw"]?.string == "A person's title")
        #expect(after["modified_gmt"]?.string == before["modified_gmt"]?.string)
    }

    @Test func updateAfterPublishRewritesThePostAndKeepsItPublished() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let created = try await engine.createDraft(draft)
        try await waitForTheSecondAfter(created.modified)
        let date = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let published = try await engine.publish(draft, reference: created, at: date)
        let live = try await post(created.remoteID)
        // Publishing changed it: the stamp is the post's modified_gmt and the SHA-256 of its raw content.
        #expect(published.modified == (live["modified_gmt"]?.string ?? "?") + " " + ContentFingerprint.of(live["content"]?["raw"]?.string ?? ""))
        #expect(published.modified != created.modified)
        // The publish asked again (its answer was lost): the bot's own text, so the new stamp.
        #expect(try await engine.publish(draft, reference: created, at: date).modified == published.modified)
        try await waitForTheSecondAfter(published.modified)

        let updated = try await engine.update(edited(draft, tag: "release"), reference: published)

        let stored = try await post(created.remoteID)
        #expect(updated.status == .published)
        #expect(stored["status"]?.string == "publish")
        #expect(stored["date_gmt"]?.string == live["date_gmt"]?.string)
        #expect(stored["content"]?["raw"]?.string == expectedContent(key: draft.key))
        // The stamp: the post's modified_gmt and the SHA-256 of its raw content.
        #expect(updated.modified == (stored["modified_gmt"]?.string ?? "?") + " " + ContentFingerprint.of(stored["content"]?["raw"]?.string ?? ""))
        // And again from the new stamp: still the bot's own text.
        var twice = edited(draft, tag: "release")
        twice.intro = nil
        _ = try await engine.update(twice, reference: updated)
        #expect(try await post(created.remoteID)["content"]?["raw"]?.string?.contains("What we decided") == false)
    }

    @Test func publishingAfterAPersonsEditKeepsTheOldStampSoUpdateStillRefuses() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let created = try await engine.createDraft(draft)
        try await waitForTheSecondAfter(created.modified)
        let theirs = "<!-- wp:paragraph -->\n<p>A person's words.</p>\n<!-- /wp:paragraph -->"
        _ = try await site.person().post(
            "/wp/v2/posts/\(created.remoteID)", body: .object(JSONObject([("content", .string(theirs))])),
            operation: "edit as a person")

        let date = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let published = try await engine.publish(draft, reference: created, at: date)
        #expect(published.status == .published)
        #expect(published.modified == created.modified)
        // The publish asked again (its answer was lost): done already, and still the old stamp.
        #expect(try await engine.publish(draft, reference: created, at: date).modified == created.modified)

        let error = await #expect(throws: BlogEngineError.self) {
            try await engine.update(edited(draft, tag: "x"), reference: published)
        }
        #expect(error?.kind == .conflict)
        #expect(try await post(created.remoteID)["content"]?["raw"]?.string == theirs)
    }

    @Test func anUpdateWhoseAnswerWasLostIsRecognisedOnRetry() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let created = try await engine.createDraft(draft)
        try await waitForTheSecondAfter(created.modified)
        let first = try await engine.update(edited(draft, tag: "release"), reference: created)
        #expect(first.modified != created.modified)

        // The answer was lost: the outbox asks again with the reference it still has.
        let again = try await engine.update(edited(draft, tag: "release"), reference: created)

        #expect(again.modified == first.modified)
        #expect(try await post(created.remoteID)["content"]?["raw"]?.string == expectedContent(key: draft.key))
    }

    @Test func aTrashedOrDeletedPostIsAConflict() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let trashed = try await engine.createDraft(draft)
        _ = try await site.person().delete("/wp/v2/posts/\(trashed.remoteID)", operation: "trash as a person")
        let error = await #expect(throws: BlogEngineError.self) {
            try await engine.update(edited(draft, tag: "x"), reference: trashed)
        }
        #expect(error?.kind == .conflict)
        #expect(error?.message == "post \(trashed.remoteID) was moved to the trash in WordPress, so I did not rewrite it: restore it at \(site.url.absoluteString)/wp-admin/post.php?post=\(trashed.remoteID)&action=edit to edit it there")
        #expect(try await post(trashed.remoteID)["status"]?.string == "trash")

        let deleted = try await engine.createDraft(draft)
        _ = try await site.person().delete(
            "/wp/v2/posts/\(deleted.remoteID)", query: [("force", "true")], operation: "delete as a person")
        let gone = await #expect(throws: BlogEngineError.self) {
            try await engine.update(edited(draft, tag: "x"), reference: deleted)
        }
        #expect(gone?.kind == .conflict)
        #expect(gone?.message == "post \(deleted.remoteID) is gone from WordPress (deleted by hand), so I did not rewrite it")
    }
}
