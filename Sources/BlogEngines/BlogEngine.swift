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

    /// Writes the draft (not visible to readers) and says where it went.
    func createDraft(_ draft: PostDraft) async throws -> PostReference

    /// Makes the post visible to readers, dated `date`.
    func publish(_ draft: PostDraft, reference: PostReference, at date: Date) async throws -> PostReference

    /// Removes a draft that was rejected. A draft that is already gone is not an error.
    func discard(_ reference: PostReference) async throws

    /// Comments (and pingbacks/trackbacks) on a published post after `cursor` (from an earlier page,
    /// or `nil` for all). May repeat comments already seen; the mirror ledger removes them.
    func comments(on post: PostReference, after cursor: String?) async throws -> CommentPage
}

/// An engine could not do what was asked. `isTransient` tells the outbox whether to retry later.
public struct BlogEngineError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var isTransient: Bool

    public init(_ message: String, isTransient: Bool) {
        self.message = message
        self.isTransient = isTransient
    }

    public var description: String { message }
}
