import Foundation
import Testing
import ThreadpressModel
@testable import ChatTransports

@Suite struct WeeChatLogParserTests {
    static let lines: [(String, Expected)] = [
        ("2026-11-27 09:14:03\talice\thello team", .message(.message, nick: "alice", text: "hello team")),
        ("2026-11-27 09:14:03\t@bob\tops here", .message(.message, nick: "bob", text: "ops here")),
        ("2026-11-27 09:14:03\t+carol\tvoiced", .message(.message, nick: "carol", text: "voiced")),
        ("2026-11-27 09:14:03\t~&dave\towner", .message(.message, nick: "dave", text: "owner")),
        ("2026-11-27 09:14:03\t%erin\thalfop", .message(.message, nick: "erin", text: "halfop")),
        ("2026-11-27 09:14:03\talice\tcols:\ta\tb", .message(.message, nick: "alice", text: "cols:\ta\tb")),
        ("2026-11-27 09:14:03\talice\t", .message(.message, nick: "alice", text: "")),
        ("2026-11-27 09:14:03\tzoë\tgrüße 👋 日本語", .message(.message, nick: "zoë", text: "grüße 👋 日本語")),
        ("2026-11-27 09:14:03\talice\twith crlf\r", .message(.message, nick: "alice", text: "with crlf")),
        ("2026-11-27 09:14:03\t *\talice waves at everyone", .message(.action, nick: "alice", text: "waves at everyone")),
        ("2026-11-27 09:14:03\t*\tbob shrugs", .message(.action, nick: "bob", text: "shrugs")),
        ("2026-11-27 09:14:03\t-->\tcarol (~carol@host.example) has joined #team",
         .message(.event, nick: "carol", text: "carol (~carol@host.example) has joined #team")),
        ("2026-11-27 09:14:03\t<--\tdave (~d@host) has quit (Ping timeout: 250 seconds)",
         .message(.event, nick: "dave", text: "dave (~d@host) has quit (Ping timeout: 250 seconds)")),
        ("2026-11-27 09:14:03\t<--\terin (~e@host) has left #team (bye)",
         .message(.event, nick: "erin", text: "erin (~e@host) has left #team (bye)")),
        ("2026-11-27 09:14:03\t--\talice is now known as alice_",
         .message(.event, nick: "alice", text: "alice is now known as alice_")),
        ("2026-11-27 09:14:03\t--\tMode #team [+o bob] by ChanServ",
         .message(.event, nick: "ChanServ", text: "Mode #team [+o bob] by ChanServ")),
        ("2026-11-27 09:14:03\t--\tChannel #team: 4 nicks (1 op, 0 voices, 3 normals)",
         .message(.event, nick: "", text: "Channel #team: 4 nicks (1 op, 0 voices, 3 normals)")),
        ("2026-11-27 09:14:03\t--\tNotice(frank) -> #team: deploy at noon",
         .message(.notice, nick: "frank", text: "deploy at noon")),
        ("2026-11-27 09:14:03\t=!=\tirc: cannot send to channel", .message(.event, nick: "", text: "irc: cannot send to channel")),
        ("", .ignored),
        ("   ", .ignored),
        ("\r", .ignored),
        ("no tabs at all", .malformed("expected 3 tab-separated fields")),
        ("2026-11-27 09:14:03\tonly two fields", .malformed("expected 3 tab-separated fields")),
        ("27/11/2026 09:14\talice\thi", .malformed("expected a time like 2026-11-27 09:14:03")),
        ("2026-13-27 09:14:03\talice\thi", .malformed("expected a time like")),
        ("2026-11-27 25:14:03\talice\thi", .malformed("expected a time like")),
        ("2026-02-30 09:14:03\talice\thi", .malformed("expected a time like")),
        ("2026-11-27 09:14:03\t@\thi", .malformed("empty nick")),
        ("2026-11-27 09:14:03\t *\t", .malformed("action without a nick")),
    ]

    @Test(arguments: lines)
    func parsesRealLines(line: String, expected: Expected) {
        var parser = WeeChatLogParser(channel: "#team", timeZone: berlin)
        let parsed = parser.parse(line, lineNumber: 1)
        #expect(expected.matches(parsed), "\(line.debugDescription) → \(parsed)")
        if case .message(let message) = parsed {
            #expect(message.channel == "#team")
            #expect(message.time == utc("2026-11-27T08:14:03Z"))
        }
    }

    @Test(arguments: [
        // Winter (UTC+1), summer (UTC+2), both sides of the spring-forward and fall-back days.
        ("2026-01-15 12:00:00", "2026-01-15T11:00:00Z"),
        ("2026-07-15 12:00:00", "2026-07-15T10:00:00Z"),
        ("2026-03-29 01:30:00", "2026-03-29T00:30:00Z"),
        ("2026-03-29 03:30:00", "2026-03-29T01:30:00Z"),
        ("2026-10-25 01:30:00", "2026-10-24T23:30:00Z"),
        ("2026-10-25 04:00:00", "2026-10-25T03:00:00Z"),
        ("2024-02-29 23:59:59", "2024-02-29T22:59:59Z"),
    ])
    func readsWallClockTimesInTheConfiguredZone(stamp: String, expected: String) {
        var parser = WeeChatLogParser(channel: "#team", timeZone: berlin)
        guard case .message(let message) = parser.parse("\(stamp)\talice\thi", lineNumber: 1) else {
            Issue.record("not parsed")
            return
        }
        #expect(message.time == utc(expected))
    }

    @Test func repairsInvalidUTF8WithReplacementCharacters() {
        var parser = WeeChatLogParser(channel: "#team", timeZone: berlin)
        let bytes = Array("2026-11-27 09:14:03\talice\tcaf".utf8) + [0xE9] + Array(" ok".utf8)
        guard case .message(let message) = parser.parse(bytes: bytes, lineNumber: 1) else {
            Issue.record("not parsed")
            return
        }
        #expect(message.text == "caf\u{FFFD} ok")
    }
}
