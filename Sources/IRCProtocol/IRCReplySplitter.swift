/// Splits reply text into PRIVMSG/NOTICE texts that fit the server's line budget.
///
/// The budget is what is left of a 512-byte line (or the server's `LINELEN`) once the server has
/// put the bot's own prefix in front when relaying it: `512 - len(":nick!user@host PRIVMSG target :")
/// - 2`. So it depends on the hostmask the bot learns from its own JOIN echo; before that, a
/// conservative guess (10-byte user, 63-byte host) is used. Text is sanitised (``IRCText``), broken
/// into paragraphs at line breaks, then cut on character (grapheme) boundaries — at a space when one
/// is near — and every cut line but the last ends with the continuation marker.
///
/// ```swift
/// let splitter = IRCReplySplitter()
/// let budget = splitter.budget(nick: "tp", hostmask: learned, command: "PRIVMSG", target: "#team")
/// for text in splitter.split(announcement, budget: budget) { queue.enqueue(IRCMessage("PRIVMSG", "#team", text), …) }
/// ```
public struct IRCReplySplitter: Sendable {
    /// Appended to a line whose text continues on the next one.
    public var continuationMarker: String
    /// Longest user name a server shows (ident with `~`), for the guess before the hostmask is known.
    public var assumedUserLength: Int
    /// Longest host a server shows, for the guess before the hostmask is known.
    public var assumedHostLength: Int

    public init(continuationMarker: String = " …", assumedUserLength: Int = 10, assumedHostLength: Int = 63) {
        self.continuationMarker = continuationMarker
        self.assumedUserLength = assumedUserLength
        self.assumedHostLength = assumedHostLength
    }

    /// Bytes of text that fit in one `command target :text` relayed with the bot's prefix.
    /// - Parameters:
    ///   - nick: the bot's current nick.
    ///   - hostmask: the bot's `nick!user@host` as the server shows it, or `nil` before it is known.
    ///   - lineLength: the server's `LINELEN` (512 by default), CR LF included.
    public func budget(nick: String, hostmask: IRCSource?, command: String = "PRIVMSG", target: String,
                       lineLength: Int = 512) -> Int {
        let prefixLength = hostmask.map { $0.raw.utf8.count }
            ?? nick.utf8.count + 1 + assumedUserLength + 1 + assumedHostLength
        // ":" prefix " " command " " target " :" … CR LF
        let overhead = 1 + prefixLength + 1 + command.utf8.count + 1 + target.utf8.count + 2 + 2
        return max(lineLength - overhead, 1)
    }

    /// Texts of at most `budget` UTF-8 bytes each, in order; empty paragraphs are dropped.
    public func split(_ text: String, budget: Int) -> [String] {
        var lines: [String] = []
        let marker = continuationMarker
        let markerBytes = marker.utf8.count
        var paragraphs: [Substring] = []
        for paragraph in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            paragraphs.append(paragraph)
        }
        for paragraph in paragraphs {
            var rest = Substring(IRCText.sanitized(String(paragraph)))
            rest = rest.drop(while: { $0 == " " })
            while !rest.isEmpty {
                if rest.utf8.count <= budget {
                    lines.append(String(rest))
                    break
                }
                let room = max(budget - markerBytes, 1)
                var cut = Self.prefixEnd(of: rest, fitting: room)
                var useMarker = budget - markerBytes >= 1
                let firstEnd = rest.index(after: rest.startIndex)
                if cut < firstEnd, rest.utf8.distance(from: rest.startIndex, to: firstEnd) <= budget {
                    // One character that fits the line only without the marker: send it alone.
                    cut = firstEnd
                    useMarker = false
                } else if rest[cut...].first != " ",
                          let space = rest[..<cut].lastIndex(of: " "),
                          rest.utf8.distance(from: rest.startIndex, to: space) >= room / 2 {
                    // Prefer the last space in the second half of the line.
                    cut = space
                }
                var line = String(rest[..<cut])
                while line.hasSuffix(" ") { line.removeLast() }
                lines.append(useMarker ? line + marker : line)
                rest = rest[cut...].drop(while: { $0 == " " })
            }
        }
        return lines
    }

    /// The end of the longest prefix of `text` within `bytes` UTF-8 bytes: on a character boundary,
    /// or on a scalar boundary when the first character alone is longer (never an empty prefix).
    static func prefixEnd(of text: Substring, fitting bytes: Int) -> Substring.Index {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let next = text.index(after: index)
            let size = text.utf8.distance(from: index, to: next)
            if used + size > bytes { break }
            used += size
            end = next
        }
        if end != text.startIndex { return end }
        // A single character (e.g. with many combining marks) over the budget: cut between scalars.
        var scalarEnd = text.startIndex
        used = 0
        for scalar in text.unicodeScalars {
            let size = UTF8.width(scalar)
            if used + size > bytes, scalarEnd != text.startIndex { break }
            used += size
            scalarEnd = text.unicodeScalars.index(after: scalarEnd)
            if used >= bytes { break }
        }
        return scalarEnd
    }
}
