#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything a blog engine needs to write a post for a promoted conversation.
///
/// `key` is the stable `threadpress_id`: the engine stores it with the post so that a retry after a
/// crash finds the post it already made instead of making a second one.
public struct PostDraft: Sendable, Hashable {
    /// Stable idempotency key, e.g. `tp-3f9c…`; unique per draft, never reused.
    public var key: String
    /// The local draft number shown in chat.
    public var number: Int64
    public var title: String
    /// Date the draft was promoted (front matter `date` until it is published).
    public var created: Date
    public var tags: [String]
    /// Participants in order of first appearance (nicks as shown in chat).
    public var authors: [String]
    /// The chosen lines, in order.
    public var lines: [ChatMessage]
    /// The time zone used to show message times.
    public var timeZone: IANATimeZone
    /// A paragraph the promoter wrote to go before the quotes (`!draft N intro …`); plain text,
    /// escaped like the lines.
    public var intro: String?

    public init(
        key: String, number: Int64, title: String, created: Date, tags: [String], authors: [String],
        lines: [ChatMessage], timeZone: IANATimeZone, intro: String? = nil
    ) {
        self.intro = intro
        self.key = key
        self.number = number
        self.title = title
        self.created = created
        self.tags = tags
        self.authors = authors
        self.lines = lines
        self.timeZone = timeZone
    }
}

/// Where an engine put a post: its id on the engine (a path, a WordPress post id), a public
/// location if it has one, the slug, and whether it is live.
public struct PostReference: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case draft, scheduled, published
    }

    /// The engine's own id: a folder-relative path for Markdown, the post id for WordPress.
    public var remoteID: String
    /// Where a reader finds it (a URL, or a path for a folder engine).
    public var location: String
    public var slug: String
    public var status: Status
    /// Where a person edits the post (a wp-admin link), when the engine has such a place.
    public var editLocation: String?
    /// An opaque stamp of the version the bot last wrote or saw (WordPress: `modified_gmt`), so
    /// an edit a person made in the blog is noticed and never overwritten.
    public var modified: String?

    public init(
        remoteID: String, location: String, slug: String, status: Status, editLocation: String? = nil,
        modified: String? = nil
    ) {
        self.remoteID = remoteID
        self.location = location
        self.slug = slug
        self.status = status
        self.editLocation = editLocation
        self.modified = modified
    }
}
