import Foundation
import Testing
import ThreadpressModel
@testable import ChatTransports

@Suite struct JSONLinesLogParserTests {
    static let lines: [(String, Expected)] = [
        (#"{"time":"2026-11-27T08:14:03Z","nick":"alice","text":"hello"}"#, .message(.message, nick: "alice", text: "hello")),
        (#"{"time":"2026-11-27T09:14:03+01:00","nick":"alice","text":"offset"}"#, .message(.message, nick: "alice", text: "offset")),
        (#"{"time":"2026-11-27T09:14:03+0100","nick":"alice","text":"compact offset"}"#, .message(.message, nick: "alice", text: "compact offset")),
        (#"{"time":"2026-11-27T09:14:03","nick":"alice","text":"local"}"#, .message(.message, nick: "alice", text: "local")),
        (#"{"time":"2026-11-27T08:14:03Z","nick":"alice","text":"waves","kind":"action"}"#, .message(.action, nick: "alice", text: "waves")),
        (#"{"time":"2026-11-27T08:14:03Z","nick":"alice","text":"two\nlines"}"#, .message(.message, nick: "alice", text: "two\nlines")),
        (#"{"time":"2026-11-27T08:14:03Z","nick":"zoë","text":"grüße 👋","extra":[1,2]}"#, .message(.message, nick: "zoë", text: "grüße 👋")),
        (#"{"time":"2026-11-27T08:14:03Z","nick":"alice","text":"crlf"}"# + "\r", .message(.message, nick: "alice", text: "crlf")),
        ("", .ignored),
        ("not json", .malformed("not valid JSON")),
        ("[1,2]", .malformed("expected a JSON object")),
        (#"{"nick":"alice","text":"hi"}"#, .malformed(#"field "time" is missing"#)),
        (#"{"time":1764231243,"nick":"alice","text":"hi"}"#, .malformed(#"field "time" must be a string"#)),
        (#"{"time":"yesterday","nick":"alice","text":"hi"}"#, .malformed(#"field "time" is not an ISO 8601 time"#)),
        (#"{"time":"2026-11-27T08:14:03Zjunk","nick":"alice","text":"hi"}"#, .malformed(#"field "time" is not an ISO 8601 time"#)),
        (#"{"time":"2026-11-27T08:14:03Z","text":"hi"}"#, .malformed(#"field "nick" is missing"#)),
        (#"{"time":"2026-11-27T08:14:03Z","nick":7,"text":"hi"}"#, .malformed(#"field "nick" must be a string"#)),
        (#"{"time":"2026-11-27T08:14:03Z","nick":"","text":"hi"}"#, .malformed(#"field "nick" is empty"#)),
        (#"{"time":"2026-11-27T08:14:03Z","nick":"alice"}"#, .malformed(#"field "text" is missing"#)),
        (#"{"time":"2026-11-27T08:14:03Z","nick":"alice","text":"hi","account":5}"#, .malformed(#"field "account" must be a string"#)),
        (#"{"time":"2026-11-27T08:14:03Z","nick":"alice","text":"hi","id":true}"#, .malformed(#"field "id" must be a string or an integer"#)),
        (#"{"time":"2026-11-27T08:14:03Z","nick":"alice","text":"hi","kind":"shout"}"#, .malformed(#"field "kind" must be"#)),
        (#"{"time":"2026-11-27T08:14:03Z","nick":"alice","text":"hi","id":1.5}"#, .malformed(#"field "id" must be a string or an integer"#)),
        (#"{"time":"2026-11-27T08:14:03Z","nick":"alice","text":"hi"} trailing"#, .malformed("not valid JSON")),
    ]

    @Test(arguments: lines)
    func parsesRealLines(line: String, expected: Expected) {
        var parser = JSONLinesLogParser(channel: "#team", timeZone: berlin)
        let parsed = parser.parse(line, lineNumber: 1)
        #expect(expected.matches(parsed), "\(line.debugDescription) → \(parsed)")
        if case .message(let message) = parsed {
            #expect(message.time == utc("2026-11-27T08:14:03Z"))
        }
    }

    @Test func mapsOptionalFields() {
        var parser = JSONLinesLogParser(channel: "#team", timeZone: berlin)
        let line = #"{"time":"2026-11-27T08:14:03.250Z","nick":"alice","text":"hi","account":"alice@example","id":"m2","reply_to":"m1"}"#
        guard case .message(let message) = parser.parse(line, lineNumber: 1) else {
            Issue.record("not parsed")
            return
        }
        #expect(message.sender == ChatIdentity(nick: "alice", account: "alice@example"))
        #expect(message.networkID == "m2")
        #expect(message.replyTo == "m1")
        #expect(abs(message.time.timeIntervalSince(utc("2026-11-27T08:14:03.250Z"))) < 0.000_001)
    }

    @Test func acceptsIntegerIDsAndNullOptionals() {
        var parser = JSONLinesLogParser(channel: "#team", timeZone: berlin)
        let line = #"{"time":"2026-11-27T08:14:03Z","nick":"alice","text":"hi","id":42,"account":null}"#
        guard case .message(let message) = parser.parse(line, lineNumber: 1) else {
            Issue.record("not parsed")
            return
        }
        #expect(message.networkID == "42")
        #expect(message.sender.account == nil)
    }

    @Test func repairsInvalidUTF8BeforeReadingTheJSON() {
        var parser = JSONLinesLogParser(channel: "#team", timeZone: berlin)
        let bytes = Array(#"{"time":"2026-11-27T08:14:03Z","nick":"alice","text":"caf"#.utf8) + [0xE9] + Array(#" ok"}"#.utf8)
        guard case .message(let message) = parser.parse(bytes: bytes, lineNumber: 1) else {
            Issue.record("not parsed")
            return
        }
        #expect(message.text == "caf\u{FFFD} ok")
    }
}
