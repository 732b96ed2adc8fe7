import Foundation
import Testing
import ThreadpressModel
@testable import WordPressBlog

@Suite("WordPress post renderer")
struct WordPressPostRendererTests {
    static let start = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30T00:53:20Z

    static func line(_ nick: String, _ text: String, minutes: Double, kind: ChatMessageKind = .message) -> ChatMessage {
        ChatMessage(channel: "#team", time: start.addingTimeInterval(minutes * 60), sender: ChatIdentity(nick: nick), kind: kind, text: text)
    }

    static func draft(_ lines: [ChatMessage], zone: String = "UTC") -> PostDraft {
        PostDraft(key: "tp-1", number: 1, title: "T", created: start, tags: [], authors: [], lines: lines,
                  timeZone: IANATimeZone(identifier: zone)!)
    }

    @Test func rendersOneQuotePerSpeakerRunWithActionsAndEvents() {
        let content = WordPressPostRenderer().content(for: Self.draft([
            Self.line("alice", "hi & <hello>", minutes: 0),
            Self.line("alice", "waves", minutes: 1, kind: .action),
            Self.line("carol", "joined", minutes: 1.5, kind: .event),
            Self.line("bob", "it's \"fine\"", minutes: 2),
            Self.line("alice", "", minutes: 3),
        ], zone: "Europe/Berlin"))
        #expect(content == """
            <!-- wp:html -->
            <!-- threadpress:tp-1 -->
            <!-- /wp:html -->

            <!-- wp:quote -->
            <blockquote class="wp-block-quote"><!-- wp:paragraph -->
            <p>hi &amp; &lt;hello&gt;</p>
            <!-- /wp:paragraph -->

            <!-- wp:paragraph -->
            <p><em>* alice waves</em></p>
            <!-- /wp:paragraph --><cite>alice, 01:53</cite></blockquote>
            <!-- /wp:quote -->

            <!-- wp:quote -->
            <blockquote class="wp-block-quote"><!-- wp:paragraph -->
            <p>it&#039;s &quot;fine&quot;</p>
            <!-- /wp:paragraph --><cite>bob, 01:55</cite></blockquote>
            <!-- /wp:quote -->

            <!-- wp:quote -->
            <blockquote class="wp-block-quote"><!-- wp:paragraph -->
            <p></p>
            <!-- /wp:paragraph --><cite>alice, 01:56</cite></blockquote>
            <!-- /wp:quote -->

            """)
    }

    @Test func showsTheDateWhenTheConversationSpansDays() {
        let content = WordPressPostRenderer().content(for: Self.draft([
            Self.line("alice", "late", minutes: 0),
            Self.line("bob", "next day", minutes: 24 * 60),
        ]))
        #expect(content.contains("<cite>alice, 2026-11-30 00:53</cite>"))
        #expect(content.contains("<cite>bob, 2026-12-01 00:53</cite>"))
    }

    @Test(arguments: [
        ("tp-3f9c", "threadpress:tp-3f9c"),
        ("a.b_c-1", "threadpress:a.b_c-1"),
        ("-lead", "threadpress:%2Dlead"),
        ("with space-->x", "threadpress:with%20space--%3Ex"),
        ("é", "threadpress:%C3%A9"),
    ])
    func theMarkerKeyCannotEndTheCommentOrSplitTheSearch(key: String, expected: String) {
        #expect(WordPressPostRenderer.searchTerm(forKey: key) == expected)
        #expect(WordPressPostRenderer.marker(forKey: key) == "<!-- \(expected) -->")
    }

    @Test func escapesTheTitle() {
        var draft = Self.draft([])
        draft.title = "<b>Bold</b> & 'quoted'\r\nsecond line"
        #expect(WordPressPostRenderer().title(for: draft) == "&lt;b&gt;Bold&lt;/b&gt; &amp; &#039;quoted&#039; second line")
    }
}

/// The intro paragraph (`!draft N intro …`): untrusted chat text, never live HTML or a block.
@Suite("WordPress intro paragraph")
struct WordPressIntroTests {
    static let quote = """
        <!-- wp:quote -->
        <blockquote class="wp-block-quote"><!-- wp:paragraph -->
        <p>hi</p>
        <!-- /wp:paragraph --><cite>alice, 00:53</cite></blockquote>
        <!-- /wp:quote -->

        """

    static func draft(intro: String?) -> PostDraft {
        var draft = WordPressPostRendererTests.draft([WordPressPostRendererTests.line("alice", "hi", minutes: 0)])
        draft.intro = intro
        return draft
    }

    @Test(arguments: [
        ("<script>alert('x')</script>", "&lt;script&gt;alert(&#039;x&#039;)&lt;/script&gt;"),
        ("<!-- /wp:paragraph --><!-- wp:html --><img src=x onerror=alert(1)>",
         "&lt;!-- /wp:paragraph --&gt;&lt;!-- wp:html --&gt;&lt;img src=x onerror=alert(1)&gt;"),
        ("Fish & \"chips\"", "Fish &amp; &quot;chips&quot;"),
        ("first\r\nsecond\n\n", "first<br>second"),
        ("\u{03}04red\u{0F} and\u{0} nul", "red and nul"),
    ])
    func theIntroIsAnEscapedParagraphAfterTheMarker(intro: String, paragraph: String) {
        #expect(WordPressPostRenderer().content(for: Self.draft(intro: intro)) == """
            <!-- wp:html -->
            <!-- threadpress:tp-1 -->
            <!-- /wp:html -->

            <!-- wp:paragraph -->
            <p>\(paragraph)</p>
            <!-- /wp:paragraph -->


            """ + Self.quote)
    }

    @Test(arguments: [nil, "", " \r\n \n"] as [String?])
    func anIntroWithoutVisibleTextAddsNothing(intro: String?) {
        #expect(WordPressPostRenderer().content(for: Self.draft(intro: intro)) == """
            <!-- wp:html -->
            <!-- threadpress:tp-1 -->
            <!-- /wp:html -->


            """ + Self.quote)
    }
}
