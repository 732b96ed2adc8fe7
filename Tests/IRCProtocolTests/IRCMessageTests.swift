import Testing
@testable import IRCProtocol

@Suite struct IRCMessageTests {
    static func dictionary(_ tags: [(String, String)]?) -> [String: String] {
        Dictionary(tags ?? [], uniquingKeysWith: { _, last in last })
    }

    @Test(arguments: IRCParserTestVectors.messageSplit)
    func parsesTheCommunitySplitVectors(vector: MessageSplitVector) throws {
        let message = try IRCMessage(parsing: vector.input)
        #expect(Self.dictionary(message.tags.map { ($0.key, $0.value) }) == Self.dictionary(vector.tags))
        #expect(message.tags.count == Self.dictionary(vector.tags).count)
        #expect(message.source?.raw == vector.source)
        #expect(message.command == vector.verb)
        #expect(message.parameters == vector.params)
        // Single look-ups on the unsplit tag text agree with the split tags (last value wins).
        for (key, value) in Self.dictionary(vector.tags) { #expect(message.tag(key) == value, "tag \(key)") }
        #expect(message.tag("absent") == nil)
        // The same bytes with CR LF, as a byte collection and as borrowed bytes parse the same.
        let bytes = Array((vector.input + "\r\n").utf8)
        #expect(try IRCMessage(parsing: bytes) == message)
        #expect(try IRCMessage(parsing: bytes[...]) == message)
        #expect(try bytes.withUnsafeBufferPointer { pointer throws(IRCMessageError) in try IRCMessage(parsing: pointer) } == message)
        // Setting tags as values keeps the message equal.
        var copy = message
        copy.tags = message.tags
        #expect(copy == message)
        #expect(copy.hashValue == message.hashValue)
    }

    @Test(arguments: IRCParserTestVectors.messageJoin)
    func serialisesTheCommunityJoinVectors(vector: MessageJoinVector) throws {
        let message = IRCMessage(tags: (vector.tags ?? []).map { IRCTag($0.0, $0.1) },
                                 source: vector.source.map(IRCSource.init), command: vector.verb,
                                 parameters: vector.params)
        let line = try message.serialized()
        #expect(vector.matches.contains(line), "got \(line.debugDescription)")
        #expect(try IRCMessage(parsing: line) == message)
        #expect(message.wireByteCount == line.utf8.count + 2)
    }

    @Test(arguments: IRCParserTestVectors.userhostSplit)
    func splitsSourcesIntoNickUserHost(vector: UserhostSplitVector) {
        let source = IRCSource(vector.source)
        #expect(source.nick == vector.nick)
        #expect((source.user ?? "") == vector.user)
        #expect((source.host ?? "") == vector.host)
    }

    struct Case: Sendable, CustomStringConvertible {
        let line: String
        let tags: [String: String]
        let source: String?
        let command: String
        let parameters: [String]
        var description: String { line.debugDescription }
    }

    /// Lines captured from InspIRCd 3.15 + Anope and ngircd 26 on loopback, and edge cases.
    static let serverLines: [Case] = [
        Case(line: "@time=2026-11-27T09:14:03.512Z;msgid=1DT~1764234843~40;inspircd.org/account-id=42;account=alice;+draft/reply=abc :alice!alice@127.0.0.1 PRIVMSG #team :!blog last 5 minutes",
             tags: ["time": "2026-11-27T09:14:03.512Z", "msgid": "1DT~1764234843~40", "inspircd.org/account-id": "42",
                    "account": "alice", "+draft/reply": "abc"],
             source: "alice!alice@127.0.0.1", command: "PRIVMSG", parameters: ["#team", "!blog last 5 minutes"]),
        Case(line: ":irc.local 001 threadpress :Welcome to the Localnet IRC Network threadpress!threadpress@127.0.0.1",
             tags: [:], source: "irc.local", command: "001",
             parameters: ["threadpress", "Welcome to the Localnet IRC Network threadpress!threadpress@127.0.0.1"]),
        Case(line: ":irc.local CAP * LS :cap-notify echo-message sasl=PLAIN,EXTERNAL server-time ",
             tags: [:], source: "irc.local", command: "CAP",
             parameters: ["*", "LS", "cap-notify echo-message sasl=PLAIN,EXTERNAL server-time "]),
        Case(line: ":irc.example.net 005 tp RFC2812 IRCD=ngIRCd CHARSET=UTF-8 CASEMAPPING=ascii PREFIX=(qaohv)~&@%+ CHANTYPES=#&+ NICKLEN=9 :are supported on this server",
             tags: [:], source: "irc.example.net", command: "005",
             parameters: ["tp", "RFC2812", "IRCD=ngIRCd", "CHARSET=UTF-8", "CASEMAPPING=ascii", "PREFIX=(qaohv)~&@%+",
                          "CHANTYPES=#&+", "NICKLEN=9", "are supported on this server"]),
        Case(line: "PING :irc.local", tags: [:], source: nil, command: "PING", parameters: ["irc.local"]),
        Case(line: "AUTHENTICATE +", tags: [:], source: nil, command: "AUTHENTICATE", parameters: ["+"]),
        Case(line: ":a!b@c PRIVMSG #x :a:b ::c :", tags: [:], source: "a!b@c", command: "PRIVMSG", parameters: ["#x", "a:b ::c :"]),
        Case(line: ":a!b@c PRIVMSG #x a:b", tags: [:], source: "a!b@c", command: "PRIVMSG", parameters: ["#x", "a:b"]),
        Case(line: "CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 :15 fifteen", tags: [:], source: nil, command: "CMD",
             parameters: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15 fifteen"]),
        Case(line: "CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15", tags: [:], source: nil, command: "CMD",
             parameters: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"]),
        Case(line: "@a= TAGONLY", tags: ["a": ""], source: nil, command: "TAGONLY", parameters: []),
        Case(line: "@=x;;a=1 CMD", tags: ["a": "1"], source: nil, command: "CMD", parameters: []),
        Case(line: "@a=caf\u{E9}\\s\\\\ :n!u@h NOTICE n :gr\u{FC}\u{DF}e \u{1F44B}", tags: ["a": "caf\u{E9} \\"],
             source: "n!u@h", command: "NOTICE", parameters: ["n", "gr\u{FC}\u{DF}e \u{1F44B}"]),
    ]

    @Test(arguments: serverLines)
    func parsesServerLines(testCase: Case) throws {
        let message = try IRCMessage(parsing: testCase.line)
        #expect(Dictionary(message.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }) == testCase.tags)
        #expect(message.source?.raw == testCase.source)
        #expect(message.command == testCase.command)
        #expect(message.parameters == testCase.parameters)
    }

    struct Lookup: Sendable, CustomStringConvertible {
        let tags: String
        let key: String
        let value: String?
        var description: String { "\(tags) [\(key)]" }
    }

    static let lookups: [Lookup] = [
        Lookup(tags: "account=alice", key: "account", value: "alice"),
        Lookup(tags: "acc=x;account=alice", key: "acc", value: "x"),
        Lookup(tags: "accountx=1;account=alice", key: "account", value: "alice"),
        Lookup(tags: "accountx=1", key: "account", value: nil),
        Lookup(tags: "a=account;b=account=x", key: "account", value: nil),
        Lookup(tags: "b=account=x", key: "b", value: "account=x"),
        Lookup(tags: "flag;other=1", key: "flag", value: ""),
        Lookup(tags: "other=1;flag", key: "flag", value: ""),
        Lookup(tags: "flag=;other=1", key: "flag", value: ""),
        Lookup(tags: "k=1;k=2", key: "k", value: "2"),
        Lookup(tags: "k=a\\sb\\:c", key: "k", value: "a b;c"),
        Lookup(tags: ";;k=v;;", key: "k", value: "v"),
        Lookup(tags: "k=v", key: "", value: nil),
    ]

    @Test(arguments: lookups)
    func looksUpOneTagWithoutSplittingTheOthers(lookup: Lookup) throws {
        let message = try IRCMessage(parsing: "@\(lookup.tags) TAGMSG #a")
        #expect(message.tag(lookup.key) == lookup.value)
        #expect(message.tags.last(where: { $0.key == lookup.key })?.value == (lookup.key.isEmpty ? nil : lookup.value))
    }

    @Test func recognisesNumerics() throws {
        #expect(try IRCMessage(parsing: ":s 433 * tp :Nickname is already in use").numeric == 433)
        #expect(try IRCMessage(parsing: ":s 001 tp :hi").numeric == 1)
        #expect(try IRCMessage(parsing: "PRIVMSG #a b").numeric == nil)
        #expect(try IRCMessage(parsing: "1234 a").numeric == nil)
    }

    static let invalidUTF8Lines: [[UInt8]] = [
        Array(":n!u@h PRIVMSG #a :caf".utf8) + [0xE9, 0x20, 0x6F, 0x6B],       // Latin-1 é
        Array(":n!u@h PRIVMSG #a :".utf8) + [0xF0, 0x9F, 0x91],                // truncated emoji
        [0x40, 0xFF, 0x3D, 0xFE, 0x20, 0x3A, 0xC0, 0x20, 0x50, 0x20, 0x80],   // @\xFF=\xFE :\xC0 P \x80
        Array(":n!u@h PRIVMSG #a :".utf8) + [0xED, 0xA0, 0x80],                // a UTF-16 surrogate
    ]

    @Test(arguments: invalidUTF8Lines)
    func replacesInvalidUTF8WithoutTrapping(line: [UInt8]) throws {
        let message = try IRCMessage(parsing: line)
        #expect(message.parameters.last?.unicodeScalars.contains("\u{FFFD}") == true)
        // What was parsed serialises and parses back to the same message.
        #expect(try IRCMessage(parsing: message.serialized()) == message)
    }

    @Test func parsesLatin1TextKeepingTheValidPart() throws {
        let message = try IRCMessage(parsing: Array(":n!u@h PRIVMSG #a :caf".utf8) + [0xE9, 0x20, 0x6F, 0x6B])
        #expect(message.parameters == ["#a", "caf\u{FFFD} ok"])
    }

    static let linesWithoutCommand: [String] = ["", "   ", "\r\n", "@a=b", "@a=b ", ":source", ":source   ", "@a :src"]

    @Test(arguments: linesWithoutCommand)
    func refusesLinesWithoutCommand(line: String) {
        #expect(throws: IRCMessageError.self) { try IRCMessage(parsing: line) }
    }

    @Test func parsesEveryPrefixOfALineWithoutTrapping() {
        let line = Array("@time=2026-11-27T09:14:03.512Z;a=\\:\\s\\ :alice!alice@127.0.0.1 PRIVMSG #team ::hi  there ".utf8)
        for end in 0...line.count {
            _ = try? IRCMessage(parsing: line[..<end])
            _ = try? IRCMessage(parsing: line[end...])
        }
    }

    struct Refusal: Sendable, CustomStringConvertible {
        let message: IRCMessage
        let code: IRCMessageError.Code
        var description: String { "\(message.command) \(message.parameters)" }
    }

    static let refusals: [Refusal] = [
        Refusal(message: IRCMessage("PRIVMSG", "#team", "hi\r\nQUIT :bye"), code: .lineBreakOrNUL),
        Refusal(message: IRCMessage("PRIVMSG", "#team", "hi\nJOIN #evil"), code: .lineBreakOrNUL),
        Refusal(message: IRCMessage("PRIVMSG", "#team", "hi\rJOIN #evil"), code: .lineBreakOrNUL),
        Refusal(message: IRCMessage("PRIVMSG", "#team", "nul\u{0}"), code: .lineBreakOrNUL),
        Refusal(message: IRCMessage("PRIVMSG", "#te\nam", "x"), code: .lineBreakOrNUL),
        Refusal(message: IRCMessage("PRIVMSG", "#team x", "hi"), code: .invalidMiddleParameter),
        Refusal(message: IRCMessage("PRIVMSG", "", "hi"), code: .invalidMiddleParameter),
        Refusal(message: IRCMessage("PRIVMSG", ":#team", "hi"), code: .invalidMiddleParameter),
        Refusal(message: IRCMessage("PRIV MSG", "#team"), code: .invalidCommand),
        Refusal(message: IRCMessage("", "#team"), code: .invalidCommand),
        Refusal(message: IRCMessage("PRIVMSG\r\nQUIT"), code: .invalidCommand),
        Refusal(message: IRCMessage(tags: [IRCTag("a", "x\u{0}")], command: "TAGMSG", parameters: ["#a"]), code: .lineBreakOrNUL),
        Refusal(message: IRCMessage(tags: [IRCTag("a b", "x")], command: "TAGMSG", parameters: ["#a"]), code: .invalidTagKey),
        Refusal(message: IRCMessage(tags: [IRCTag("a\n", "x")], command: "TAGMSG", parameters: ["#a"]), code: .invalidTagKey),
        Refusal(message: IRCMessage(tags: [IRCTag("", "x")], command: "TAGMSG", parameters: ["#a"]), code: .invalidTagKey),
        Refusal(message: IRCMessage(tags: [IRCTag("a", "1"), IRCTag("a", "2")], command: "TAGMSG", parameters: ["#a"]), code: .invalidTagKey),
        Refusal(message: IRCMessage(source: IRCSource("a b"), command: "PING", parameters: ["x"]), code: .invalidSource),
        Refusal(message: IRCMessage(source: IRCSource("a\r"), command: "PING", parameters: ["x"]), code: .lineBreakOrNUL),
    ]

    @Test(arguments: refusals)
    func refusesToSerialiseWhatWouldBreakTheLine(refusal: Refusal) {
        #expect { try refusal.message.serializedLine() } throws: { error in
            (error as? IRCMessageError)?.code == refusal.code
        }
    }

    @Test func errorsNeverQuoteParameters() {
        let message = IRCMessage("PASS", "hunter2\r\n")
        do {
            _ = try message.serialized()
            Issue.record("expected a refusal")
        } catch {
            #expect(!error.description.contains("hunter2"))
            #expect(error.description == "parameter 1 of PASS contains CR, LF or NUL; strip them from content before sending (IRCReplySplitter does)")
        }
    }

    @Test func serialisesWithColonOnlyWhenNeeded() throws {
        #expect(try IRCMessage("PRIVMSG", "#a", "word").serialized() == "PRIVMSG #a word")
        #expect(try IRCMessage("PRIVMSG", "#a", "two words").serialized() == "PRIVMSG #a :two words")
        #expect(try IRCMessage("PRIVMSG", "#a", ":) smile").serialized() == "PRIVMSG #a ::) smile")
        #expect(try IRCMessage("PRIVMSG", "#a", "").serialized() == "PRIVMSG #a :")
        #expect(try IRCMessage("NICK", "tp").serializedLine() == Array("NICK tp\r\n".utf8))
        #expect(try IRCMessage(tags: [IRCTag("+draft/reply", "a b;c\\d\r\n")], command: "TAGMSG", parameters: ["#a"]).serialized()
                == "@+draft/reply=a\\sb\\:c\\\\d\\r\\n TAGMSG #a")
    }

    /// Deterministic generator (SplitMix64), so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func roundTripsGeneratedMessages() throws {
        var random = SplitMix(state: 0x7468_7265_6164)
        let pieces = ["a", "#team", ":", "::", "é", "👋", " ", "\\", ";", "=", "@", "!", "\t", "\u{1}", "x y", "+", "0"]
        func word(nonEmpty: Bool, spaces: Bool, colonFirst: Bool) -> String {
            var text = ""
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                let piece = pieces.randomElement(using: &random)!
                if !spaces, piece.contains(" ") { continue }
                text += piece
            }
            if !colonFirst { while text.hasPrefix(":") { text.removeFirst() } }
            if nonEmpty, text.isEmpty { text = "z" }
            return text
        }
        for _ in 0..<3_000 {
            var tags: [IRCTag] = []
            for index in 0..<Int.random(in: 0...4, using: &random) {
                tags.append(IRCTag("k\(index)" + (Bool.random(using: &random) ? "/v" : ""),
                                   word(nonEmpty: false, spaces: true, colonFirst: true) + (Bool.random(using: &random) ? "\r\n" : "")))
            }
            let source: IRCSource? = Bool.random(using: &random)
                ? IRCSource(word(nonEmpty: true, spaces: false, colonFirst: true) + "!u@h") : nil
            var parameters: [String] = []
            let count = Int.random(in: 0...15, using: &random)
            for index in 0..<count {
                parameters.append(index == count - 1
                    ? word(nonEmpty: false, spaces: true, colonFirst: true)
                    : word(nonEmpty: true, spaces: false, colonFirst: false))
            }
            let command = ["PRIVMSG", "NOTICE", "001", "433", "cap"].randomElement(using: &random)!
            let message = IRCMessage(tags: tags, source: source, command: command, parameters: parameters)
            let line = try message.serializedLine()
            #expect(line.count == message.wireByteCount)
            #expect(try IRCMessage(parsing: line) == message, "\(String(decoding: line, as: UTF8.self).debugDescription)")
        }
    }
}
