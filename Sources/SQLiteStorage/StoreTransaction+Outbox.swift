#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// A blog operation waiting in the outbox.
public struct BlogOperation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case create, publish, discard
        /// Writes the draft (or the published post) again after an edit from chat.
        case update
    }

    public var id: Int64
    public var draftNumber: Int64
    public var kind: Kind
    /// The nick to address when telling the channel how it went.
    public var requestedBy: String
    public var attempts: Int
    public var lastError: String?
    /// Whether an earlier attempt reached the engine (and may have acted before its answer was lost).
    public var wasStarted: Bool = false
    /// When it was queued (the approval): a publish is dated then, the same on every retry, so an
    /// engine can recognise its own earlier attempt.
    public var requested: Date = Date(timeIntervalSince1970: 0)
    /// For a scheduled publish, when the post goes live.
    public var publishAt: Date?
}

/// A chat reply waiting in the outbox.
public struct PendingReply: Sendable, Hashable {
    public var id: Int64
    public var reply: ChatReply
}

extension StoreTransaction {
    /// Queues a blog operation. Call it in the transaction that decided it.
    @discardableResult
    public func enqueue(
        _ kind: BlogOperation.Kind, draft number: Int64, requestedBy: String, publishAt: Date? = nil, at now: Date = Date()
    ) throws -> Int64 {
        try db.run(
            """
            INSERT INTO blog_outbox (draft_number, operation, state, requested_by, created_ms, publish_at_ms)
            VALUES (?, ?, 'pending', ?, ?, ?)
            """,
            [.integer(number), .text(kind.rawValue), .text(requestedBy), .date(now), .optional(publishAt?.milliseconds)])
        return db.lastInsertRowID
    }

    /// The oldest operation with an id above `id` that may run at `now` (see
    /// ``runnableBlogOperations(at:)``); one indexed step, whatever the size of the outbox.
    public func nextRunnableBlogOperation(after id: Int64, at now: Date = Date()) throws -> BlogOperation? {
        try db.first(
            """
            SELECT o.id, o.draft_number, o.operation, o.requested_by, o.attempts, o.last_error, o.started_ms,
                   o.created_ms, o.publish_at_ms
            FROM blog_outbox o
            WHERE o.state = 'pending' AND o.id > ? AND o.not_before_ms <= ?
              AND NOT EXISTS (SELECT 1 FROM blog_outbox e WHERE e.draft_number = o.draft_number
                              AND e.state = 'pending' AND e.id < o.id)
            ORDER BY o.id LIMIT 1
            """, [.integer(id), .date(now)], Self.blogOperation)
    }

    static func blogOperation(_ row: SQLiteStatement) -> BlogOperation {
        BlogOperation(
            id: row.int64(0), draftNumber: row.int64(1), kind: BlogOperation.Kind(rawValue: row.string(2)) ?? .create,
            requestedBy: row.string(3), attempts: Int(row.int64(4)), lastError: row.optionalString(5),
            wasStarted: row.optionalInt64(6) != nil, requested: Date(milliseconds: row.int64(7)),
            publishAt: row.optionalInt64(8).map(Date.init(milliseconds:)))
    }

    /// Records, before the engine is called, that this operation is about to reach it.
    public func markBlogOperationStarted(_ id: Int64, at now: Date = Date()) throws {
        try db.run(
            "UPDATE blog_outbox SET started_ms = coalesce(started_ms, ?) WHERE id = ?", [.date(now), .integer(id)])
    }

    /// Pending operations that may run at `now`, oldest first; an operation waits while an older
    /// one for the same draft is still pending, so a publish never overtakes its create. One that
    /// failed for good does not block later ones (an approver may `!approve` again).
    public func runnableBlogOperations(at now: Date = Date()) throws -> [BlogOperation] {
        try db.query(
            """
            SELECT o.id, o.draft_number, o.operation, o.requested_by, o.attempts, o.last_error FROM blog_outbox o
            WHERE o.state = 'pending' AND o.not_before_ms <= ?
              AND NOT EXISTS (SELECT 1 FROM blog_outbox e WHERE e.draft_number = o.draft_number
                              AND e.id < o.id AND e.state = 'pending')
            ORDER BY o.id
            """, [.date(now)]
        ) {
            BlogOperation(
                id: $0.int64(0), draftNumber: $0.int64(1), kind: BlogOperation.Kind(rawValue: $0.string(2)) ?? .create,
                requestedBy: $0.string(3), attempts: Int($0.int64(4)), lastError: $0.optionalString(5))
        }
    }

    /// How many operations are pending (runnable or waiting for a retry time).
    public func pendingBlogOperationCount() throws -> Int {
        try db.first("SELECT count(*) FROM blog_outbox WHERE state = 'pending'") { Int($0.int64(0)) } ?? 0
    }

    public func completeBlogOperation(_ id: Int64, at now: Date = Date()) throws {
        try db.run(
            "UPDATE blog_outbox SET state = 'done', attempts = attempts + 1, finished_ms = ? WHERE id = ?",
            [.date(now), .integer(id)])
    }

    /// Records a failed attempt: with `retryAt` the operation stays pending until then; without, it
    /// is marked failed for good (it and later operations on its draft stop).
    public func failBlogOperation(_ id: Int64, error: String, retryAt: Date?, at now: Date = Date()) throws {
        if let retryAt {
            try db.run(
                "UPDATE blog_outbox SET attempts = attempts + 1, last_error = ?, not_before_ms = ? WHERE id = ?",
                [.text(error), .date(retryAt), .integer(id)])
        } else {
            try db.run(
                "UPDATE blog_outbox SET state = 'failed', attempts = attempts + 1, last_error = ?, finished_ms = ? WHERE id = ?",
                [.text(error), .date(now), .integer(id)])
        }
    }

    /// Queues a line for the channel. Call it in the transaction that decided to say it.
    public func enqueue(_ reply: ChatReply, at now: Date = Date()) throws {
        try db.run(
            """
            INSERT INTO chat_outbox (channel, text, in_reply_to, thread_root, state, created_ms, priority, recipient)
            VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)
            """,
            [
                .text(reply.channel), .text(reply.text), .optional(reply.inReplyTo), .optional(reply.threadRoot),
                .date(now), .integer(Int64(reply.priority.rawValue)), .optional(reply.recipient),
            ])
    }

    /// Replies waiting to be sent: answers to commands first, then announcements, each oldest first.
    public func pendingReplies(limit: Int = 100) throws -> [PendingReply] {
        try db.query(
            """
            SELECT id, channel, text, in_reply_to, thread_root, priority, recipient FROM chat_outbox
            WHERE state = 'pending' ORDER BY priority, id LIMIT ?
            """,
            [.integer(Int64(limit))]
        ) {
            PendingReply(
                id: $0.int64(0),
                reply: ChatReply(
                    channel: $0.string(1), text: $0.string(2), inReplyTo: $0.optionalString(3),
                    threadRoot: $0.optionalString(4),
                    priority: ChatReply.Priority(rawValue: Int($0.int64(5))) ?? .announcement,
                    recipient: $0.optionalString(6)))
        }
    }

    /// The lines of a claimed reply that are still to be sent, in order. The first call splits the
    /// reply with `split` and records the lines, so a reply interrupted after line 1 resumes at
    /// line 2 with the same split (each line is on the wire at most once).
    public func unsentLines(ofReply id: Int64, split: () -> [String]) throws -> [(position: Int, text: String)] {
        let known = try db.first("SELECT count(*) FROM chat_outbox_lines WHERE reply_id = ?", [.integer(id)]) {
            Int($0.int64(0))
        } ?? 0
        if known == 0 {
            for (position, text) in split().enumerated() {
                try db.run(
                    "INSERT INTO chat_outbox_lines (reply_id, position, text, state) VALUES (?, ?, ?, 'pending')",
                    [.integer(id), .integer(Int64(position)), .text(text)])
            }
        }
        return try db.query(
            "SELECT position, text FROM chat_outbox_lines WHERE reply_id = ? AND state = 'pending' ORDER BY position",
            [.integer(id)]
        ) { (position: Int($0.int64(0)), text: $0.string(1)) }
    }

    /// Claims one line just before it goes to the transport.
    public func markLineSending(reply id: Int64, position: Int) throws {
        try db.run(
            "UPDATE chat_outbox_lines SET state = 'sending' WHERE reply_id = ? AND position = ?",
            [.integer(id), .integer(Int64(position))])
    }

    /// Records that the transport took the line.
    public func markLineSent(reply id: Int64, position: Int, at now: Date = Date()) throws {
        try db.run(
            "UPDATE chat_outbox_lines SET state = 'sent', sent_ms = ? WHERE reply_id = ? AND position = ?",
            [.date(now), .integer(id), .integer(Int64(position))])
    }

    /// Puts a line the transport refused back (it never reached the wire).
    public func releaseLine(reply id: Int64, position: Int) throws {
        try db.run(
            "UPDATE chat_outbox_lines SET state = 'pending' WHERE reply_id = ? AND position = ? AND state = 'sending'",
            [.integer(id), .integer(Int64(position))])
    }

    /// Claims a reply just before it is handed to the transport. A reply left claimed by a crash is
    /// not sent again (at most once on the wire); see ``abandonInterruptedReplies()``.
    public func markReplySending(_ id: Int64) throws {
        try db.run("UPDATE chat_outbox SET state = 'sending' WHERE id = ?", [.integer(id)])
    }

    public func markReplySent(_ id: Int64, at now: Date = Date()) throws {
        try db.run("UPDATE chat_outbox SET state = 'sent', sent_ms = ? WHERE id = ?", [.date(now), .integer(id)])
    }

    /// Replies a crash left between claimed and sent. The line that was being handed over counts as
    /// sent (it may be on the wire: at most once); the lines after it are queued again. Returned for
    /// a warning.
    public func abandonInterruptedReplies(at now: Date = Date()) throws -> [PendingReply] {
        let stuck = try db.query(
            "SELECT id, channel, text, recipient FROM chat_outbox WHERE state = 'sending' ORDER BY id", []
        ) {
            PendingReply(
                id: $0.int64(0), reply: ChatReply(channel: $0.string(1), text: $0.string(2), recipient: $0.optionalString(3)))
        }
        for reply in stuck {
            // The line in flight may have reached the wire; the lines after it did not.
            try db.run(
                "UPDATE chat_outbox_lines SET state = 'sent', sent_ms = ? WHERE reply_id = ? AND state = 'sending'",
                [.date(now), .integer(reply.id)])
            let (total, unsent) = try db.first(
                "SELECT count(*), count(*) FILTER (WHERE state = 'pending') FROM chat_outbox_lines WHERE reply_id = ?",
                [.integer(reply.id)]
            ) { (Int($0.int64(0)), Int($0.int64(1))) } ?? (0, 0)
            if total == 0 || unsent > 0 {
                // Nothing of it was handed over yet, or only some lines were: send the rest.
                try db.run("UPDATE chat_outbox SET state = 'pending' WHERE id = ?", [.integer(reply.id)])
            } else {
                try markReplySent(reply.id, at: now)
            }
        }
        return stuck
    }
}

extension StoreTransaction {
    /// Puts a claimed reply back in the queue after the transport refused it (disconnected, say).
    public func releaseReply(_ id: Int64) throws {
        try db.run("UPDATE chat_outbox SET state = 'pending' WHERE id = ? AND state = 'sending'", [.integer(id)])
    }
}
