#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A reader's response to a post, as a blog engine reports it.
public struct BlogComment: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case comment, pingback, trackback
    }

    public enum Status: String, Sendable, Hashable, Codable {
        /// Visible on the blog.
        case approved
        /// Waiting for moderation: never announced until approved.
        case held
    }

    /// Stable id on the engine (Staticman `_id` or file name; WordPress comment id). Together with
    /// the engine's identifier it is the key of the mirror ledger.
    public var id: String
    public var kind: Kind
    public var status: Status
    public var authorName: String
    public var authorURL: String?
    /// The comment as plain text (engines strip markup before handing it over).
    public var text: String
    public var date: Date
    /// The post it answers: that post's ``PostReference/remoteID``.
    public var postID: String
    /// The post's title as plain text, when the engine knows it.
    public var postTitle: String?
    /// Where a reader sees the comment, when the engine knows it.
    public var link: String?

    public init(
        id: String, kind: Kind = .comment, status: Status = .approved, authorName: String, authorURL: String? = nil,
        text: String, date: Date, postID: String = "", postTitle: String? = nil, link: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.authorName = authorName
        self.authorURL = authorURL
        self.text = text
        self.date = date
        self.postID = postID
        self.postTitle = postTitle
        self.link = link
    }
}

/// One answer to "what comments are there since my cursor": the comments and the cursor to ask
/// from next time. Engines may return comments already seen; the mirror ledger removes them.
public struct CommentPage: Sendable, Hashable {
    public var comments: [BlogComment]
    public var cursor: String?

    public init(comments: [BlogComment], cursor: String?) {
        self.comments = comments
        self.cursor = cursor
    }
}

/// Which posts' comments the mirror asks for.
public enum CommentScope: Sendable, Hashable {
    /// Every post on the blog, whoever wrote it.
    case everyPost
    /// Only these posts (the ones threadpress published).
    case posts([PostReference])
}

/// What an approver can do to a comment from chat.
public enum CommentModeration: String, Sendable, Hashable, CaseIterable {
    case approve, spam, trash
}
