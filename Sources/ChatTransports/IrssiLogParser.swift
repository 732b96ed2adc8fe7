#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Parses irssi logs written with the default theme.
///
/// ```
/// --- Log opened Fri Nov 27 09:00:00 2026
/// 09:14 < alice> hello
/// 09:14 <@bob> hi              (mode characters ~&@%+! before the nick are stripped)
/// 09:15  * alice waves         (action: text is "waves")
/// 09:16 -!- carol [c@host] has joined #team
/// 09:17 -dave:#team- a notice
/// --- Day changed Sat Nov 28 2026
/// --- Log closed Sat Nov 28 18:00:00 2026
/// ```
///
/// Message lines carry only a time (`HH:MM` or `HH:MM:SS`); the date comes from the last
/// `--- Log opened`, `--- Day changed` or `--- Log closed` header, so the parser is stateful and a
/// message before any header is malformed (`no date yet`). ``resumeState`` carries the current
/// date across restarts. Times are wall-clock times in the configured time zone.
public struct IrssiLogParser: ChatLogLineParser {
    public let channel: String
    private var clock: LocalTimeConverter
    /// The current date as days since 1970, from the last header.
    private var currentDay: Int?

    public init(channel: String, timeZone: IANATimeZone) {
        self.channel = channel
        self.clock = LocalTimeConverter(timeZone: timeZone)
    }

    public var format: ChatLogFormat { .irssi }

    public var resumeState: String? { currentDay.map(CivilDate.isoString(days:)) }

    public mutating func restore(resumeState state: String) -> Bool {
        guard let day = CivilDate.days(isoString: state) else { return false }
        currentDay = day
        return true
    }

    public mutating func reset() { currentDay = nil }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public mutating func parse(_ rawLine: Span<UInt8>, lineNumber: Int) -> ParsedLogLine {
        typealias B = ByteScanning
        let bytes = rawLine.extracting(0..<B.lengthWithoutCarriageReturn(rawLine))
        if bytes.isEmpty || B.isBlank(bytes) { return .ignored }
        let line = B.string(bytes, 0..<bytes.count)

        if line.hasPrefix("--- ") { return header(line.dropFirst(4)) }

        // Time: HH:MM or HH:MM:SS, then a space.
        guard let hour = B.number(bytes, at: 0, count: 2), bytes.count > 5, bytes[2] == UInt8(ascii: ":"),
            let minute = B.number(bytes, at: 3, count: 2)
        else { return .malformed(reason: "expected a time like 09:14 at the start, got \(B.excerpt(bytes))") }
        var second = 0
        var restStart = 5
        if bytes[5] == UInt8(ascii: ":"), let seconds = B.number(bytes, at: 6, count: 2) {
            second = seconds
            restStart = 8
        }
        guard restStart < bytes.count, bytes[restStart] == B.space, hour < 24, minute < 60, second <= 60 else {
            return .malformed(reason: "expected a time like 09:14 at the start, got \(B.excerpt(bytes))")
        }
        guard let currentDay else {
            return .malformed(reason: "no date yet (expected a '--- Log opened' or '--- Day changed' line first)")
        }
        let time = Date(timeIntervalSince1970: TimeInterval(
            clock.epochSeconds(days: currentDay, secondOfDay: hour * 3600 + minute * 60 + second)))
        // Byte offsets are ASCII up to here, so dropping utf8 bytes keeps a valid string.
        let rest = Substring(line.utf8.dropFirst(restStart + 1))

        if rest.hasPrefix("<") {
            guard let close = rest.firstIndex(of: ">") else { return .malformed(reason: "unterminated <nick>") }
            let nick = rest[rest.index(after: rest.startIndex)..<close].drop { $0 == " " || Self.isMode($0) }
            guard !nick.isEmpty else { return .malformed(reason: "empty nick") }
            var text = rest[rest.index(after: close)...]
            if text.first == " " { text = text.dropFirst() }
            return message(time, nick, .message, text)
        }
        if rest.hasPrefix(" * ") {
            let body = rest.dropFirst(3)
            let nick = body.prefix { $0 != " " }
            guard !nick.isEmpty else { return .malformed(reason: "action without a nick") }
            return message(time, nick, .action, body[nick.endIndex...].drop { $0 == " " })
        }
        if rest.hasPrefix("-!- ") {
            let text = rest.dropFirst(4)
            return message(time, Substring(ChatEventText.sender(of: text)), .event, text)
        }
        if rest.hasPrefix("-"), let end = rest.firstRange(of: "- ") {
            // -dave:#team- text  or  -dave(d@host)- text
            let inner = rest[rest.index(after: rest.startIndex)..<end.lowerBound]
            let nick = inner.prefix { $0 != ":" && $0 != "(" }
            if ChatEventText.isNick(nick) { return message(time, nick, .notice, rest[end.upperBound...]) }
        }
        return .malformed(reason: "expected '< nick>', ' * nick', '-!-' or a notice after the time")
    }

    private func message(_ time: Date, _ nick: Substring, _ kind: ChatMessageKind, _ text: Substring) -> ParsedLogLine {
        .message(ChatMessage(channel: channel, time: time, sender: ChatIdentity(nick: String(nick)), kind: kind,
                             text: String(text)))
    }

    private static func isMode(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return ByteScanning.isModePrefix(ascii)
    }

    /// `Log opened Fri Nov 27 09:00:00 2026`, `Day changed Sat Nov 28 2026`, `Log closed …`.
    private mutating func header(_ header: Substring) -> ParsedLogLine {
        let date: Substring
        if header.hasPrefix("Log opened ") {
            date = header.dropFirst("Log opened ".count)
        } else if header.hasPrefix("Day changed ") {
            date = header.dropFirst("Day changed ".count)
        } else if header.hasPrefix("Log closed ") {
            date = header.dropFirst("Log closed ".count)
        } else {
            return .ignored
        }
        // weekday month day [HH:MM:SS] year
        let words = date.split(separator: " ")
        guard words.count == 4 || words.count == 5,
            let month = Self.months.firstIndex(of: String(words[1])),
            let day = Int(words[2]), let year = Int(words[words.count - 1]),
            let days = CivilDate.days(year: year, month: month + 1, day: day)
        else { return .malformed(reason: "expected a date like 'Fri Nov 27 09:00:00 2026', got \"\(date)\"") }
        currentDay = days
        return .ignored
    }
}
