#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// What the mirror ledger knows of a comment.
public enum CommentLedgerState: String, Sendable, Hashable {
    /// Seen while waiting for moderation: its text was never announced; re-checked every poll.
    case held
    /// Announced in the channel (or counted in a summary line): never again.
    case announced
}

/// A comment the ledger holds as held, to re-check.
public struct HeldComment: Sendable, Hashable {
    public var postID: String
    public var commentID: String
    public var draftNumber: Int64?
}

extension StoreTransaction {
    /// Where the last comment poll of a blog stopped (`scope` names what was asked: `*` for the site).
    public func commentCursor(engine: String, scope: String = "*") throws -> String? {
        try db.first(
            "SELECT cursor FROM comment_cursors WHERE engine = ? AND remote_id = ?", [.text(engine), .text(scope)]
        ) { $0.optionalString(0) } ?? nil
    }

    public func saveCommentCursor(_ cursor: String?, engine: String, scope: String = "*") throws {
        try db.run(
            """
            INSERT INTO comment_cursors (engine, remote_id, cursor) VALUES (?, ?, ?)
            ON CONFLICT (engine, remote_id) DO UPDATE SET cursor = excluded.cursor
            """, [.text(engine), .text(scope), .optional(cursor)])
    }

    /// What the ledger knows of a comment, or `nil` when it is new.
    ///
    /// The key is the post's remote id and the engine's comment id, not the engine's identifier:
    /// moving the blog folder (or renaming the site) must not make old comments new again.
    public func commentLedgerState(postID: String, commentID: String) throws -> CommentLedgerState? {
        try db.first(
            "SELECT state FROM comment_ledger WHERE post_id = ? AND comment_id = ?", [.text(postID), .text(commentID)]
        ) { CommentLedgerState(rawValue: $0.string(0)) } ?? nil
    }

    /// Records what the mirror decided for a comment. Call it in the transaction that queues the
    /// announcement, so the two are committed together.
    public func recordComment(
        _ comment: BlogComment, draft number: Int64?, state: CommentLedgerState, at now: Date = Date()
    ) throws {
        try db.run(
            """
            INSERT INTO comment_ledger (post_id, comment_id, draft_number, state, author, kind, first_seen_ms, announced_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (post_id, comment_id) DO UPDATE SET state = excluded.state, announced_ms = excluded.announced_ms
            """,
            [
                .text(comment.postID), .text(comment.id), .optional(number), .text(state.rawValue),
                .text(comment.authorName), .text(comment.kind.rawValue), .date(now),
                state == .announced ? .date(now) : .null,
            ])
    }

    /// Comments seen held and not yet approved, oldest first.
    public func heldComments() throws -> [HeldComment] {
        try db.query(
            "SELECT post_id, comment_id, draft_number FROM comment_ledger WHERE state = 'held' ORDER BY first_seen_ms, comment_id",
            []
        ) { HeldComment(postID: $0.string(0), commentID: $0.string(1), draftNumber: $0.optionalInt64(2)) }
    }

    /// Drops a held comment that is gone from the blog (spam, trash, deleted).
    public func forgetHeldComment(postID: String, commentID: String) throws {
        try db.run(
            "DELETE FROM comment_ledger WHERE post_id = ? AND comment_id = ? AND state = 'held'",
            [.text(postID), .text(commentID)])
    }

    /// How many comments the ledger holds as announced for a draft.
    public func mirroredCommentCount(draft number: Int64) throws -> Int {
        try db.first(
            "SELECT count(*) FROM comment_ledger WHERE draft_number = ? AND state = 'announced'", [.integer(number)]
        ) { Int($0.int64(0)) } ?? 0
    }

    /// The draft whose post has this remote id, if threadpress made it.
    public func draftNumber(remoteID: String) throws -> Int64? {
        try db.first("SELECT number FROM drafts WHERE remote_id = ?", [.text(remoteID)]) { $0.int64(0) }
    }
}
