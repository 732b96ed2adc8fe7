import Foundation
import ThreadpressModel

extension StoreTransaction {
    /// Where the last comment poll of a post stopped.
    public func commentCursor(engine: String, remoteID: String) throws -> String? {
        try db.first(
            "SELECT cursor FROM comment_cursors WHERE engine = ? AND remote_id = ?", [.text(engine), .text(remoteID)]
        ) { $0.optionalString(0) } ?? nil
    }

    public func saveCommentCursor(_ cursor: String?, engine: String, remoteID: String) throws {
        try db.run(
            """
            INSERT INTO comment_cursors (engine, remote_id, cursor) VALUES (?, ?, ?)
            ON CONFLICT (engine, remote_id) DO UPDATE SET cursor = excluded.cursor
            """, [.text(engine), .text(remoteID), .optional(cursor)])
    }

    /// Enters a comment in the mirror ledger. Returns `false` when it was already there, in which
    /// case it must not be announced again.
    ///
    /// The key is the draft and the engine's comment id, not the engine's identifier: moving the
    /// blog folder (or renaming the site) must not make old comments new again.
    public func recordMirroredComment(_ comment: BlogComment, engine: String, draft number: Int64, at now: Date = Date())
        throws -> Bool
    {
        try db.run(
            """
            INSERT OR IGNORE INTO mirrored_comments (engine, comment_id, draft_number, author, kind, mirrored_ms)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
            [
                .text(engine), .text(comment.id), .integer(number), .text(comment.authorName),
                .text(comment.kind.rawValue), .date(now),
            ])
        return db.changes > 0
    }

    /// How many comments the ledger holds for a draft.
    public func mirroredCommentCount(draft number: Int64) throws -> Int {
        try db.first("SELECT count(*) FROM mirrored_comments WHERE draft_number = ?", [.integer(number)]) {
            Int($0.int64(0))
        } ?? 0
    }
}
