#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A line the bot says in a channel.
///
/// `text` is content and may hold anything; transports must pass it through ``wireSafe`` (or
/// their own stricter framing) so that no CR, LF or NUL from content ever reaches a protocol.
public struct ChatReply: Sendable, Hashable, Codable {
    public var channel: String
    public var text: String
    /// The network id of the message this answers, for transports that can thread replies.
    public var inReplyTo: String?
    /// The thread this belongs to, for platforms with threads.
    public var threadRoot: String?
    /// Which queue it waits in: answers to commands go out ahead of announcements.
    public var priority: Priority
    /// Said privately to this person (their nick on IRC, their user name on a webhook platform)
    /// instead of in `channel`; only set when the transport has private messages
    /// (``ChatTransportCapabilities/privateReplies``).
    public var recipient: String?

    /// Outbound order: every queued ``reply`` goes before any queued ``announcement``.
    public enum Priority: Int, Sendable, Hashable, Codable, Comparable {
        /// An answer to someone's command.
        case reply = 0
        /// A comment announcement, a publish notice, a summary.
        case announcement = 1
        /// Long private output (`!log`, `!preview`): after everything else, so it never holds up
        /// answers or announcements.
        case bulk = 2

        public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public init(
        channel: String, text: String, inReplyTo: String? = nil, threadRoot: String? = nil,
        priority: Priority = .reply, recipient: String? = nil
    ) {
        self.recipient = recipient
        self.channel = channel
        self.text = text
        self.inReplyTo = inReplyTo
        self.threadRoot = threadRoot
        self.priority = priority
    }

    /// `text` on one line: every CR, LF, NUL and other C0/C1 control character (tab included)
    /// becomes a space, and runs of spaces they leave are folded.
    public var wireSafe: String { ChatReply.oneLine(text) }

    /// Folds any text onto one line with no control characters; bidirectional controls (which would
    /// make a title or a nick read differently from what it is) are dropped.
    public static func oneLine(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let isControl = UnicodeHazards.isControl(scalar) || scalar == "\u{2028}" || scalar == "\u{2029}"
            if UnicodeHazards.isBidiControl(scalar) { continue }
            if isControl || scalar == " " {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
            } else {
                out.append(scalar)
                lastWasSpace = false
            }
        }
        return String(out).trimmed(where: { $0 == " " })
    }

}

extension ChatReply {
    /// The reply as one or more wire-safe lines of at most `maximumBytes` UTF-8 bytes each, split
    /// between words where possible and never inside a character.
    public func lines(maximumBytes: Int) -> [String] {
        var rest = Substring(wireSafe)
        var lines: [String] = []
        let limit = max(maximumBytes, 8)
        while rest.utf8.count > limit {
            var end = rest.startIndex
            var lastSpace: String.Index?
            var bytes = 0
            for index in rest.indices {
                let size = rest[index].utf8.count
                if bytes + size > limit { break }
                bytes += size
                end = rest.index(after: index)
                if rest[index] == " " { lastSpace = index }
            }
            if end == rest.startIndex {
                // Not even one character fits (a base letter with thousands of combining marks):
                // cut between Unicode scalars instead, so the loop always moves forward.
                var scalarEnd = rest.unicodeScalars.startIndex
                bytes = 0
                for index in rest.unicodeScalars.indices {
                    let size = UTF8.width(rest.unicodeScalars[index])
                    if bytes + size > limit { break }
                    bytes += size
                    scalarEnd = rest.unicodeScalars.index(after: index)
                }
                lines.append(String(rest.unicodeScalars[..<scalarEnd]))
                rest = Substring(rest.unicodeScalars[scalarEnd...])
                continue
            }
            let cut = (lastSpace.map { rest.distance(from: rest.startIndex, to: $0) > 0 } ?? false) ? lastSpace! : end
            lines.append(String(rest[..<cut]))
            rest = rest[cut...].drop { $0 == " " }
        }
        if !rest.isEmpty || lines.isEmpty { lines.append(String(rest)) }
        return lines
    }
}
