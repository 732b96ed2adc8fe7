import BlogEngines
import Foundation
import JSON
import Testing
import ThreadpressModel
import ThreadpressTesting
@testable import WordPressBlog

/// Against the real WordPress on 127.0.0.1 (`Scripts/wordpress-test-server start`).
@Suite("WordPress engine against a real WordPress")
struct WordPressEngineTests {
    let site: WordPressTestSite

    init() throws { site = try WordPressTestSite.load() }

    /// `2026-12-04T10:00:00` for a date, written without the engine's own formatter.
    static func utcString(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return String(formatter.string(from: date).dropLast())  // drop the "Z"
    }

    func post(_ id: String) async throws -> JSONValue {
        try await site.person().get("/wp/v2/posts/\(id)", query: [("context", "edit")], operation: "read post \(id)")
    }

    @Test func createsADraftVisibleOverRESTWithEveryLineEscaped() async throws {
        let (engine, _) = site.engine()
        let key = "tp-test-\(UUID().uuidString.lowercased())"
        let draft = makeDraft(
            title: "Ship <it> & \"go\"",
            lines: [("alice", "shall we ship <b>it</b> & \"go\"?"), ("alice", "line one\r\nline two"),
                    ("bob", "<script>alert('x')</script>"), ("bob", "<!-- wp:html --> \u{03}04red\u{0F} and \u{0}nul")],
            key: key)
        let reference = try await engine.createDraft(draft)
        #expect(reference.status == .draft)
        #expect(reference.editLocation == "\(site.url.absoluteString)/wp-admin/post.php?post=\(reference.remoteID)&action=edit")
        #expect(reference.modified != nil)

        let stored = try await post(reference.remoteID)
        #expect(stored["status"]?.string == "draft")
        #expect(stored["title"]?["raw"]?.string == "Ship &lt;it&gt; &amp; &quot;go&quot;")
        #expect(stored["content"]?["raw"]?.string == """
            <!-- wp:html -->
            <!-- threadpress:\(key) -->
            <!-- /wp:html -->

            <!-- wp:quote -->
            <blockquote class="wp-block-quote"><!-- wp:paragraph -->
            <p>shall we ship &lt;b&gt;it&lt;/b&gt; &amp; &quot;go&quot;?</p>
            <!-- /wp:paragraph -->

            <!-- wp:paragraph -->
            <p>line one<br>line two</p>
            <!-- /wp:paragraph --><cite>alice, 00:53</cite></blockquote>
            <!-- /wp:quote -->

            <!-- wp:quote -->
            <blockquote class="wp-block-quote"><!-- wp:paragraph -->
            <p>&lt;script&gt;alert(&#039;x&#039;)&lt;/script&gt;</p>
            <!-- /wp:paragraph -->

            <!-- wp:paragraph -->
            <p>&lt;!-- wp:html --&gt; red and nul</p>
            <!-- /wp:paragraph --><cite>bob, 00:55</cite></blockquote>
            <!-- /wp:quote -->

            """)
    }

    @Test func tagsAreCreatedWhenMissingAndFoundByNameAfterwards() async throws {
        let (engine, _) = site.engine()
        let unique = "tp tag \(UUID().uuidString.prefix(8).lowercased())"
        let first = try await engine.createDraft(makeDraft(tags: ["release notes", unique]))
        let second = try await engine.createDraft(makeDraft(tags: [unique.uppercased(), "release notes"]))
        let firstTags = try await post(first.remoteID)["tags"]?.array?.compactMap(\.int64) ?? []
        let secondTags = try await post(second.remoteID)["tags"]?.array?.compactMap(\.int64) ?? []
        #expect(firstTags.count == 2)
        #expect(Set(firstTags) == Set(secondTags))
        let names = try await site.person().get(
            "/wp/v2/tags", query: [("include", firstTags.map(String.init).joined(separator: ","))], operation: "read tags")
        #expect(Set(names.array?.compactMap { $0["name"]?.string } ?? []) == ["release notes", unique])
    }

    @Test func findsTheDraftByKeyAfterTheCreateAnswerWasLost() async throws {
        let (engine, _) = site.engine()
        let faulty = FaultInjectingBlogEngine(wrapping: engine)
        faulty.inject(.failAfter, on: .create)
        let draft = makeDraft()
        await #expect(throws: BlogEngineError.self) { try await faulty.createDraft(draft) }

        let found = try #require(try await engine.find(key: draft.key))
        #expect(found.status == .draft)
        let searched = try await site.person().get("/wp/v2/posts", query: [
            ("search", "threadpress:\(draft.key)"), ("status", "draft,publish,trash"), ("context", "edit"),
        ], operation: "search")
        #expect(searched.array?.compactMap { $0["id"]?.identifier } == [found.remoteID])
        // A key that is a prefix of another key does not find the longer one.
        #expect(try await engine.find(key: String(draft.key.dropLast())) == nil)
        #expect(try await engine.find(key: "tp-never-made-\(UUID().uuidString)") == nil)
    }

    @Test func publishesADraftNowAndAgainAfterALostAnswer() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let reference = try await engine.createDraft(draft)
        let date = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let published = try await engine.publish(draft, reference: reference, at: date)
        #expect(published.status == .published)
        #expect(published.location.hasPrefix(site.url.absoluteString))
        let stored = try await post(reference.remoteID)
        #expect(stored["status"]?.string == "publish")
        #expect(stored["date_gmt"]?.string == Self.utcString(date))
        // The same call again (its answer was lost): done already, not a conflict.
        let again = try await engine.publish(draft, reference: reference, at: date)
        #expect(again.status == .published)
    }

    @Test func schedulesAPostForAFutureDate() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let reference = try await engine.createDraft(draft)
        let date = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 2 * 86_400).rounded(.down))
        let scheduled = try await engine.publish(draft, reference: reference, at: date)
        #expect(scheduled.status == .scheduled)
        let stored = try await post(reference.remoteID)
        #expect(stored["status"]?.string == "future")
        #expect(stored["date_gmt"]?.string == Self.utcString(date))
        // Again with the same date (the answer was lost): done already.
        #expect(try await engine.publish(draft, reference: reference, at: date).status == .scheduled)
    }

    @Test func aDateUnderAMinuteAheadIsPublishedAtOnceAndRecognisedOnRetry() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let reference = try await engine.createDraft(draft)
        let date = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 30).rounded(.down))
        _ = try await engine.publish(draft, reference: reference, at: date)
        #expect(try await post(reference.remoteID)["status"]?.string == "publish")
        #expect(try await engine.publish(draft, reference: reference, at: date).status == .published)
    }

    @Test func discardMovesTheDraftToTheTrashAndAgainIsNotAnError() async throws {
        let (engine, _) = site.engine()
        let reference = try await engine.createDraft(makeDraft())
        try await engine.discard(reference)
        #expect(try await post(reference.remoteID)["status"]?.string == "trash")
        try await engine.discard(reference)
        var gone = reference
        gone.remoteID = "99999999"
        try await engine.discard(gone)
    }

    @Test func discardingAPostAPersonPublishedIsAConflictAndLeavesItLive() async throws {
        let (engine, _) = site.engine()
        let reference = try await engine.createDraft(makeDraft())
        _ = try await site.person().post(
            "/wp/v2/posts/\(reference.remoteID)", body: .object(JSONObject([("status", .string("publish"))])),
            operation: "publish as a person")
        let error = await #expect(throws: BlogEngineError.self) { try await engine.discard(reference) }
        #expect(error?.kind == .conflict)
        #expect(error?.message == "post \(reference.remoteID) was published or scheduled in WordPress meanwhile: not moved to the trash")
        #expect(try await post(reference.remoteID)["status"]?.string == "publish")
    }

    @Test func publishingKeepsAPersonsEditIntact() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let reference = try await engine.createDraft(draft)
        #expect(try await engine.isEditedInWordPress(reference) == false)
        // modified_gmt has one-second resolution: let the clock leave the second of the create.
        let created = try #require(reference.modified.flatMap { WordPressEngine.parseGMT(String($0.prefix(19))) })
        let deadline = ContinuousClock.now + .seconds(5)
        while Date() < created.addingTimeInterval(1.05), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let edited = "<!-- wp:paragraph -->\n<p>Rewritten by a person in wp-admin.</p>\n<!-- /wp:paragraph -->"
        _ = try await site.person().post(
            "/wp/v2/posts/\(reference.remoteID)", body: .object(JSONObject([("content", .string(edited)), ("title", .string("A person's title"))])),
            operation: "edit as a person")
        #expect(try await engine.isEditedInWordPress(reference) == true)
        let published = try await engine.publish(draft, reference: reference, at: Date())
        #expect(published.status == .published)
        let stored = try await post(reference.remoteID)
        #expect(stored["status"]?.string == "publish")
        #expect(stored["content"]?["raw"]?.string == edited)
        #expect(stored["title"]?["raw"]?.string == "A person's title")
    }

    @Test func aPostAPersonAlreadyPublishedOrTrashedIsAConflict() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let reference = try await engine.createDraft(draft)
        _ = try await site.person().post(
            "/wp/v2/posts/\(reference.remoteID)",
            body: .object(JSONObject([("status", .string("publish")), ("date_gmt", .string("2026-01-02T03:04:05"))])),
            operation: "publish as a person")
        let error = await #expect(throws: BlogEngineError.self) {
            try await engine.publish(draft, reference: reference, at: Date())
        }
        #expect(error?.kind == .conflict)
        #expect(error?.message == "post \(reference.remoteID) is already published in WordPress (by a person, or by an attempt whose answer was lost): left as it is")

        let other = try await engine.createDraft(draft)
        _ = try await site.person().delete("/wp/v2/posts/\(other.remoteID)", operation: "trash as a person")
        let trashed = await #expect(throws: BlogEngineError.self) {
            try await engine.publish(draft, reference: other, at: Date())
        }
        #expect(trashed?.kind == .conflict)
        #expect(trashed?.message == "post \(other.remoteID) was moved to the trash in WordPress: not published")
    }

    @Test func aWrongApplicationPasswordIsOnePermanentErrorWithoutRetries() async throws {
        let wrong = "abcd efgh ijkl mnop qrst uvwx"
        let (engine, transport) = site.engine(password: wrong)
        let error = await #expect(throws: BlogEngineError.self) { try await engine.createDraft(makeDraft()) }
        #expect(error?.kind == .permanent)
        #expect(error?.httpStatus == 401)
        #expect(error?.message == """
            WordPress at 127.0.0.1 rejected user "author" or its application password (HTTP 401 on create the draft \
            for draft 7): check blog.wordpress.username and the application password; over plain http WordPress \
            accepts application passwords only when its WP_ENVIRONMENT_TYPE is local (use https)
            """)
        #expect(error?.message.contains(wrong) == false)
        #expect(transport.count == 2)  // the front page (discovery) and the one POST
    }

    @Test func discoversTheAPIRootWithAndWithoutPrettyPermalinks() async throws {
        let plain = site.engine().0
        #expect(try await plain.client.apiRoot().absoluteString == "\(site.url.absoluteString)/index.php?rest_route=/")
        let (pretty, _) = site.engine(pretty: true)
        #expect(try await pretty.client.apiRoot().absoluteString == "\(site.prettyURL.absoluteString)/wp-json/")
        let draft = makeDraft()
        let reference = try await pretty.createDraft(draft)
        #expect(try await pretty.find(key: draft.key)?.remoteID == reference.remoteID)
        let published = try await pretty.publish(draft, reference: reference, at: Date())
        #expect(published.location.hasPrefix("\(site.prettyURL.absoluteString)/20"))
    }

    @Test func aCommentThroughTheFormIsHeldThenApprovedThenGone() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft(title: "Comments & more")
        let reference = try await engine.publish(draft, reference: try await engine.createDraft(draft), at: Date())
        let cursor = WordPressEngine.gmtString(Date().addingTimeInterval(-5))
        let marker = UUID().uuidString
        let status = try await site.postCommentThroughForm(
            postID: reference.remoteID, author: "Reader <b>R</b>", email: "\(marker)@example.invalid",
            text: "First!\r\nMarker \(marker) <b>bold</b> &amp; <script>x()</script>done")
        #expect(status == 302)

        let page = try await engine.comments(after: cursor, scope: .everyPost)
        let held = try #require(page.comments.first { $0.text.contains(marker) })
        #expect(held.status == .held)
        #expect(held.kind == .comment)
        #expect(held.postID == reference.remoteID)
        #expect(held.postTitle == "Comments & more")
        #expect(held.authorName == "Reader R")
        // WordPress's kses removed the <script> tags from a reader's comment but kept their text.
        #expect(held.text == "First! Marker \(marker) bold & x()done")
        #expect(page.cursor.map { $0 >= cursor } == true)

        try await engine.moderate(commentID: held.id, to: .approve)
        #expect(try await engine.comments(ids: [held.id]).map(\.status) == [.approved])
        let again = try await engine.comments(after: cursor, scope: .posts([reference]))
        #expect(again.comments.first { $0.id == held.id }?.status == .approved)
        #expect(again.comments.first { $0.id == held.id }?.link?.hasPrefix(site.url.absoluteString) == true)

        try await engine.moderate(commentID: held.id, to: .spam)
        #expect(try await engine.comments(ids: [held.id]).isEmpty)
    }

    @Test func aCommentInTheCursorsOwnSecondIsReturnedAgain() async throws {
        // after= is exclusive at one-second resolution: a comment written in the same second as the
        // last one seen must not be lost, so the poll asks from a second before the cursor.
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let reference = try await engine.publish(draft, reference: try await engine.createDraft(draft), at: Date())
        let id = try await site.runPHP("""
            echo wp_insert_comment(['comment_post_ID' => \(reference.remoteID), 'comment_author' => 'Same second',
                'comment_content' => 'written in the cursor second', 'comment_approved' => 1]);
            """)
        let written = try #require(try await engine.comments(ids: [id]).first)
        let page = try await engine.comments(after: WordPressEngine.gmtString(written.date), scope: .posts([reference]))
        #expect(page.comments.map(\.id) == [id])
    }

    @Test func aPingbackIsReturnedAsAPingback() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let reference = try await engine.publish(draft, reference: try await engine.createDraft(draft), at: Date())
        let cursor = WordPressEngine.gmtString(Date().addingTimeInterval(-5))
        let id = try await site.runPHP("""
            echo wp_insert_comment(['comment_post_ID' => \(reference.remoteID), 'comment_author' => 'Other &amp; Blog',
                'comment_author_url' => 'http://other.example/linking-post', 'comment_type' => 'pingback',
                'comment_content' => '[&#8230;] a post about <strong>shipping</strong> [&#8230;]', 'comment_approved' => 1]);
            """)
        let page = try await engine.comments(after: cursor, scope: .posts([reference]))
        let pingback = try #require(page.comments.first { $0.id == id })
        #expect(pingback.kind == .pingback)
        #expect(pingback.status == .approved)
        #expect(pingback.authorName == "Other & Blog")
        #expect(pingback.authorURL == "http://other.example/linking-post")
        #expect(pingback.text == "[…] a post about shipping […]")
    }

    @Test func aPollWithNothingNewIsOneRequestWhateverTheNumberOfPosts() async throws {
        let (engine, transport) = site.engine()
        let posts = [try await engine.createDraft(makeDraft()), try await engine.createDraft(makeDraft()),
                     try await engine.createDraft(makeDraft())]
        let cursor = WordPressEngine.gmtString(Date().addingTimeInterval(3600))
        _ = try await engine.comments(after: cursor, scope: .everyPost)  // the first poll also reads the time zone
        let before = transport.count
        let everything = try await engine.comments(after: cursor, scope: .everyPost)
        #expect(transport.count == before + 1)
        #expect(everything.comments.isEmpty)
        #expect(everything.cursor == cursor)
        let ours = try await engine.comments(after: cursor, scope: .posts(posts))
        #expect(transport.count == before + 2)
        #expect(ours.comments.isEmpty)
        #expect(transport.requests.last?.contains("type=all") == true)
    }

    @Test func aReplyIsPostedAsTheUserWithItsTextEscaped() async throws {
        let (engine, _) = site.engine()
        let draft = makeDraft()
        let reference = try await engine.publish(draft, reference: try await engine.createDraft(draft), at: Date())
        let marker = UUID().uuidString
        #expect(try await site.postCommentThroughForm(
            postID: reference.remoteID, author: "Reader", email: "\(marker)@example.invalid", text: "Question \(marker)") == 302)
        let cursor = WordPressEngine.gmtString(Date().addingTimeInterval(-5))
        let comment = try #require(try await engine.comments(after: cursor, scope: .posts([reference])).comments
            .first { $0.text.contains(marker) })
        let reply = try await engine.reply(toCommentID: comment.id, text: "Thanks <b>you</b> & \"all\"")
        #expect(reply.postID == reference.remoteID)
        #expect(reply.status == .approved)
        #expect(reply.text == "Thanks <b>you</b> & \"all\"")
        let stored = try await site.person().get(
            "/wp/v2/comments/\(reply.id)", query: [("context", "edit")], operation: "read the reply")
        #expect(stored["content"]?["raw"]?.string == "Thanks &lt;b&gt;you&lt;/b&gt; &amp; &quot;all&quot;")
        #expect(stored["parent"]?.identifier == comment.id)
        #expect(stored["author_name"]?.string == "author")
    }

    @Test func aFullPageIsFollowedByTheNextOneInTheSamePoll() async throws {
        let (engine, transport) = site.engine()
        let draft = makeDraft()
        let reference = try await engine.publish(draft, reference: try await engine.createDraft(draft), at: Date())
        // Dated three hours back, so that polls of other tests (which look an hour back) never see them.
        let written = Date().addingTimeInterval(-3 * 3600)
        let cursor = WordPressEngine.gmtString(written.addingTimeInterval(-5))
        _ = try await site.runPHP("""
            global $wpdb;
            $rows = [];
            $gmt = '\(WordPressEngine.gmtString(written).replacingOccurrences(of: "T", with: " "))';
            $local = get_date_from_gmt($gmt);
            for ($i = 1; $i <= 130; $i++) {
                $rows[] = $wpdb->prepare('(%d, %s, %s, %s, %s, %s, %s)', \(reference.remoteID), "Reader $i",
                    "Comment number $i", '1', 'comment', $local, $gmt);
            }
            // One statement: 130 wp_insert_comment calls take half a minute on a loaded machine.
            $wpdb->query("INSERT INTO {$wpdb->comments} (comment_post_ID, comment_author, comment_content,
                comment_approved, comment_type, comment_date, comment_date_gmt) VALUES " . implode(',', $rows));
            wp_update_comment_count_now(\(reference.remoteID));
            """)
        #expect(try await engine.siteZone()?.identifier == "Europe/Berlin")  // asked once, before polling
        let before = transport.count
        let page = try await engine.comments(after: cursor, scope: .posts([reference]))
        #expect(transport.count == before + 2)
        #expect(page.comments.count == 130)
        #expect(Set(page.comments.map(\.text)).count == 130)
        #expect(page.cursor.map { $0 >= cursor } == true)
    }

    @Test func checkingTheCredentialsNamesTheUserOrSaysWhatIsWrong() async throws {
        #expect(try await site.engine().0.client.checkCredentials() == "author")
        let error = await #expect(throws: BlogEngineError.self) {
            try await site.engine(password: "wrong wrong wrong").0.client.checkCredentials()
        }
        #expect(error?.httpStatus == 401)
        #expect(error?.kind == .permanent)
    }
}
