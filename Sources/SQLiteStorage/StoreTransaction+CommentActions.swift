#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// A moderation or reply asked for from chat, waiting for the blog.
public struct CommentAction: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case moderate(CommentModeration)
        case reply(String)
    }

    public var id: Int64
    public var commentID: String
    public var kind: Kind
    public var channel: String
    public var requestedBy: String
    public var attempts: Int
}

extension StoreTransaction {
    /// Queues a moderation or a reply. Call it in the transaction that stored the command.
    public func enqueue(_ kind: CommentAction.Kind, comment id: String, channel: String, requestedBy: String, at now: Date = Date())
        throws
    {
        let (action, text): (String, String?)
        switch kind {
        case .moderate(let moderation): (action, text) = (moderation.rawValue, nil)
        case .reply(let reply): (action, text) = ("reply", reply)
        }
        try db.run(
            """
            INSERT INTO comment_actions (comment_id, action, text, channel, requested_by, state, created_ms)
            VALUES (?, ?, ?, ?, ?, 'pending', ?)
            """, [.text(id), .text(action), .optional(text), .text(channel), .text(requestedBy), .date(now)])
    }

    /// The oldest pending action that may run at `now`.
    public func nextCommentAction(at now: Date = Date()) throws -> CommentAction? {
        try db.first(
            """
            SELECT id, comment_id, action, text, channel, requested_by, attempts FROM comment_actions
            WHERE state = 'pending' AND not_before_ms <= ? ORDER BY id LIMIT 1
            """, [.date(now)]
        ) { row in
            let action = row.string(2)
            let kind: CommentAction.Kind =
                action == "reply" ? .reply(row.optionalString(3) ?? "") : .moderate(CommentModeration(rawValue: action) ?? .approve)
            return CommentAction(
                id: row.int64(0), commentID: row.string(1), kind: kind, channel: row.string(4), requestedBy: row.string(5),
                attempts: Int(row.int64(6)))
        }
    }

    public func completeCommentAction(_ id: Int64, at now: Date = Date()) throws {
        try db.run(
            "UPDATE comment_actions SET state = 'done', attempts = attempts + 1, finished_ms = ? WHERE id = ?",
            [.date(now), .integer(id)])
    }

    /// A failed attempt: pending again from `retryAt`, or failed for good without it.
    public func failCommentAction(_ id: Int64, error: String, retryAt: Date?, at now: Date = Date()) throws {
        if let retryAt {
            try db.run(
                "UPDATE comment_actions SET attempts = attempts + 1, last_error = ?, not_before_ms = ? WHERE id = ?",
                [.text(error), .date(retryAt), .integer(id)])
        } else {
            try db.run(
                "UPDATE comment_actions SET state = 'failed', attempts = attempts + 1, last_error = ?, finished_ms = ? WHERE id = ?",
                [.text(error), .date(now), .integer(id)])
        }
    }
}
