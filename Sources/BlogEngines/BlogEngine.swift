import Foundation
import ThreadpressModel

/// A place posts are published to.
///
/// Every operation is idempotent by ``PostDraft/key``: calling it again after a crash, an outage or
/// a timeout finds what the first call did instead of doing it twice. Implementations:
/// ``MarkdownFolderEngine`` (a Jekyll folder); later a WordPress engine over its REST API.
public protocol BlogEngine: Sendable {
    /// A stable name for this blog (e.g. `markdown:/srv/blog`), part of the comment ledger's key.
    var identifier: String { get }

    /// The post an earlier call made for `key`, if any (a create whose answer was lost in a crash).
    func find(key: String) async throws -> PostReference?

    /// Writes the draft (not visible to readers) and says where it went.
    func createDraft(_ draft: PostDraft) async throws -> PostReference

    /// Makes the post visible to readers, dated `date`.
    func publish(_ draft: PostDraft, reference: PostReference, at date: Date) async throws -> PostReference

    /// Removes a draft that was rejected. A draft that is already gone is not an error.
    func discard(_ reference: PostReference) async throws

    /// Comments (and pingbacks/trackbacks) on a published post after `cursor` (from an earlier page,
    /// or `nil` for all). May repeat comments already seen; the mirror ledger removes them.
    func comments(on post: PostReference, after cursor: String?) async throws -> CommentPage

    /// Comments, pingbacks and trackbacks newer than `cursor` (nil: from the start), over the scope.
    /// Held comments are returned too with status .held. May repeat comments already seen.
    func comments(after cursor: String?, scope: CommentScope) async throws -> CommentPage
    /// The current state of these comment ids. An id not returned is gone (spam, trash, deleted).
    func comments(ids: [String]) async throws -> [BlogComment]
    /// Moderation from chat. Default implementations throw a permanent "not supported" error.
    func moderate(commentID: String, to action: CommentModeration) async throws
    func reply(toCommentID: String, text: String) async throws -> BlogComment
}

/// Which posts' comments to ask an engine for.
public enum CommentScope: Sendable, Hashable {
    /// Every post on the blog.
    case everyPost
    /// Only these posts (the ones threadpress made).
    case posts([PostReference])
}

/// What an approver can do to a comment from chat.
public enum CommentModeration: String, Sendable, Hashable { case approve, spam, trash }

// The calls issue 5's contract adds. Until the lead's version lands in main they have defaults, so
// engines that predate them (and the bot, which still polls post by post) keep compiling.
extension BlogEngine {
    public func find(key: String) async throws -> PostReference? { nil }

    public func comments(after cursor: String?, scope: CommentScope) async throws -> CommentPage {
        throw BlogEngineError("\(identifier) cannot list comments across posts", kind: .permanent)
    }

    public func comments(ids: [String]) async throws -> [BlogComment] {
        throw BlogEngineError("\(identifier) cannot re-check comments by id", kind: .permanent)
    }

    public func moderate(commentID: String, to action: CommentModeration) async throws {
        throw BlogEngineError("\(identifier) does not support moderating comments from chat", kind: .permanent)
    }

    public func reply(toCommentID: String, text: String) async throws -> BlogComment {
        throw BlogEngineError("\(identifier) does not support replying to comments from chat", kind: .permanent)
    }
}

/// Every engine failure, classified once at the edge.
public struct BlogEngineError: Error, Sendable, CustomStringConvertible {
    /// What the caller should do: retry later, tell the channel once, or leave a person's change alone.
    public enum Kind: String, Sendable, Hashable { case transient, permanent, conflict }

    public var kind: Kind
    /// One line a person can act on; never a secret.
    public var message: String
    public var httpStatus: Int?
    /// From Retry-After, when the server sent one.
    public var retryAfter: TimeInterval?

    public var isTransient: Bool { kind == .transient }

    public init(_ message: String, kind: Kind, httpStatus: Int? = nil, retryAfter: TimeInterval? = nil) {
        self.kind = kind
        self.message = message
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
    }

    /// Kept for old callers.
    public init(_ message: String, isTransient: Bool) {
        self.init(message, kind: isTransient ? .transient : .permanent)
    }

    public var description: String { message }
}
