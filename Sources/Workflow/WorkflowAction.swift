#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// A promoted conversation the runtime should record as a new draft.
public struct DraftProposal: Sendable, Hashable {
    /// The idempotency key (`threadpress_id`), derived from the command message.
    public var key: String
    public var title: String
    /// The chosen lines, oldest first.
    public var lines: [StoredMessage]
    /// Participants in order of first appearance.
    public var authors: [String]
    public var promoter: ChatIdentity
    public var promoterPrincipal: String?
    /// Tags named in the command (`+tag`).
    public var tags: [String] = []
}

/// What the workflow decided; the runtime carries it out in the same transaction that stored the
/// command (store first, then the blog and the chat through their outboxes).
public enum WorkflowAction: Sendable, Hashable {
    /// Say this line in the channel (already addressed to whoever asked).
    case reply(String)
    /// Record a draft, queue its creation on the blog, and answer with ``WorkflowText/draftCreated(number:proposal:)``.
    case createDraft(DraftProposal)
    /// Mark the draft publishing and queue the publish (at `at`, when scheduled); the answer comes
    /// when the blog confirms.
    case approve(draft: Int64, requestedBy: String, at: Date? = nil)
    /// Mark the draft rejected and queue removing it from the blog.
    case reject(draft: Int64, requestedBy: String)
    /// Queue a moderation (approve, spam, trash) of a blog comment.
    case moderateComment(id: String, action: CommentModeration, requestedBy: String)
    /// Queue a reply to a blog comment, posted as the bot's blog user.
    case replyToComment(id: String, text: String, requestedBy: String)
}
