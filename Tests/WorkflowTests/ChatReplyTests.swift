import Testing
import ThreadpressModel

@Suite struct ChatReplyTests {
    @Test(arguments: [
        ("plain", "plain"), ("a\r\nQUIT :bye", "a QUIT :bye"), ("nul\u{0}here", "nul here"), ("tab\tsep", "tab sep"),
        ("  lead and trail  ", "lead and trail"), ("\u{2028}sep\u{85}", "sep"), ("\u{3}4colour\u{2}bold", "4colour bold"),
        ("émoji 🎉 ok", "émoji 🎉 ok"), ("\u{202E}txt.exe\u{202C} and \u{2066}iso\u{2069}", "txt.exe and iso"),
    ])
    func wireSafeTextHasNoControlCharacters(input: String, expected: String) {
        let reply = ChatReply(channel: "#team", text: input)
        #expect(reply.wireSafe == expected)
        #expect(!reply.wireSafe.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
    }

    @Test(arguments: [8, 10, 17, 50, 400])
    func splitsLongRepliesByBytesWithoutBreakingCharacters(limit: Int) {
        let text = String(repeating: "héllo wörld 🎉 ", count: 40)
        let lines = ChatReply(channel: "#team", text: text).lines(maximumBytes: limit)
        for line in lines { #expect(line.utf8.count <= limit) }
        // Every word fits in 8 bytes, so lines break only at spaces: joined back, they are the text.
        #expect(lines.joined(separator: " ") == String(repeating: "héllo wörld 🎉 ", count: 40).dropLast())
    }

    @Test func aCharacterLargerThanTheLimitIsCutBetweenScalarsAndTheSplitEnds() {
        let monster = "a" + String(repeating: "\u{301}", count: 3000)  // one Character, 6001 bytes
        let lines = ChatReply(channel: "#t", text: "x " + monster + " y").lines(maximumBytes: 400)
        for line in lines { #expect(line.utf8.count <= 400) }
        #expect(lines.joined().unicodeScalars.filter { $0 == "\u{301}" }.count == 3000)
        #expect(lines.last?.hasSuffix("y") == true)
    }

    @Test func shortRepliesStayOneLine() {
        #expect(ChatReply(channel: "#t", text: "hi\nthere").lines(maximumBytes: 400) == ["hi there"])
    }
}
