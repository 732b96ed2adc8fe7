#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a draft is in its life. Numbers are never reused, whatever the state.
public enum DraftState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Promoted, waiting for an approver (its blog draft may or may not be written yet).
    case open
    /// Approved; the publish operation is in the outbox.
    case publishing
    /// Live on the blog.
    case published
    /// Discarded by an approver or its promoter.
    case rejected
}

/// A promoted conversation as the store keeps it.
public struct DraftRecord: Sendable, Hashable {
    /// The number people type (`!approve 3`): stable and never reused.
    public var number: Int64
    /// The idempotency key sent to the blog (`threadpress_id`).
    public var key: String
    public var channel: String
    public var title: String
    public var state: DraftState
    /// Who promoted it, and the identity roles were checked against (nil when unidentified).
    public var promoter: ChatIdentity
    public var promoterPrincipal: String?
    public var created: Date
    public var messageCount: Int
    /// Participants in order of first appearance.
    public var authors: [String]
    /// Where the blog engine put it, once it did.
    public var reference: PostReference?
    public var published: Date?
    /// Tags named in the command that promoted it (`+tag`), or set later with `!draft N tag`.
    public var tags: [String]
    /// The paragraph before the quotes (`!draft N intro …`).
    public var intro: String?
    /// An approver's override of the consent policy (`!override N reason…`): who and why.
    public var consentOverride: ConsentOverride?
    /// Set when the engine refused an update because a person changed the post there: from then on
    /// the post is edited on the blog, not from chat.
    public var editedOnBlog: Bool

    public init(
        number: Int64, key: String, channel: String, title: String, state: DraftState, promoter: ChatIdentity,
        promoterPrincipal: String?, created: Date, messageCount: Int, authors: [String],
        reference: PostReference? = nil, published: Date? = nil, tags: [String] = [], intro: String? = nil,
        consentOverride: ConsentOverride? = nil, editedOnBlog: Bool = false
    ) {
        self.intro = intro
        self.consentOverride = consentOverride
        self.editedOnBlog = editedOnBlog
        self.number = number
        self.key = key
        self.channel = channel
        self.title = title
        self.state = state
        self.promoter = promoter
        self.promoterPrincipal = promoterPrincipal
        self.created = created
        self.messageCount = messageCount
        self.authors = authors
        self.reference = reference
        self.published = published
        self.tags = tags
    }
}

/// An approver's decision to publish without everyone's consent, kept with the draft and shown.
public struct ConsentOverride: Sendable, Hashable {
    /// The approver's nick when they overrode it, and the principal roles were checked against.
    public var approver: String
    public var reason: String
    public var time: Date

    public init(approver: String, reason: String, time: Date) {
        self.approver = approver
        self.reason = reason
        self.time = time
    }
}

/// What one quoted person said about a draft (`!ok N`, `!redact N`, `!forget N`).
public struct ConsentAnswer: Sendable, Hashable {
    public enum Answer: String, Sendable, Hashable, CaseIterable {
        /// Agreed to be quoted under their name.
        case ok
        /// Removed their lines from the draft.
        case redacted
        /// Removed their lines from the published post and the store.
        case forgotten
    }

    /// Lower-cased principal (account, webhook user id, or nick where nicks are trusted).
    public var principal: String
    /// The nick they used when they answered.
    public var nick: String
    public var answer: Answer
    public var time: Date

    public init(principal: String, nick: String, answer: Answer, time: Date) {
        self.principal = principal
        self.nick = nick
        self.answer = answer
        self.time = time
    }
}

/// A role given in chat by an admin (`!role add approver ACCOUNT`), kept in the store.
public struct RoleGrant: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, CaseIterable {
        case approver, replier, admin
    }

    /// Lower-cased principal.
    public var principal: String
    public var role: Role
    /// The admin's nick (and principal) who granted it.
    public var grantedBy: String
    public var time: Date

    public init(principal: String, role: Role, grantedBy: String, time: Date) {
        self.principal = principal
        self.role = role
        self.grantedBy = grantedBy
        self.time = time
    }
}
