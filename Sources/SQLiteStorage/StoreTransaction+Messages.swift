#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

extension StoreTransaction {
    /// Adds a message to the channel log and returns its sequence number, or `nil` when a message
    /// with the same network id is already there (a transport delivered it twice).
    public func insertMessage(_ message: ChatMessage) throws -> Int64? {
        // The channel's next reference comes from this connection's memory after the first line
        // (one bot per store: the store lock), so the hot path does not search the index for it.
        let reference = try db.nextReferences[message.channel] ?? nextReference(in: message.channel)
        if try insert(message, reference: reference) {
            db.nextReferences[message.channel] = reference + 1
            return db.lastInsertRowID
        }
        // Not inserted: the same network id is already there (a transport delivered it twice), or
        // another connection wrote lines and the remembered reference is taken: ask the store.
        let fresh = try nextReference(in: message.channel)
        guard fresh != reference, try insert(message, reference: fresh) else {
            db.nextReferences[message.channel] = fresh
            return nil
        }
        db.nextReferences[message.channel] = fresh + 1
        return db.lastInsertRowID
    }

    private func nextReference(in channel: String) throws -> Int64 {
        try db.first("SELECT coalesce(max(ref), 0) + 1 FROM messages WHERE channel = ?", [.text(channel)]) {
            $0.int64(0)
        } ?? 1
    }

    private func insert(_ message: ChatMessage, reference: Int64) throws -> Bool {
        let statement = try db.statement("""
            INSERT OR IGNORE INTO messages (channel, time_ms, nick, account, kind, text, network_id, reply_to, thread_root, own, ref)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // One bind per column, no intermediate array: this is the ingest hot path.
        try statement.bind(.text(message.channel), at: 1)
        try statement.bind(.date(message.time), at: 2)
        try statement.bind(.text(message.sender.nick), at: 3)
        try statement.bind(.optional(message.sender.account), at: 4)
        try statement.bind(.text(message.kind.rawValue), at: 5)
        try statement.bind(.text(message.text), at: 6)
        try statement.bind(.optional(message.networkID), at: 7)
        try statement.bind(.optional(message.replyTo), at: 8)
        try statement.bind(.optional(message.threadRoot), at: 9)
        try statement.bind(.integer(message.isOwn ? 1 : 0), at: 10)
        try statement.bind(.integer(reference), at: 11)
        while try statement.step() {}
        return db.changes > 0
    }

    /// Up to `limit` messages of `channel` with a sequence below `sequence`, newest first.
    public func messages(in channel: String, before sequence: Int64, limit: Int) throws -> [StoredMessage] {
        try db.query(
            """
            SELECT \(Self.messageColumns)
            FROM messages WHERE channel = ? AND sequence < ? ORDER BY sequence DESC LIMIT ?
            """, [.text(channel), .integer(sequence), .integer(Int64(limit))], Self.storedMessage)
    }

    /// The message `channel` knows by this reference (``StoredMessage/reference``), if any.
    public func message(in channel: String, reference: Int64) throws -> StoredMessage? {
        try db.first(
            "SELECT \(Self.messageColumns) FROM messages WHERE channel = ? AND ref = ?",
            [.text(channel), .integer(reference)], Self.storedMessage)
    }

    static let messageColumns =
        "sequence, channel, time_ms, nick, account, kind, text, network_id, reply_to, thread_root, own, ref"

    /// The message with this network id in `channel`, if the log has it.
    public func message(in channel: String, networkID: String) throws -> StoredMessage? {
        try db.first(
            """
            SELECT \(Self.messageColumns)
            FROM messages WHERE channel = ? AND network_id = ?
            """, [.text(channel), .text(networkID)], Self.storedMessage)
    }

    /// The time of the newest message in the log, if any.
    public func newestMessageTime() throws -> Date? {
        try db.first("SELECT time_ms FROM messages ORDER BY sequence DESC LIMIT 1") { Date(milliseconds: $0.int64(0)) }
    }

    /// How many messages the log holds.
    public func messageCount() throws -> Int {
        try db.first("SELECT count(*) FROM messages") { Int($0.int64(0)) } ?? 0
    }

    static func storedMessage(_ row: SQLiteStatement) -> StoredMessage {
        StoredMessage(
            sequence: row.int64(0),
            message: ChatMessage(
                channel: row.string(1), time: Date(milliseconds: row.int64(2)),
                sender: ChatIdentity(nick: row.string(3), account: row.optionalString(4)),
                kind: ChatMessageKind(rawValue: row.string(5)) ?? .message, text: row.string(6),
                networkID: row.optionalString(7), replyTo: row.optionalString(8), threadRoot: row.optionalString(9),
                isOwn: row.int64(10) != 0),
            reference: row.optionalInt64(11))
    }

    /// Where a transport stopped reading, as it last reported.
    public func position(of transport: String) throws -> String? {
        try db.first("SELECT position FROM transport_positions WHERE transport = ?", [.text(transport)]) { $0.string(0) }
    }

    /// Records where a transport stopped reading. Call it in the transaction that stores what was read.
    public func savePosition(_ position: String, of transport: String, at now: Date = Date()) throws {
        try db.run(
            """
            INSERT INTO transport_positions (transport, position, updated_ms) VALUES (?, ?, ?)
            ON CONFLICT (transport) DO UPDATE SET position = excluded.position, updated_ms = excluded.updated_ms
            """, [.text(transport), .text(position), .date(now)])
    }
}
