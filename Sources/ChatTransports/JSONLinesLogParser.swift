#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import ThreadpressModel

/// Parses JSON-lines logs: one object per line.
///
/// ```json
/// {"time":"2026-11-27T09:14:03.250+01:00","nick":"alice","text":"hi","account":"alice","id":"m1","reply_to":"m0","kind":"message"}
/// ```
///
/// - `time` (required): ISO 8601, `T` or space between date and time, optional fractional seconds,
///   and `Z` or an offset (`+01:00`, `+0100`, `+01`). A time without an offset is read in the
///   configured time zone.
/// - `nick` (required, non-empty string), `text` (required string; newlines are kept, the bot
///   sanitises its output).
/// - `account`, `reply_to` (optional strings), `id` (optional string or integer) → ``ChatMessage``'s
///   `sender.account`, `replyTo` and `networkID`; `null` counts as absent.
/// - `kind` (optional): `message` (default), `action`, `notice` or `event`.
///
/// Missing or wrong-typed fields make the line malformed with a reason naming the field. Unknown
/// fields are ignored.
public struct JSONLinesLogParser: ChatLogLineParser {
    public let channel: String
    private var clock: LocalTimeConverter

    public init(channel: String, timeZone: IANATimeZone) {
        self.channel = channel
        self.clock = LocalTimeConverter(timeZone: timeZone)
    }

    public var format: ChatLogFormat { .jsonl }

    public mutating func reset() {}

    public mutating func parse(_ rawLine: Span<UInt8>, lineNumber: Int) -> ParsedLogLine {
        typealias B = ByteScanning
        let bytes = rawLine.extracting(0..<B.lengthWithoutCarriageReturn(rawLine))
        if bytes.isEmpty || B.isBlank(bytes) { return .ignored }
        // Repair invalid UTF-8 first so that one bad byte does not make the whole line invalid JSON.
        // (The JSON parser itself rejects invalid UTF-8.)
        let repaired = Array(B.string(bytes, 0..<bytes.count).utf8)
        guard let document = try? JSONParser.parse(repaired) else {
            return .malformed(reason: "not valid JSON")
        }
        guard let fields = document.object else { return .malformed(reason: "expected a JSON object") }

        let timeText: String
        switch Self.string(fields, "time") {
        case .missing: return .malformed(reason: "field \"time\" is missing")
        case .wrongType: return .malformed(reason: "field \"time\" must be a string")
        case .value(let value): timeText = value
        }
        guard let time = Self.parseTime(timeText, clock: &clock) else {
            return .malformed(reason: "field \"time\" is not an ISO 8601 time: \"\(timeText.prefix(40))\"")
        }
        let nick: String
        switch Self.string(fields, "nick") {
        case .missing: return .malformed(reason: "field \"nick\" is missing")
        case .wrongType: return .malformed(reason: "field \"nick\" must be a string")
        case .value(let value): nick = value
        }
        guard !nick.isEmpty else { return .malformed(reason: "field \"nick\" is empty") }
        let text: String
        switch Self.string(fields, "text") {
        case .missing: return .malformed(reason: "field \"text\" is missing")
        case .wrongType: return .malformed(reason: "field \"text\" must be a string")
        case .value(let value): text = value
        }
        var optional: [String: String] = [:]
        for name in ["account", "reply_to", "kind"] {
            switch Self.string(fields, name) {
            case .missing: break
            case .wrongType: return .malformed(reason: "field \"\(name)\" must be a string")
            case .value(let value): optional[name] = value
            }
        }
        var networkID: String?
        switch Self.string(fields, "id") {
        case .missing: break
        case .value(let value): networkID = value
        case .wrongType:
            guard let value = fields["id"], let integer = value.int64 ?? value.double.flatMap({ Int64(exactly: $0) })
            else { return .malformed(reason: "field \"id\" must be a string or an integer") }
            networkID = String(integer)
        }
        var kind = ChatMessageKind.message
        if let name = optional["kind"] {
            guard let known = ChatMessageKind(rawValue: name) else {
                return .malformed(reason: "field \"kind\" must be message, action, notice or event, got \"\(name.prefix(20))\"")
            }
            kind = known
        }
        return .message(ChatMessage(
            channel: channel, time: time, sender: ChatIdentity(nick: nick, account: optional["account"]), kind: kind,
            text: text, networkID: networkID, replyTo: optional["reply_to"]))
    }

    private enum Field {
        case missing, wrongType, value(String)
    }

    private static func string(_ fields: JSONObject, _ name: String) -> Field {
        guard let value = fields[name], !value.isNull else { return .missing }
        guard let text = value.string else { return .wrongType }
        return .value(text)
    }

    /// Parses `2026-11-27T09:14:03(.fff)(Z|±HH:MM|±HHMM|±HH)?`; no offset means `clock`'s zone.
    static func parseTime(_ text: String, clock: inout LocalTimeConverter) -> Date? {
        let bytes = Array(text.utf8)
        return parseTime(bytes.span, clock: &clock)
    }

    static func parseTime(_ bytes: Span<UInt8>, clock: inout LocalTimeConverter) -> Date? {
        typealias B = ByteScanning
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == B.space,
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = B.number(bytes, at: 0, count: 4), let month = B.number(bytes, at: 5, count: 2),
            let day = B.number(bytes, at: 8, count: 2), let hour = B.number(bytes, at: 11, count: 2),
            let minute = B.number(bytes, at: 14, count: 2), let second = B.number(bytes, at: 17, count: 2),
            let days = CivilDate.days(year: year, month: month, day: day),
            hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, let digit = B.number(bytes, at: index, count: 1) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        let secondOfDay = hour * 3600 + minute * 60 + second
        let seconds: Int
        if index == bytes.count {
            seconds = clock.epochSeconds(days: days, secondOfDay: secondOfDay)
        } else if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            guard index + 1 == bytes.count else { return nil }
            seconds = days * 86_400 + secondOfDay
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            guard let offsetHours = B.number(bytes, at: index + 1, count: 2), offsetHours < 24 else { return nil }
            var offsetMinutes = 0
            switch bytes.count - index {
            case 3: break
            case 5:
                guard let minutes = B.number(bytes, at: index + 3, count: 2) else { return nil }
                offsetMinutes = minutes
            case 6:
                guard bytes[index + 3] == UInt8(ascii: ":"), let minutes = B.number(bytes, at: index + 4, count: 2)
                else { return nil }
                offsetMinutes = minutes
            default: return nil
            }
            guard offsetMinutes < 60 else { return nil }
            seconds = days * 86_400 + secondOfDay - sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return nil
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds) + fraction)
    }
}
