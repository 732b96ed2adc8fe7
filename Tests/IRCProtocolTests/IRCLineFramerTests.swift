import Testing
@testable import IRCProtocol

@Suite struct IRCLineFramerTests {
    static func frame(_ pieces: [ArraySlice<UInt8>], maximumLineLength: Int = IRCLineFramer.defaultMaximumLineLength)
        -> (events: [IRCLineFramer.Event], buffered: Int)
    {
        var framer = IRCLineFramer(maximumLineLength: maximumLineLength)
        var events: [IRCLineFramer.Event] = []
        for piece in pieces { events += framer.feed(piece) }
        return (events, framer.bufferedByteCount)
    }

    struct Case: Sendable, CustomStringConvertible {
        let input: String
        let maximum: Int
        let expected: [IRCLineFramer.Event]
        let buffered: Int
        var description: String { input.debugDescription }
    }

    static func line(_ text: String) -> IRCLineFramer.Event { .line(Array(text.utf8)) }

    static let cases: [Case] = [
        Case(input: "PING :a\r\nPING :b\r\n", maximum: 100, expected: [line("PING :a"), line("PING :b")], buffered: 0),
        Case(input: "PING :a\nPING :b\n", maximum: 100, expected: [line("PING :a"), line("PING :b")], buffered: 0),
        Case(input: "mixed\r\nbare\nheld", maximum: 100, expected: [line("mixed"), line("bare")], buffered: 4),
        Case(input: "\r\n\n\r\nx\r\n", maximum: 100, expected: [line("x")], buffered: 0),
        Case(input: "a\rb\r\n", maximum: 100, expected: [line("a\rb")], buffered: 0),
        Case(input: ":n!u@h PRIVMSG #a :grüße 👋 日本\r\n", maximum: 100,
             expected: [line(":n!u@h PRIVMSG #a :grüße 👋 日本")], buffered: 0),
        // Limits: exactly 8 bytes fit (with or without CR), 9 are overlong and counted with their ending.
        Case(input: "12345678\r\n12345678\n123456789\r\nok\n123456789\nok2\n", maximum: 8,
             expected: [line("12345678"), line("12345678"), .overlong(byteCount: 11), line("ok"), .overlong(byteCount: 10), line("ok2")],
             buffered: 0),
        Case(input: "ok\n0123456789abcdef0123456789abcdef\r\nafter\r\n0123456789abc", maximum: 8,
             expected: [line("ok"), .overlong(byteCount: 34), line("after")], buffered: 0),
    ]

    @Test(arguments: cases)
    func givesTheSameEventsWhateverTheSplit(testCase: Case) {
        let bytes = Array(testCase.input.utf8)
        let whole = Self.frame([bytes[...]], maximumLineLength: testCase.maximum)
        #expect(whole.events == testCase.expected)
        #expect(whole.buffered == testCase.buffered)
        let byteByByte = Self.frame(bytes.indices.map { bytes[$0...$0] }, maximumLineLength: testCase.maximum)
        #expect(byteByByte.events == testCase.expected)
        #expect(byteByByte.buffered == testCase.buffered)
        for split in 0...bytes.count {
            let pieces = Self.frame([bytes[..<split], bytes[split...]], maximumLineLength: testCase.maximum)
            #expect(pieces.events == testCase.expected, "split at \(split)")
            #expect(pieces.buffered == testCase.buffered, "split at \(split)")
        }
    }

    @Test func neverBuffersMoreThanOneLineWhateverThePeerSends() {
        var framer = IRCLineFramer()
        let chunk = [UInt8](repeating: 0x41, count: 4096)
        for _ in 0..<1_000 {  // 4 MB without a newline
            #expect(framer.feed(chunk).isEmpty)
            #expect(framer.bufferedByteCount <= IRCLineFramer.defaultMaximumLineLength + 1)
        }
        #expect(framer.feed(Array("\r\nPING :x\r\n".utf8)) == [.overlong(byteCount: 4_096_002), .line(Array("PING :x".utf8))])
        #expect(framer.bufferedByteCount == 0)
    }

    @Test func acceptsTheLongestLegalTaggedLine() {
        let tags = "@" + String(repeating: "t", count: 8189) + " "   // 8191 tag bytes, space included
        let rest = ":n!u@h PRIVMSG #a :" + String(repeating: "x", count: 510 - 19)
        let line = Array((tags + rest).utf8)
        #expect(line.count == 8191 + 510)
        var framer = IRCLineFramer()
        #expect(framer.feed(line + [0x0D, 0x0A]) == [.line(line)])
    }

    @Test func forgetsAPartialLineOnReset() {
        var framer = IRCLineFramer(maximumLineLength: 8)
        #expect(framer.feed(Array("PING :ha".utf8)) == [])
        framer.reset()
        #expect(framer.bufferedByteCount == 0)
        #expect(framer.feed(Array("lfhalf\r\nPING :x\n".utf8)) == [.line(Array("lfhalf".utf8)), .line(Array("PING :x".utf8))])
        _ = framer.feed(Array("0123456789".utf8))  // now dropping an overlong line
        framer.reset()
        #expect(framer.feed(Array("ok\n".utf8)) == [.line(Array("ok".utf8))])
    }

    @Test func keepsNonUTF8BytesAsReceived() {
        var framer = IRCLineFramer()
        let line: [UInt8] = [0x50, 0x20, 0xFF, 0xFE, 0x00, 0xC3]
        #expect(framer.feed(line + [0x0A]) == [.line(line)])
    }
}
