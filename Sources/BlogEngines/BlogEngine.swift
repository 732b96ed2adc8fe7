#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// A place posts are published to.
///
/// Every operation is idempotent by ``PostDraft/key``: calling it again after a crash, an outage or
/// a timeout finds what the first call did instead of doing it twice, and ``find(key:)`` answers
/// "did an earlier attempt already make this post?" for a create whose answer was lost.
/// Implementations: ``MarkdownFolderEngine`` (a Jekyll folder), `WordPressEngine` (REST API).
///
/// Every failure is thrown as a ``BlogEngineError``, classified once at the edge (transient,
/// permanent or conflict); the bot also treats any other error as transient, so no engine failure
/// can stop the service.
public protocol BlogEngine: Sendable {
    /// A stable name for this blog (e.g. `markdown:/srv/blog`), for logs and cursors.
    var identifier: String { get }

    /// The post an earlier call made for `key`, if any (a create whose answer was lost in a crash).
    func find(key: String) async throws -> PostReference?

    /// Writes the draft (not visible to readers) and says where it went.
    func createDraft(_ draft: PostDraft) async throws -> PostReference

    /// Makes the post visible to readers at `date`: now, or scheduled when `date` is in the future.
    /// Never overwrites content a person changed in the blog (it changes the status and date only);
    /// a post a person already published, trashed or deleted is a ``BlogEngineError/Kind/conflict``.
    func publish(_ draft: PostDraft, reference: PostReference, at date: Date) async throws -> PostReference

    /// Writes the draft again after an edit from chat (`!draft`, `!redact`, `!forget`), keeping its
    /// status (a published post stays published, at its place and date). When a person changed the
    /// post on the blog since the bot last wrote it (``PostReference/modified`` no longer matches), it
    /// writes nothing and throws a ``BlogEngineError/Kind/conflict`` whose message says where to edit.
    func update(_ draft: PostDraft, reference: PostReference) async throws -> PostReference
    /// Removes a draft that was rejected. A draft that is already gone is not an error.
    func discard(_ reference: PostReference) async throws

    /// Comments, pingbacks and trackbacks newer than `cursor` (`nil`: from the start) on the posts in
    /// `scope`. Held comments are returned too, with status ``BlogComment/Status/held``. May repeat
    /// comments already seen; the mirror ledger removes them. The returned cursor must be safe to
    /// ask from next time.
    func comments(after cursor: String?, scope: CommentScope) async throws -> CommentPage

    /// The current state of these comments (to re-check held ones). An id that is not returned is
    /// gone from the blog (spam, trash, deleted).
    func comments(ids: [String]) async throws -> [BlogComment]

    /// Approves, marks as spam or trashes a comment (an approver's `!comment` command).
    func moderate(commentID: String, to action: CommentModeration) async throws

    /// Posts a reply to a comment as the blog user the bot is configured with.
    func reply(toCommentID commentID: String, text: String) async throws -> BlogComment

    /// Checks that the blog can be reached with the configured credentials, at start-up and for
    /// `check-config --online`; returns one line describing what was checked (empty when there is
    /// nothing to check, as for a local folder). A permanent failure
    /// (rejected credentials) stops the bot before it queues work it can never do.
    func checkAccess() async throws -> String
}

extension BlogEngine {
    public func checkAccess() async throws -> String { "" }
    public func update(_ draft: PostDraft, reference: PostReference) async throws -> PostReference {
        throw BlogEngineError("this blog (\(identifier)) cannot rewrite a post from chat", kind: .permanent)
    }

    public func moderate(commentID: String, to action: CommentModeration) async throws {
        throw BlogEngineError("this blog (\(identifier)) cannot moderate comments from chat", kind: .permanent)
    }

    public func reply(toCommentID commentID: String, text: String) async throws -> BlogComment {
        throw BlogEngineError("this blog (\(identifier)) cannot take replies from chat", kind: .permanent)
    }
}
