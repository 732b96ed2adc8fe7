import Testing
@testable import IRCProtocol

@Suite struct IRCReplySplitterTests {
    struct Sanitising: Sendable, CustomStringConvertible {
        let input: String
        let expected: String
        var description: String { input.debugDescription }
    }

    static let sanitising: [Sanitising] = [
        Sanitising(input: "plain text", expected: "plain text"),
        Sanitising(input: "\u{2}bold\u{2} \u{1D}italic\u{1D} \u{1F}under\u{1F} \u{1E}strike\u{1E} \u{11}mono\u{11} \u{16}rev\u{16}\u{F}",
                   expected: "bold italic under strike mono rev"),
        Sanitising(input: "\u{3}4red\u{3} \u{3}04,12both\u{3} \u{3}123 digits", expected: "red both 3 digits"),
        Sanitising(input: "\u{3}4,text keeps comma", expected: ",text keeps comma"),
        Sanitising(input: "\u{3},5 no fg", expected: ",5 no fg"),
        Sanitising(input: "\u{4}FF0000red\u{4} \u{4}00ff00,0000FFx", expected: "red x"),
        Sanitising(input: "hi\r\nQUIT :bye", expected: "hi  QUIT :bye"),
        Sanitising(input: "nul\u{0}byte\ttab", expected: "nulbyte tab"),
        Sanitising(input: "\u{1}ACTION fakes\u{1}", expected: "ACTION fakes"),
        Sanitising(input: "grüße 👋🏽 日本", expected: "grüße 👋🏽 日本"),
    ]

    @Test(arguments: sanitising)
    func stripsFormattingAndControlCharacters(testCase: Sanitising) {
        #expect(IRCText.sanitized(testCase.input) == testCase.expected)
    }

    @Test func budgetComesFromTheLearnedHostmask() {
        let splitter = IRCReplySplitter()
        // ":tp!tp@127.0.0.1 PRIVMSG #team :" is 32 bytes, plus CR LF.
        #expect(splitter.budget(nick: "tp", hostmask: IRCSource("tp!tp@127.0.0.1"), target: "#team") == 478)
        // Before the hostmask is known: nick + 10-byte user + 63-byte host.
        #expect(splitter.budget(nick: "tp", hostmask: nil, target: "#team") == 512 - (1 + 2 + 1 + 10 + 1 + 63 + 1 + 7 + 1 + 5 + 2) - 2)
        #expect(splitter.budget(nick: "tp", hostmask: IRCSource("tp!~tp@host.example"), command: "NOTICE", target: "alice",
                                lineLength: 1024) == 1024 - ":tp!~tp@host.example NOTICE alice :".utf8.count - 2)
    }

    @Test func keepsShortTextOnOneLine() {
        #expect(IRCReplySplitter().split("draft 3 created: \u{2}Hello\u{2}", budget: 100) == ["draft 3 created: Hello"])
    }

    @Test func splitsAtSpacesWithContinuationMarkers() {
        let lines = IRCReplySplitter().split("one two three four five six", budget: 12)
        // The marker " …" takes 4 of the 12 bytes.
        #expect(lines == ["one two …", "three …", "four …", "five six"])
        #expect(IRCReplySplitter().split("one two three four", budget: 14) == ["one two …", "three four"])
    }

    @Test func turnsLineBreaksIntoSeparateLines() {
        let lines = IRCReplySplitter().split("first\r\nsecond\n\nthird\rfourth", budget: 50)
        #expect(lines == ["first", "second", "third", "fourth"])
    }

    @Test func cutsLongWordsOnCharacterBoundaries() {
        // "é" is 2 bytes, "👋🏽" one character of 8 bytes.
        let lines = IRCReplySplitter(continuationMarker: "…").split("éééééé👋🏽x", budget: 8)
        #expect(lines == ["éé…", "éé…", "éé…", "👋🏽", "x"])
        for line in lines { #expect(line.utf8.count <= 8) }
    }

    @Test func cutsAnOversizedCharacterBetweenScalars() {
        let zalgo = "a" + String(repeating: "\u{301}", count: 20)  // one character, 41 bytes
        let lines = IRCReplySplitter(continuationMarker: "").split(zalgo, budget: 10)
        #expect(lines.joined() == zalgo)
        for line in lines { #expect(line.utf8.count <= 10) }
    }

    @Test func aLongAnnouncementWithInjectionBecomesSafeLinesWithinBudget() throws {
        let splitter = IRCReplySplitter()
        let budget = splitter.budget(nick: "threadpress", hostmask: IRCSource("threadpress!threadpress@127.0.0.1"), target: "#team")
        var text = ""
        while text.utf8.count < 2_000 { text += "Grüße aus Köln 日本語 👋🏽 \u{3}4colour\u{3} \r\nQUIT :injected\u{0} " }
        let lines = splitter.split(text, budget: budget)
        #expect(lines.count > 4)
        for line in lines {
            #expect(line.utf8.count <= budget)
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
            let message = IRCMessage("PRIVMSG", "#team", line)
            let wire = ":threadpress!threadpress@127.0.0.1 " + (try message.serialized()) + "\r\n"
            #expect(wire.utf8.count <= 512)
            // Exactly one line, one command on the wire.
            #expect(wire.utf8.filter { $0 == 0x0A }.count == 1)
            #expect(try IRCMessage(parsing: wire).command == "PRIVMSG")
        }
        // No text lost except control characters, markers and the spaces at cuts.
        let original = IRCText.sanitized(text.replacingOccurrences("\r\n", with: " ")).filter { $0 != " " }
        let joined = lines.map { $0.hasSuffix(" …") ? String($0.dropLast(2)) : $0 }.joined().filter { $0 != " " }
        #expect(joined == original)
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
