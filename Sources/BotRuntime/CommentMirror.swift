import BlogEngines
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SQLiteStorage
import ThreadpressModel
import Workflow

/// Announces new comments, pingbacks and trackbacks in the channel, once each.
///
/// One poll asks the engine once for everything after the blog's cursor (and, when the ledger holds
/// comments seen waiting for moderation, once more for those by id). ``CommentMirrorPolicy``
/// decides; this type only does the I/O. A comment enters the ledger in the same transaction that
/// queues its announcement, so a restart, a re-listing or a touched file never announces it twice;
/// a held comment is remembered as held, never shown, and announced once when it is approved, even
/// if the cursor moved past it long ago.
public struct CommentMirror: Sendable {
    /// Whose comments are mirrored.
    public enum Scope: String, Sendable, Hashable {
        /// Every post on the blog.
        case everyPost = "all"
        /// Only the posts threadpress published.
        case threadpressPosts = "threadpress"
    }

    public let store: SQLiteStore
    public let engine: any BlogEngine
    public let policy: CommentMirrorPolicy
    public let scope: Scope
    /// Where announcements about posts threadpress did not make go (the transport's channel).
    public let channel: String
    /// The command prefix, for the moderation hint.
    public let prefix: String
    public let logger: BotLogger

    public init(
        store: SQLiteStore, engine: any BlogEngine, policy: CommentMirrorPolicy, scope: Scope = .threadpressPosts,
        channel: String, prefix: String = "!", logger: BotLogger
    ) {
        self.store = store
        self.engine = engine
        self.policy = policy
        self.scope = scope
        self.channel = channel
        self.prefix = prefix
        self.logger = logger
    }

    /// Polls the blog once. Returns how many comments were announced (one line each).
    @discardableResult
    public func poll() async throws -> Int {
        let published = try await store.asyncRead { try $0.drafts(in: [.published]) }
        let engineScope: CommentScope
        switch scope {
        case .everyPost: engineScope = .everyPost
        case .threadpressPosts:
            let references = published.compactMap(\.reference)
            if references.isEmpty { return 0 }
            engineScope = .posts(references)
        }
        let cursor = try await store.asyncRead { try $0.commentCursor(engine: engine.identifier) }
        let page = try await engine.comments(after: cursor, scope: engineScope)
        let held = try await store.asyncRead { try $0.heldComments() }
        let rechecked = held.isEmpty ? nil : try await engine.comments(ids: held.map(\.commentID))
        let titles = Dictionary(published.compactMap { draft in draft.reference.map { ($0.remoteID, draft) } }) { a, _ in a }

        return try await store.asyncWrite { transaction in
            let plan = try policy.plan(
                listed: page.comments, rechecked: rechecked,
                heldIDs: held.map { .init(postID: $0.postID, commentID: $0.commentID) }
            ) { postID, commentID in
                switch try transaction.commentLedgerState(postID: postID, commentID: commentID) {
                case nil: return .new
                case .held?: return .held
                case .announced?: return .announced
                }
            }
            for record in plan.records {
                try transaction.recordComment(
                    record.comment, draft: titles[record.comment.postID]?.number,
                    state: record.state == .held ? .held : .announced)
            }
            for comment in plan.announce {
                let draft = titles[comment.postID]
                let title = draft?.title ?? comment.postTitle ?? "a post"
                try transaction.enqueue(
                    ChatReply(
                        channel: draft?.channel ?? channel, text: policy.announcement(comment, postTitle: title),
                        priority: .announcement))
            }
            if !plan.summarised.isEmpty {
                var named = plan.summarised
                for index in named.indices where named[index].postTitle == nil {
                    named[index].postTitle = titles[named[index].postID]?.title
                }
                try transaction.enqueue(
                    ChatReply(channel: channel, text: WorkflowText.commentSummary(named), priority: .announcement))
            }
            for gone in plan.forget {
                try transaction.forgetHeldComment(postID: gone.postID, commentID: gone.commentID)
            }
            if plan.newlyHeld > 0 {
                let total = try transaction.heldComments().count
                try transaction.enqueue(
                    ChatReply(
                        channel: channel, text: WorkflowText.heldComments(
                            newly: plan.records.filter { $0.state == .held }.map(\.comment.id), total: total, prefix: prefix),
                        priority: .announcement))
            }
            try transaction.saveCommentCursor(page.cursor ?? cursor, engine: engine.identifier)
            return plan.announce.count
        }
    }
}
