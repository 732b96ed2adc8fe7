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
    /// Say these lines privately to whoever asked (only produced where the transport can).
    case replyPrivately([String])
    /// Change a draft in the store (``rewriteDraft(draft:requestedBy:)`` then writes it to the blog).
    case changeDraft(draft: Int64, DraftChange, requestedBy: String)
    /// Queue writing the draft (or published post) to the blog again, from the store.
    case rewriteDraft(draft: Int64, requestedBy: String)
    /// Record a quoted person's answer.
    case recordConsent(draft: Int64, ConsentAnswer)
    /// `!forget`: remove these messages' words from the store.
    case forgetMessages([Int64])
    case overrideConsent(draft: Int64, ConsentOverride)
    case setOptedOut(principal: String, nick: String, optedOut: Bool)
    case grantRole(RoleGrant)
    case revokeRole(RoleGrant.Role, principal: String)
}

/// The new state of one part of a draft, as the workflow resolved a `!draft` edit.
public enum DraftChange: Sendable, Hashable {
    case title(String)
    /// The draft's lines after a `drop` or `add`, in order.
    case lines([StoredMessage])
    case tags([String])
    case intro(String?)
}
