import BlogEngines
import Foundation
import Testing
import ThreadpressModel

struct MarkdownPostRendererTests {
    @Test func rendersTheExactFileForASmallDraft() {
        let draft = PostDraft(
            key: "tp-1", number: 1, title: #"Deploy "Friday" <now>"#, created: utc("2026-11-27T08:14:00Z"),
            tags: ["ops", "deploy"], authors: ["alice", "bob_2"],
            lines: [
                message("alice", "2026-11-27T08:14:05Z", "shall we **deploy**?\nit's friday {{ site.title }}"),
                message("bob_2", "2026-11-27T08:15:00Z", "hides under the desk", kind: .action),
                message("carol", "2026-11-27T08:15:30Z", "joined", kind: .event),
                message("alice", "2026-11-27T08:16:59Z", "<script>alert(1)</script>"),
            ],
            timeZone: berlin)
        let expected = #"""
            ---
            title: "Deploy ”Friday” ‹now›"
            date: 2026-11-27 09:14:00 +0100
            layout: post
            tags: ["ops", "deploy"]
            authors: ["alice", "bob_2"]
            threadpress_id: "tp-1"
            render_with_liquid: false
            ---

            > **alice** (09:14): shall we \*\*deploy\*\*?<br>it's friday &#123;&#123; site.title &#125;&#125;
            >
            > _\* bob\_2 hides under the desk_ (09:15)
            >
            > **alice** (09:16): &lt;script&gt;alert\(1\)&lt;/script&gt;

            """#
        #expect(MarkdownPostRenderer().render(draft, date: draft.created) == expected)
    }

    @Test func showsTheDayWhenTheConversationCrossesMidnight() {
        let draft = PostDraft(
            key: "tp-2", number: 2, title: "Late", created: utc("2026-06-30T22:00:00Z"), tags: [], authors: ["a"],
            lines: [
                message("a", "2026-06-30T21:59:00Z", "still here"),
                message("a", "2026-06-30T22:01:00Z", "past midnight"),
                message("a", "2026-06-30T22:02:00Z", "same day"),
            ],
            timeZone: berlin)
        let text = MarkdownPostRenderer().render(draft, date: draft.created)
        #expect(text.contains("date: 2026-07-01 00:00:00 +0200\n"))
        #expect(text.contains("tags: []\n"))
        #expect(text.hasSuffix("""
            > **a** (2026-06-30 23:59): still here
            >
            > **a** (2026-07-01 00:01): past midnight
            >
            > **a** (00:02): same day

            """))
    }

    @Test func escapesNicksAndKeepsEmptyMessages() {
        let draft = PostDraft(
            key: "tp-3", number: 3, title: "x", created: utc("2026-01-01T00:00:00Z"), tags: [], authors: [],
            lines: [message("[evil](js:x)", "2026-01-01T00:00:00Z", ""), message("*me*", "2026-01-01T00:00:00Z", "", kind: .action)],
            timeZone: IANATimeZone(identifier: "UTC")!)
        #expect(MarkdownPostRenderer().body(draft) == """
            > **\\[evil\\]\\(js:x\\)** (00:00):
            >
            > _\\* \\*me\\*_ (00:00)

            """)
    }
}

/// The intro paragraph (`!draft N intro …`): untrusted chat text, escaped like the lines.
struct MarkdownPostRendererIntroTests {
    static let quotes = "> **alice** (09:14): shall we deploy?\n>\n> _\\* bob hides_ (09:15)\n"

    @Test(arguments: [
        ("<script>alert('x')</script>", "&lt;script&gt;alert\\('x'\\)&lt;/script&gt;"),
        ("*x* and _y_", "\\*x\\* and \\_y\\_"),
        ("{{ site.title }} {% include x.html %}", "&#123;&#123; site.title &#125;&#125; &#123;% include x.html %&#125;"),
        ("# not a heading", "\\# not a heading"),
        ("> not a quote", "&gt; not a quote"),
        ("1. not a list", "1\\. not a list"),
        ("---", "\\-\\-\\-"),
        ("    not code", "not code"),
        ("first line\r\nsecond line\n\n", "first line<br>second line"),
        ("bell\u{07}here", "bell\u{FFFD}here"),
    ])
    func theIntroIsAnEscapedParagraphBeforeTheQuotes(intro: String, paragraph: String) {
        var draft = makeDraft()
        draft.intro = intro
        #expect(MarkdownPostRenderer().body(draft) == paragraph + "\n\n" + Self.quotes)
    }

    @Test(arguments: [nil, "", "  \n\t ", "\r\n"] as [String?])
    func anIntroWithoutVisibleTextAddsNothing(intro: String?) {
        var draft = makeDraft()
        draft.intro = intro
        #expect(MarkdownPostRenderer().body(draft) == Self.quotes)
    }

    @Test func anIntroWithoutLinesIsTheWholeBody() {
        var draft = makeDraft()
        draft.intro = "Just words."
        draft.lines = []
        #expect(MarkdownPostRenderer().body(draft) == "Just words.\n")
    }
}
