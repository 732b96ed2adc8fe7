/// A message's source: a server name or `nick!user@host`, kept exactly as received.
public struct IRCSource: Hashable, Sendable, CustomStringConvertible {
    /// The text after the leading `:`, e.g. `alice!alice@127.0.0.1`.
    public var raw: String

    public init(_ raw: String) {
        self.raw = raw
    }

    public init(nick: String, user: String?, host: String?) {
        var raw = nick
        if let user { raw += "!" + user }
        if let host { raw += "@" + host }
        self.raw = raw
    }

    public var description: String { raw }

    /// Everything before `!` or `@` (a server name when the source is a server).
    public var nick: String {
        let utf8 = raw.utf8
        guard let end = utf8.firstIndex(where: { $0 == 0x21 || $0 == 0x40 }) else { return raw }
        return String(raw[..<end])
    }

    /// The part between `!` and `@`, or `nil` without `!`.
    public var user: String? {
        let utf8 = raw.utf8
        guard let bang = utf8.firstIndex(of: 0x21) else { return nil }
        let start = utf8.index(after: bang)
        let end = utf8[start...].firstIndex(of: 0x40) ?? utf8.endIndex
        return String(raw[start..<end])
    }

    /// The part after `@`, or `nil` without `@`.
    public var host: String? {
        let utf8 = raw.utf8
        guard let at = utf8.firstIndex(of: 0x40) else { return nil }
        return String(raw[utf8.index(after: at)...])
    }
}
