import Testing
@testable import IRCProtocol

/// `IRCMessageParser` (strings shared between lines through `IRCStringCache`) and the lazily
/// decoded parts of a parsed `IRCMessage` (`IRCLineStorage`) against plain parsing.
@Suite struct IRCMessageParserTests {
    /// Every line of the other tables, and lines made to collide in the cache: same length and
    /// same first and last eight bytes, different middles; short ones differing in one byte.
    static let lines: [[UInt8]] = {
        var lines = IRCMessageTests.serverLines.map { Array($0.line.utf8) }
        lines += IRCParserTestVectors.messageSplit.map { Array($0.input.utf8) }
        lines += IRCMessageTests.invalidUTF8Lines
        lines += [
            ":alice!alice@127.0.0.1 PRIVMSG #team :a", ":alice!alicf@127.0.0.1 PRIVMSG #team :b",
            ":alice!ali\u{E9}@127.0.0.1 PRIVMSG #tea\u{E9} :c", ":bob!b@h PRIVMSG #team :d", ":bob!c@h PRIVMSG #teal :e",
            ":a PRIVMSG #b c d e :f", ":a PRIVMSG #b c d e f", ":a PRIVMSG #b c d :e", ":a PRIVMSG :", ":a PRIVMSG",
            "PRIVMSG #a b", "privmsg #a b", "PRIVMSGX #a b", "JOI #a", "JOIN #a", "@x=1 PING", "PING :x",
        ].map { Array($0.utf8) }
        lines.append(Array(":a!b@c JOIN".utf8) + [0x00] + Array(" #a".utf8))  // `JOIN\0` is not `JOIN`
        lines.append(Array(":a!b@c PRIVMSG #team".utf8) + [0xFF] + Array(" :x".utf8))  // invalid UTF-8 in a target
        return lines
    }()

    static func plain(_ line: [UInt8]) -> IRCMessage? { try? IRCMessage(parsing: line) }

    /// Parts compared one by one (`==` has a shortcut for tags that are the same bytes).
    static func expectSameParts(_ parsed: IRCMessage, _ expected: IRCMessage, _ comment: Comment) {
        #expect(parsed.command == expected.command, comment)
        #expect(parsed.source == expected.source, comment)
        #expect(parsed.parameters == expected.parameters, comment)
        #expect(parsed.parameterCount == expected.parameters.count, comment)
        for index in -1...expected.parameters.count {
            #expect(parsed[parameter: index] == (expected.parameters.indices.contains(index) ? expected.parameters[index] : nil), comment)
        }
        #expect(parsed.tags == expected.tags, comment)
        // (A key received as bytes that are not UTF-8 is not found by its decoded text, as before.)
        for tag in expected.tags where !tag.key.unicodeScalars.contains("\u{FFFD}") {
            #expect(parsed.tag(tag.key) == tag.value, comment)
        }
        #expect(parsed == expected, comment)
        #expect(parsed.hashValue == expected.hashValue, comment)
    }

    @Test(arguments: [256, 1, 0])
    func givesTheMessagesPlainParsingGivesWhateverWasCachedBefore(cachedStrings: Int) throws {
        var parser = IRCMessageParser(cachedStrings: cachedStrings)
        // Three rounds: the first fills the cache, the others hit it (or evict, with one slot).
        for round in 0..<3 {
            for line in Self.lines {
                let comment = Comment(rawValue: "round \(round): \(String(decoding: line, as: UTF8.self).debugDescription)")
                guard let expected = Self.plain(line) else {
                    #expect(throws: IRCMessageError.self, comment) { try parser.parse(line) }
                    continue
                }
                let parsed = try parser.parse(line)
                Self.expectSameParts(parsed, expected, comment)
                // Built from values, the same message is equal too.
                let built = IRCMessage(tags: expected.tags, source: expected.source, command: expected.command,
                                       parameters: expected.parameters)
                Self.expectSameParts(parsed, built, comment)
                #expect(try line.withUnsafeBufferPointer { pointer throws(IRCMessageError) in try parser.parse(pointer) } == expected, comment)
                #expect(try parser.parse(line.lazy.map { $0 }) == expected, comment)
            }
        }
    }

    @Test func messagesKeptWhileLaterLinesAreParsedKeepTheirOwnBytes() throws {
        var parser = IRCMessageParser()
        let lines = Self.lines.filter { Self.plain($0) != nil }
        // All kept: no storage may be rewritten under a message that still holds it.
        let kept = try lines.map { try parser.parse($0) }
        for (line, message) in zip(lines, kept) {
            Self.expectSameParts(message, Self.plain(line)!, Comment(rawValue: String(decoding: line, as: UTF8.self).debugDescription))
        }
        // Copies share the storage; a copy alive keeps it from being reused.
        let first = try parser.parse(Array("@a=1 :n!u@h PRIVMSG #a :one".utf8))
        let copy = first
        let second = try parser.parse(Array("@a=2 :n!u@h PRIVMSG #b :two".utf8))
        #expect(first.line?.identity != second.line?.identity)
        #expect(copy.tag("a") == "1" && copy[parameter: 1] == "one")
        #expect(second.tag("a") == "2" && second[parameter: 1] == "two")
    }

    @Test func reusesTheLineStorageOnceTheMessageIsGone() throws {
        var parser = IRCMessageParser()
        var identity = try parser.parse(Array("@a=1 PRIVMSG #a :one".utf8)).line?.identity
        #expect(identity != nil)
        for text in ["two", "three", String(repeating: "x", count: 400)] {
            let message = try parser.parse(Array("@a=2 PRIVMSG #a :\(text)".utf8))
            #expect(message.line?.identity == identity)
            #expect(message.tag("a") == "2" && message.parameters == ["#a", text])
        }
        // A line longer than the spare gets a new storage, which becomes the spare.
        let long = String(repeating: "y", count: IRCLineStorage.minimumSpareCapacity)
        identity = try parser.parse(Array("PRIVMSG #a :\(long)".utf8)).line?.identity
        let next = try parser.parse(Array("PRIVMSG #a :\(long)z".utf8))
        #expect(next.parameters == ["#a", long + "z"])
        #expect(next.line?.identity != nil)
    }

    @Test func readsCommandsAsReceived() throws {
        #expect(try IRCMessage(parsing: "privmsg #a b").command == "privmsg")
        #expect(try IRCMessage(parsing: "PRIVMSGX #a b").command == "PRIVMSGX")
        #expect(try IRCMessage(parsing: "JOI #a").command == "JOI")
        #expect(try IRCMessage(parsing: Array("JOIN".utf8) + [0x00] + Array(" #a".utf8)).command == "JOIN\u{0}")
        for command in ["PRIVMSG", "NOTICE", "JOIN", "PART", "QUIT", "NICK", "PING", "TAGMSG", "MODE", "KICK", "AUTHENTICATE", "001"] {
            #expect(try IRCMessage(parsing: ":a \(command) x").command == command)
        }
    }

    @Test func parametersSetOnAParsedMessageReplaceThoseOfTheLine() throws {
        var message = try IRCMessage(parsing: "@a=1 :n!u@h PRIVMSG #a :hello there")
        message.parameters[1] = "changed"
        #expect(message.parameters == ["#a", "changed"])
        #expect(message[parameter: 1] == "changed")
        #expect(message.parameterCount == 2)
        #expect(message.tag("a") == "1")
        message.tags = [IRCTag("b", "2")]
        #expect(message.tag("a") == nil)
        #expect(message.tag("b") == "2")
        #expect(message == IRCMessage(tags: [IRCTag("b", "2")], source: IRCSource("n!u@h"), command: "PRIVMSG",
                                      parameters: ["#a", "changed"]))
        #expect(try message.serialized() == "@b=2 :n!u@h PRIVMSG #a changed")
    }

    @Test func comparesTagsByValueWhenTheirBytesDiffer() throws {
        let escaped = try IRCMessage(parsing: "@a=x\\sy;b CMD")
        let plain = try IRCMessage(parsing: "@b=;a=x\\sy CMD")
        #expect(escaped != plain)  // order differs
        #expect(try IRCMessage(parsing: "@a=x\\sy;b= CMD") == IRCMessage(parsing: "@a=x\\sy;b CMD"))
        #expect(try IRCMessage(parsing: "@a=1 CMD") != IRCMessage(parsing: "@a=2 CMD"))
    }

    @Test func cacheMatchesOnlyTheSameBytes() {
        var cache = IRCStringCache(capacity: 1)  // one slot: every string lands in it
        let texts = ["alice!alice@127.0.0.1", "alice!alicf@127.0.0.1", "alice!alice@127.0.0.1",
                     "#team", "#teal", "#team", "", "a", "b", "exactly16bytes!!", "exactly16bytez!!",
                     "seventeen bytes!!", "seventeen bytez!!", String(repeating: "x", count: 48), String(repeating: "x", count: 49)]
        for text in texts {
            let bytes = Array(text.utf8)
            let got = bytes.withUnsafeBufferPointer { cache.string($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, 0, $0.count) }
            #expect(got == text)
        }
        let invalid: [UInt8] = [0x61, 0xFF, 0x62]
        for _ in 0..<2 {
            #expect(invalid.withUnsafeBufferPointer { cache.string($0.baseAddress!, 0, 3) } == "a\u{FFFD}b")
        }
    }
}
