/// The newest chat line seen in one channel: where a `CHATHISTORY AFTER` backfill starts.
public struct IRCHistoryMark: Hashable, Sendable {
    /// `msgid` of that line, when the server tags lines with one.
    public var messageID: String?
    /// Its `server-time`, milliseconds since 1970.
    public var serverTime: Int64?

    public init(messageID: String?, serverTime: Int64?) {
        self.messageID = messageID
        self.serverTime = serverTime
    }

    /// The `CHATHISTORY` reference for this mark: `msgid=…` when the id can travel as one middle
    /// parameter, else `timestamp=…`, else `nil`.
    public var reference: String? {
        if let messageID, Self.isSafeReference(messageID) { return "msgid=" + messageID }
        return timestampReference
    }

    /// `timestamp=2026-11-27T09:14:03.512Z`, or `nil` without a server time.
    public var timestampReference: String? {
        serverTime.map { "timestamp=" + IRCEncoding.iso8601(milliseconds: $0) }
    }

    /// A msgid that is one middle parameter: 1…200 bytes, no space, CR, LF, NUL, no leading `:`.
    static func isSafeReference(_ value: String) -> Bool {
        let bytes = value.utf8
        guard !bytes.isEmpty, bytes.count <= 200, bytes.first != 0x3A else { return false }
        return !bytes.contains { $0 == 0x20 || $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }
}
