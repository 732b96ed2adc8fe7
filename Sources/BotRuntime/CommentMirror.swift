import BlogEngines
import Foundation
import SQLiteStorage
import ThreadpressModel
import Workflow

/// Announces new comments, pingbacks and trackbacks on published posts in the channel, once each.
///
/// A comment enters the mirror ledger in the same transaction that queues its announcement, so a
/// restart, a re-listing or a touched file never announces it twice. Held comments wait until
/// they are approved.
public struct CommentMirror: Sendable {
    public let store: SQLiteStore
    public let engine: any BlogEngine
    public let excerptLength: Int
    public let logger: BotLogger

    public init(store: SQLiteStore, engine: any BlogEngine, excerptLength: Int, logger: BotLogger) {
        self.store = store
        self.engine = engine
        self.excerptLength = excerptLength
        self.logger = logger
    }

    /// Asks the engine about every published post once. Returns how many comments were announced.
    @discardableResult
    public func poll() async throws -> Int {
        let posts = try store.read { try $0.drafts(in: [.published]) }
        var announced = 0
        for draft in posts {
            guard let reference = draft.reference else { continue }
            try Task.checkCancellation()
            let cursor = try store.read { try $0.commentCursor(engine: engine.identifier, remoteID: reference.remoteID) }
            let page: CommentPage
            do {
                page = try await engine.comments(on: reference, after: cursor)
            } catch let error as BlogEngineError {
                logger.warning("could not read comments of draft \(draft.number) (\(reference.location)): \(error.message)")
                continue
            }
            let ordered = page.comments.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
            announced += try store.write { transaction in
                var count = 0
                for comment in ordered where comment.status == .approved {
                    guard try transaction.recordMirroredComment(comment, engine: engine.identifier, draft: draft.number)
                    else { continue }
                    try transaction.enqueue(
                        ChatReply(
                            channel: draft.channel,
                            text: WorkflowText.commentAnnouncement(
                                comment, postTitle: draft.title, excerptLength: excerptLength)))
                    count += 1
                }
                try transaction.saveCommentCursor(page.cursor, engine: engine.identifier, remoteID: reference.remoteID)
                return count
            }
        }
        return announced
    }
}
