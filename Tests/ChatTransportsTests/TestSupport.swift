import Foundation
import ThreadpressModel
@testable import ChatTransports

let berlin = IANATimeZone(identifier: "Europe/Berlin")!

/// `2026-11-27T08:14:03Z` as a date.
func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)!
}

/// A compact description of a parse result for table-driven expectations.
enum Expected: Sendable, CustomStringConvertible {
    case message(ChatMessageKind, nick: String, text: String)
    case ignored
    case malformed(String)

    var description: String {
        switch self {
        case .message(let kind, let nick, let text): "\(kind) <\(nick)> \(text)"
        case .ignored: "ignored"
        case .malformed(let reason): "malformed: \(reason)"
        }
    }

    func matches(_ parsed: ParsedLogLine) -> Bool {
        switch (self, parsed) {
        case (.message(let kind, let nick, let text), .message(let message)):
            message.kind == kind && message.sender.nick == nick && message.text == text
        case (.ignored, .ignored): true
        case (.malformed(let fragment), .malformed(let reason)): reason.contains(fragment)
        default: false
        }
    }
}

/// A value shared between a test and the closures it hands out.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
