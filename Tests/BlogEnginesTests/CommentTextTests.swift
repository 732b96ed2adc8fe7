import Testing
@testable import BlogEngines

@Suite("Comment text cleaning")
struct CommentTextTests {
    @Test(arguments: [
        ("plain words", "plain words"),
        ("line one\r\nline two\nline three\rfour", "line one line two line three four"),
        ("nul\u{0}inside", "nulinside"),
        ("\u{02}bold\u{02} \u{1D}italic\u{1D} \u{1F}under\u{1F} \u{16}rev\u{0F} \u{1E}strike \u{11}mono", "bold italic under rev strike mono"),
        ("\u{03}04red\u{03} \u{03}4,12on blue\u{03} \u{03},5comma", "red on blue ,5comma"),
        ("\u{04}FF0000hex\u{04} done", "hex done"),
        ("<p>Nice &amp; <b>bold</b></p><p>second</p>", "Nice & bold second"),
        ("a<br>b<br/>c", "a b c"),
        ("<script>alert(1)</script>after<style>p{}</style>", "after"),
        ("<!-- hidden -->shown<!-- unclosed", "shown"),
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
        ("&lt;b&gt;not a tag&lt;/b&gt; &quot;q&quot; &#39;s&#39; &#x263A; &hellip; &unknown; & alone", "<b>not a tag</b> \"q\" 's' ☺ … &unknown; & alone"),
        ("&#10;entity newline&#13;&#0;", "entity newline"),
        ("<a href=\"http://x/?a=1&amp;b=>2\">link</a> text", "link text"),
        ("  lots   of\t\tspace \u{A0} here  ", "lots of space here"),
        ("bidi \u{202E}reversed\u{202C} zero\u{200B}width \u{FEFF}bom", "bidi reversed zerowidth bom"),
        ("line\u{2028}sep\u{2029}para\u{85}nel", "line sep para nel"),
        ("\u{7F}del \u{9B}csi", "del csi"),
    ])
    func cleansHTMLCommentsToOneSafeLine(input: String, expected: String) {
        let output = CommentText.plain(fromHTML: input, limit: 300)
        #expect(output == expected)
        #expect(!output.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    }

    @Test func aLongCommentBecomesOneBoundedLine() {
        let input = String(repeating: "word\r\n\u{0}<b>x</b> ", count: 1000)  // well over 5,000 characters
        #expect(input.count > 5000)
        let output = CommentText.plain(fromHTML: input, limit: 300)
        #expect((290...300).contains(output.count))
        #expect(output.hasSuffix("…"))
        #expect(output.hasPrefix("word x word x word x"))
        #expect(!output.contains("\r") && !output.contains("\n") && !output.contains("\u{0}"))
    }

    @Test(arguments: [("short", 10, "short"), ("exactly10!", 10, "exactly10!"), ("eleven chr!", 10, "eleven ch…"),
                      ("word then space", 10, "word then…"), ("anything", 0, "")])
    func cutsAtTheLimitWithAnEllipsis(input: String, limit: Int, expected: String) {
        #expect(CommentText.plain(fromText: input, limit: limit) == expected)
    }
}
