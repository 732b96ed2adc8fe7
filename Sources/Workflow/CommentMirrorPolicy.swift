import ThreadpressModel

/// Decides what the channel hears about the comments one poll found, with no I/O: announce each
/// newly approved comment once, keep held ones silent (but remembered, so a comment approved days
/// later is still announced), forget held ones the blog dropped, and summarise a flood instead of
/// posting thousands of lines.
///
/// ```swift
/// let policy = CommentMirrorPolicy(announcementLimit: 5, excerptLength: 200)
/// let plan = policy.plan(listed: page.comments, rechecked: held, history: { ledger[$0] })
/// // plan.announce: lines to queue; plan.record: ledger entries to write in the same transaction
/// ```
public struct CommentMirrorPolicy: Sendable {
    /// What the ledger already knows of a comment.
    public enum History: Sendable, Hashable {
        case new, held, announced
    }

    /// One ledger entry to write, with the comment it is about.
    public struct Record: Sendable, Hashable {
        public var comment: BlogComment
        public var state: History
    }

    /// A held comment the blog no longer has (spam, trash, deleted).
    public struct Forgotten: Sendable, Hashable {
        public var postID: String
        public var commentID: String

        public init(postID: String, commentID: String) {
            self.postID = postID
            self.commentID = commentID
        }
    }

    /// Everything one poll decided.
    public struct Plan: Sendable, Hashable {
        /// Comments to announce one line each, oldest first.
        public var announce: [BlogComment] = []
        /// Newly approved comments beyond the limit: recorded as announced, told as one count.
        public var summarised: [BlogComment] = []
        /// Ledger entries to write (announced, summarised and newly held).
        public var records: [Record] = []
        public var forget: [Forgotten] = []
        /// Comments newly seen waiting for moderation.
        public var newlyHeld = 0
    }

    /// Comments announced one by one per poll; the rest become one summary line.
    public var announcementLimit: Int
    /// Characters of a comment shown in its announcement.
    public var excerptLength: Int

    public init(announcementLimit: Int = 5, excerptLength: Int = 200) {
        self.announcementLimit = max(1, announcementLimit)
        self.excerptLength = excerptLength
    }

    /// Plans one poll.
    /// - Parameters:
    ///   - listed: what the engine listed since the cursor (may repeat earlier comments).
    ///   - rechecked: the current state of comments the ledger holds as held, asked by id; a held
    ///     comment missing from it is gone. `nil` when nothing was re-checked.
    ///   - heldIDs: the held comments that were re-checked (postID, commentID).
    ///   - history: the ledger's state for (postID, commentID).
    public func plan(
        listed: [BlogComment], rechecked: [BlogComment]?, heldIDs: [Forgotten],
        history: (String, String) throws -> History
    ) rethrows -> Plan {
        var plan = Plan()
        var seen = Set<Forgotten>()
        let ordered = (listed + (rechecked ?? [])).sorted { ($0.date, $0.postID, $0.id) < ($1.date, $1.postID, $1.id) }
        for comment in ordered {
            let key = Forgotten(postID: comment.postID, commentID: comment.id)
            guard seen.insert(key).inserted else { continue }
            let known = try history(comment.postID, comment.id)
            switch (comment.status, known) {
            case (_, .announced), (.held, .held):
                continue
            case (.held, .new):
                plan.newlyHeld += 1
                plan.records.append(Record(comment: comment, state: .held))
            case (.approved, .new), (.approved, .held):
                if plan.announce.count < announcementLimit {
                    plan.announce.append(comment)
                } else {
                    plan.summarised.append(comment)
                }
                plan.records.append(Record(comment: comment, state: .announced))
            }
        }
        if rechecked != nil {
            for held in heldIDs where !seen.contains(held) { plan.forget.append(held) }
        }
        return plan
    }

    /// The line for one announced comment.
    public func announcement(_ comment: BlogComment, postTitle: String) -> String {
        WorkflowText.commentAnnouncement(comment, postTitle: postTitle, excerptLength: excerptLength)
    }
}
