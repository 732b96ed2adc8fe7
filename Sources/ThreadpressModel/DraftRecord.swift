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
    /// Tags named in the command that promoted it (`+tag`).
    public var tags: [String]

    public init(
        number: Int64, key: String, channel: String, title: String, state: DraftState, promoter: ChatIdentity,
        promoterPrincipal: String?, created: Date, messageCount: Int, authors: [String],
        reference: PostReference? = nil, published: Date? = nil, tags: [String] = []
    ) {
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
