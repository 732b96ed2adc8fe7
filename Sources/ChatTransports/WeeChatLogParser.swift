#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Parses WeeChat logger lines: `2026-11-27 09:14:03<TAB>prefix<TAB>text`.
///
/// Only the first two tabs split; the text keeps any further tabs. The prefix column decides the
/// kind:
///
/// | prefix | meaning | sender |
/// |---|---|---|
/// | `alice`, `@alice`, `+alice` | message (mode characters `~&@%+!` are stripped) | the nick |
/// | ` *` or `*` | action; text is `alice waves` | first word; text is the rest |
/// | `-->` | join | first word of the text |
/// | `<--` | part or quit | first word of the text |
/// | `--` | network event; `Notice(alice) -> #team: hi` is a notice from alice | the nick mentioned, or `""` |
/// | `=!=` or empty | error or other event | the nick mentioned, or `""` |
///
/// Times are wall-clock times in the configured time zone. The parser works on bytes and
/// computes dates by hand (the time zone's offset is looked up once per day), so it parses
/// several million lines a second.
///
/// ```swift
/// var parser = WeeChatLogParser(channel: "#team", timeZone: IANATimeZone(identifier: "Europe/Berlin")!)
/// if case .message(let message) = parser.parse("2026-11-27 09:14:03\t@alice\thi", lineNumber: 1) { … }
/// ```
public struct WeeChatLogParser: ChatLogLineParser {
    public let channel: String
    private var clock: LocalTimeConverter

    public init(channel: String, timeZone: IANATimeZone) {
        self.channel = channel
        self.clock = LocalTimeConverter(timeZone: timeZone)
    }

    public var format: ChatLogFormat { .weechat }

    public mutating func reset() {}

    public mutating func parse(_ rawLine: Span<UInt8>, lineNumber: Int) -> ParsedLogLine {
        typealias B = ByteScanning
        let line = rawLine.extracting(0..<B.lengthWithoutCarriageReturn(rawLine))
        if line.isEmpty || B.isBlank(line) { return .ignored }
        guard let tab1 = B.firstIndex(of: B.tab, in: line, from: 0),
            let tab2 = B.firstIndex(of: B.tab, in: line, from: tab1 + 1)
        else { return .malformed(reason: "expected 3 tab-separated fields") }
        guard tab1 == 19, let seconds = timestamp(line) else {
            return .malformed(
                reason: "expected a time like 2026-11-27 09:14:03, got \(B.excerpt(line.extracting(0..<tab1)))")
        }
        let time = Date(timeIntervalSince1970: TimeInterval(seconds))
        let textStart = tab2 + 1
        let prefixCount = tab2 - tab1 - 1
        let p = tab1 + 1

        // Plain nick: the common case, checked first.
        if prefixCount > 0, !Self.isSpecialPrefix(line, start: p, count: prefixCount) {
            var nickStart = p
            while nickStart < tab2, B.isModePrefix(line[nickStart]) { nickStart += 1 }
            guard nickStart < tab2 else { return .malformed(reason: "empty nick in prefix column") }
            return .message(ChatMessage(
                channel: channel, time: time, sender: ChatIdentity(nick: B.string(line, nickStart..<tab2)),
                kind: .message, text: B.string(line, textStart..<line.count)))
        }
        let prefix = B.string(line, p..<tab2)
        let text = B.string(line, textStart..<line.count)
        switch prefix {
        case " *", "*":
            let nick = text.prefix { $0 != " " }
            guard !nick.isEmpty else { return .malformed(reason: "action without a nick") }
            let body = text[nick.endIndex...].drop { $0 == " " }
            return .message(ChatMessage(
                channel: channel, time: time, sender: ChatIdentity(nick: String(nick)), kind: .action,
                text: String(body)))
        case "--" where text.hasPrefix("Notice("):
            let afterOpen = text.dropFirst("Notice(".count)
            if let close = afterOpen.firstIndex(of: ")") {
                let nick = afterOpen[..<close]
                var rest = afterOpen[afterOpen.index(after: close)...]
                if let colon = rest.firstRange(of: ": ") { rest = rest[colon.upperBound...] }
                return .message(ChatMessage(
                    channel: channel, time: time, sender: ChatIdentity(nick: String(nick)), kind: .notice,
                    text: String(rest)))
            }
            fallthrough
        default:
            return .message(ChatMessage(
                channel: channel, time: time, sender: ChatIdentity(nick: ChatEventText.sender(of: text[...])),
                kind: .event, text: text))
        }
    }

    /// `-->`, `<--`, `--`, `=!=`, ` *` and `*`: prefixes that are not nicks.
    @inline(__always)
    private static func isSpecialPrefix(_ line: Span<UInt8>, start: Int, count: Int) -> Bool {
        let first = line[start]
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "<"), UInt8(ascii: "="), UInt8(ascii: " "): return true
        case UInt8(ascii: "*"): return count == 1
        default: return false
        }
    }

    /// Seconds since 1970 for `YYYY-MM-DD HH:MM:SS` at the start of the line.
    @inline(__always)
    private mutating func timestamp(_ line: Span<UInt8>) -> Int? {
        typealias B = ByteScanning
        guard line[4] == UInt8(ascii: "-"), line[7] == UInt8(ascii: "-"), line[10] == B.space,
            line[13] == UInt8(ascii: ":"), line[16] == UInt8(ascii: ":"),
            let year = B.number(line, at: 0, count: 4), let month = B.number(line, at: 5, count: 2),
            let day = B.number(line, at: 8, count: 2), let hour = B.number(line, at: 11, count: 2),
            let minute = B.number(line, at: 14, count: 2), let second = B.number(line, at: 17, count: 2)
        else { return nil }
        return clock.epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }
}
