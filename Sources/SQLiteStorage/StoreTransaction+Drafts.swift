#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// What the store needs to record a newly promoted conversation.
public struct NewDraft: Sendable, Hashable {
    public var key: String
    public var channel: String
    public var title: String
    public var promoter: ChatIdentity
    public var promoterPrincipal: String?
    /// The sequence of the command message that promoted it: one command makes at most one draft.
    public var commandSequence: Int64
    public var lineSequences: [Int64]
    public var authors: [String]
    public var created: Date
    /// Tags named in the command.
    public var tags: [String] = []

    public init(
        key: String, channel: String, title: String, promoter: ChatIdentity, promoterPrincipal: String?,
        commandSequence: Int64, lineSequences: [Int64], authors: [String], created: Date, tags: [String] = []
    ) {
        self.tags = tags
        self.key = key
        self.channel = channel
        self.title = title
        self.promoter = promoter
        self.promoterPrincipal = promoterPrincipal
        self.commandSequence = commandSequence
        self.lineSequences = lineSequences
        self.authors = authors
        self.created = created
    }
}

extension StoreTransaction {
    private static let draftColumns = """
        number, key, channel, title, state, promoter_nick, promoter_account, promoter_principal, created_ms,
        (SELECT count(*) FROM draft_lines WHERE draft_number = number), authors,
        remote_id, location, slug, remote_status, published_ms, edit_location, remote_modified, tags,
        intro, override_by, override_reason, override_ms, edited_on_blog
        """

    /// Records a draft with its chosen lines and returns its number (never reused).
    public func insertDraft(_ draft: NewDraft) throws -> Int64 {
        let authors = String(decoding: try JSONEncoder().encode(draft.authors), as: UTF8.self)
        let tags = String(decoding: try JSONEncoder().encode(draft.tags), as: UTF8.self)
        try db.run(
            """
            INSERT INTO drafts (key, channel, title, state, promoter_nick, promoter_account, promoter_principal,
                                command_sequence, authors, created_ms, updated_ms, tags)
            VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(draft.key), .text(draft.channel), .text(draft.title), .text(draft.promoter.nick),
                .optional(draft.promoter.account), .optional(draft.promoterPrincipal), .integer(draft.commandSequence),
                .text(authors), .date(draft.created), .date(draft.created), .text(tags),
            ])
        let number = db.lastInsertRowID
        for (position, sequence) in draft.lineSequences.enumerated() {
            try db.run(
                "INSERT INTO draft_lines (draft_number, position, message_sequence) VALUES (?, ?, ?)",
                [.integer(number), .integer(Int64(position)), .integer(sequence)])
        }
        return number
    }

    public func draft(number: Int64) throws -> DraftRecord? {
        try db.first("SELECT \(Self.draftColumns) FROM drafts WHERE number = ?", [.integer(number)], Self.draftRecord)
    }

    /// The draft with this idempotency key, if there is one.
    public func draft(key: String) throws -> DraftRecord? {
        try db.first("SELECT \(Self.draftColumns) FROM drafts WHERE key = ?", [.text(key)], Self.draftRecord)
    }

    /// The draft a command message made, if it made one.
    public func draft(commandSequence: Int64) throws -> DraftRecord? {
        try db.first(
            "SELECT \(Self.draftColumns) FROM drafts WHERE command_sequence = ?", [.integer(commandSequence)],
            Self.draftRecord)
    }

    /// Drafts in any of `states`, oldest first.
    public func drafts(in states: Set<DraftState>) throws -> [DraftRecord] {
        let list = states.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ")
        return try db.query(
            "SELECT \(Self.draftColumns) FROM drafts WHERE state IN (\(list)) ORDER BY number", [], Self.draftRecord)
    }

    /// The messages chosen for a draft, in order.
    public func lines(ofDraft number: Int64) throws -> [ChatMessage] {
        try storedLines(ofDraft: number).map(\.message)
    }

    /// The messages chosen for a draft, in order, with their sequences and references.
    public func storedLines(ofDraft number: Int64) throws -> [StoredMessage] {
        try db.query(
            """
            SELECT m.sequence, m.channel, m.time_ms, m.nick, m.account, m.kind, m.text, m.network_id, m.reply_to,
                   m.thread_root, m.own, m.ref
            FROM draft_lines l JOIN messages m ON m.sequence = l.message_sequence
            WHERE l.draft_number = ? ORDER BY l.position
            """, [.integer(number)], Self.storedMessage)
    }

    public func setState(_ state: DraftState, ofDraft number: Int64, at now: Date = Date()) throws {
        try db.run(
            "UPDATE drafts SET state = ?, updated_ms = ?, published_ms = CASE WHEN ? = 'published' THEN ? ELSE published_ms END WHERE number = ?",
            [.text(state.rawValue), .date(now), .text(state.rawValue), .date(now), .integer(number)])
    }

    /// Records where the blog engine put a draft.
    public func setReference(_ reference: PostReference, engine: String, ofDraft number: Int64, at now: Date = Date())
        throws
    {
        try db.run(
            """
            UPDATE drafts SET engine = ?, remote_id = ?, location = ?, slug = ?, remote_status = ?, updated_ms = ?,
                edit_location = ?, remote_modified = ?
            WHERE number = ?
            """,
            [
                .text(engine), .text(reference.remoteID), .text(reference.location), .text(reference.slug),
                .text(reference.status.rawValue), .date(now), .optional(reference.editLocation),
                .optional(reference.modified), .integer(number),
            ])
    }

    static func draftRecord(_ row: SQLiteStatement) -> DraftRecord {
        let authors = (try? JSONDecoder().decode([String].self, from: Data(row.string(10).utf8))) ?? []
        var reference: PostReference?
        if let remoteID = row.optionalString(11) {
            reference = PostReference(
                remoteID: remoteID, location: row.string(12), slug: row.string(13),
                status: PostReference.Status(rawValue: row.string(14)) ?? .draft,
                editLocation: row.optionalString(16), modified: row.optionalString(17))
        }
        return DraftRecord(
            number: row.int64(0), key: row.string(1), channel: row.string(2), title: row.string(3),
            state: DraftState(rawValue: row.string(4)) ?? .open,
            promoter: ChatIdentity(nick: row.string(5), account: row.optionalString(6)),
            promoterPrincipal: row.optionalString(7), created: Date(milliseconds: row.int64(8)),
            messageCount: Int(row.int64(9)), authors: authors, reference: reference,
            published: row.optionalInt64(15).map(Date.init(milliseconds:)),
            tags: (try? JSONDecoder().decode([String].self, from: Data(row.string(18).utf8))) ?? [],
            intro: row.optionalString(19),
            consentOverride: row.optionalString(20).map {
                ConsentOverride(approver: $0, reason: row.string(21), time: Date(milliseconds: row.int64(22)))
            },
            editedOnBlog: row.int64(23) != 0)
    }
}
