import Foundation
import Testing
import ThreadpressModel
@testable import ChatTransports

@Suite struct IrssiLogParserTests {
    static let lines: [(String, Expected)] = [
        ("09:14 < alice> hello team", .message(.message, nick: "alice", text: "hello team")),
        ("09:14 <@bob> ops here", .message(.message, nick: "bob", text: "ops here")),
        ("09:14 <+carol> voiced", .message(.message, nick: "carol", text: "voiced")),
        ("09:14 <dave> no mode column", .message(.message, nick: "dave", text: "no mode column")),
        ("09:14 < zoë> grüße 👋", .message(.message, nick: "zoë", text: "grüße 👋")),
        ("09:14 < alice> a <b> c", .message(.message, nick: "alice", text: "a <b> c")),
        ("09:14 < alice> crlf\r", .message(.message, nick: "alice", text: "crlf")),
        ("09:14  * alice waves", .message(.action, nick: "alice", text: "waves")),
        ("09:14 -!- carol [~carol@host] has joined #team",
         .message(.event, nick: "carol", text: "carol [~carol@host] has joined #team")),
        ("09:14 -!- dave [~d@host] has quit [Quit: bye]", .message(.event, nick: "dave", text: "dave [~d@host] has quit [Quit: bye]")),
        ("09:14 -!- mode/#team [+o bob] by ChanServ", .message(.event, nick: "ChanServ", text: "mode/#team [+o bob] by ChanServ")),
        ("09:14 -!- Irssi: Join to #team was synced in 0 secs", .message(.event, nick: "", text: "Irssi: Join to #team was synced in 0 secs")),
        ("09:14 -frank:#team- deploy at noon", .message(.notice, nick: "frank", text: "deploy at noon")),
        ("09:14:03 < alice> with seconds", .message(.message, nick: "alice", text: "with seconds")),
        ("--- Log closed Fri Nov 27 18:00:00 2026", .ignored),
        ("--- Day changed Fri Nov 27 2026", .ignored),
        ("--- something else irssi says", .ignored),
        ("", .ignored),
        ("--- Day changed Sat Nov 28 99999999999999", .malformed("expected a date like")),
        ("--- Day changed Sat Nov 28 -9223372036854775808", .malformed("expected a date like")),
        ("--- Log opened Fri Feb 30 09:00:00 2026", .malformed("expected a date like")),
        ("hello", .malformed("expected a time like 09:14")),
        ("9:14 < alice> hi", .malformed("expected a time like 09:14")),
        ("09:14 alice: hi", .malformed("expected '< nick>'")),
        ("09:14 <alice hi", .malformed("unterminated <nick>")),
        ("09:14 <@> hi", .malformed("empty nick")),
        ("--- Day changed Someday 2026", .malformed("expected a date like")),
    ]

    @Test(arguments: lines)
    func parsesRealLinesAfterALogOpenedHeader(line: String, expected: Expected) {
        var parser = IrssiLogParser(channel: "#team", timeZone: berlin)
        let header = parser.parse("--- Log opened Fri Nov 27 09:00:00 2026", lineNumber: 1)
        #expect(header == .ignored)
        let parsed = parser.parse(line, lineNumber: 2)
        #expect(expected.matches(parsed), "\(line.debugDescription) → \(parsed)")
        if case .message(let message) = parsed {
            #expect(message.channel == "#team")
            let seconds = line.hasPrefix("09:14:03") ? "03" : "00"
            #expect(message.time == utc("2026-11-27T08:14:\(seconds)Z"))
        }
    }

    @Test func rejectsMessagesBeforeAnyDateHeader() {
        var parser = IrssiLogParser(channel: "#team", timeZone: berlin)
        let parsed = parser.parse("09:14 < alice> hi", lineNumber: 1)
        #expect(parsed == .malformed(
            reason: "no date yet (expected a '--- Log opened' or '--- Day changed' line first)"))
    }

    @Test func followsDayChanges() {
        var parser = IrssiLogParser(channel: "#team", timeZone: berlin)
        let log = [
            "--- Log opened Fri Nov 27 23:50:00 2026",
            "23:59 < alice> late",
            "--- Day changed Sat Nov 28 2026",
            "00:01 < bob> early",
        ]
        var times: [Date] = []
        for (number, line) in log.enumerated() {
            if case .message(let message) = parser.parse(line, lineNumber: number + 1) { times.append(message.time) }
        }
        #expect(times == [utc("2026-11-27T22:59:00Z"), utc("2026-11-27T23:01:00Z")])
        #expect(parser.resumeState == "2026-11-28")
    }

    @Test func resumesWithSavedDate() {
        var parser = IrssiLogParser(channel: "#team", timeZone: berlin)
        let restored = parser.restore(resumeState: "2026-11-28")
        let rejected = !parser.restore(resumeState: "yesterday")
        #expect(restored)
        #expect(rejected)
        guard case .message(let message) = parser.parse("10:00 < alice> hi", lineNumber: 7) else {
            Issue.record("not parsed")
            return
        }
        #expect(message.time == utc("2026-11-28T09:00:00Z"))
        parser.reset()
        #expect(parser.resumeState == nil)
    }
}
