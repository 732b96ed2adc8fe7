import Testing

import BlogEngines
import ChatTransports
@testable import Configuration
@testable import ConfigurationReading

@Suite struct ConfigurationTextTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("quote \" and \\", #""quote \" and \\""#),
        ("line\nbreak\ttab\r", #""line\nbreak\ttab\r""#),
        ("bell\u{7} esc\u{1B} del\u{7F} c1\u{85}", #""bell\u{7} esc\u{1B} del\u{7F} c1\u{85}""#),
        ("bidi\u{202E}txt zero\u{200B}width", #""bidi\u{202E}txt zero\u{200B}width""#),
        (String(repeating: "a", count: 40), "\"" + String(repeating: "a", count: 40) + "\""),
        (String(repeating: "a", count: 41), "\"" + String(repeating: "a", count: 40) + "…\""),
        (String(repeating: "é", count: 45), "\"" + String(repeating: "é", count: 40) + "…\""),
        ("", #""""#),
    ])
    func quotesUntrustedTextSafely(text: String, expected: String) {
        #expect(UntrustedText.quoted(text) == expected)
    }

    @Test(arguments: [
        ("formt", ["path", "format", "channel"], "format"),
        ("gapMinutes", ["gap_minutes", "maximum_messages"], "gap_minutes"),
        ("FORMAT", ["format"], "format"),
        ("poll", ["path", "poll_milliseconds"], "poll_milliseconds"),
        ("directory_path", ["directory", "tags"], "directory"),
        ("colour", ["gap_minutes", "maximum_messages"], nil),
        ("xy", ["path"], nil),
        ("pa", ["path"], "path"),
    ] as [(String, [String], String?)])
    func suggestsCloseKeys(word: String, candidates: [String], expected: String?) {
        #expect(ClosestMatch.suggestion(for: word, among: candidates) == expected)
    }

    @Test(arguments: [
        ("name", "name"),
        ("gap_minutes", "gap_minutes"),
        ("with space", #"["with space"]"#),
        ("dot.ted", #"["dot.ted"]"#),
        ("", #"[""]"#),
    ])
    func writesKeysAsPathComponents(key: String, expected: String) {
        #expect(UntrustedText.pathComponent(key) == expected)
    }
}
