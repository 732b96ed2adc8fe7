#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Draft edits, consent answers, opt-outs and roles given in chat (migration 3).
extension StoreTransaction {
    /// Replaces a draft's lines (positions from 0, in the given order) and its author list.
    public func replaceLines(ofDraft number: Int64, with sequences: [Int64], authors: [String], at now: Date = Date())
        throws
    {
        try db.run("DELETE FROM draft_lines WHERE draft_number = ?", [.integer(number)])
        for (position, sequence) in sequences.enumerated() {
            try db.run(
                "INSERT INTO draft_lines (draft_number, position, message_sequence) VALUES (?, ?, ?)",
                [.integer(number), .integer(Int64(position)), .integer(sequence)])
        }
        let encoded = String(decoding: try JSONEncoder().encode(authors), as: UTF8.self)
        try db.run(
            "UPDATE drafts SET authors = ?, updated_ms = ? WHERE number = ?",
            [.text(encoded), .date(now), .integer(number)])
    }

    public func setTitle(_ title: String, ofDraft number: Int64, at now: Date = Date()) throws {
        try db.run(
            "UPDATE drafts SET title = ?, updated_ms = ? WHERE number = ?", [.text(title), .date(now), .integer(number)])
    }

    /// Sets (or, with `nil`, removes) the paragraph before the quotes.
    public func setIntro(_ intro: String?, ofDraft number: Int64, at now: Date = Date()) throws {
        try db.run(
            "UPDATE drafts SET intro = ?, updated_ms = ? WHERE number = ?",
            [.optional(intro), .date(now), .integer(number)])
    }

    public func setTags(_ tags: [String], ofDraft number: Int64, at now: Date = Date()) throws {
        let encoded = String(decoding: try JSONEncoder().encode(tags), as: UTF8.self)
        try db.run(
            "UPDATE drafts SET tags = ?, updated_ms = ? WHERE number = ?", [.text(encoded), .date(now), .integer(number)])
    }

    /// Records that a person changed the post on the blog: chat edits are refused from now on.
    public func markEditedOnBlog(draft number: Int64, at now: Date = Date()) throws {
        try db.run(
            "UPDATE drafts SET edited_on_blog = 1, updated_ms = ? WHERE number = ?", [.date(now), .integer(number)])
    }

    public func setConsentOverride(_ override: ConsentOverride, ofDraft number: Int64) throws {
        try db.run(
            "UPDATE drafts SET override_by = ?, override_reason = ?, override_ms = ?, updated_ms = ? WHERE number = ?",
            [
                .text(override.approver), .text(override.reason), .date(override.time), .date(override.time),
                .integer(number),
            ])
    }

    /// Records (or replaces) what a quoted person answered about a draft.
    public func recordConsent(_ answer: ConsentAnswer, draft number: Int64) throws {
        try db.run(
            """
            INSERT INTO draft_consent (draft_number, principal, nick, answer, answered_ms) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (draft_number, principal) DO UPDATE SET nick = excluded.nick, answer = excluded.answer,
                answered_ms = excluded.answered_ms
            """,
            [
                .integer(number), .text(answer.principal.lowercased()), .text(answer.nick), .text(answer.answer.rawValue),
                .date(answer.time),
            ])
    }

    /// What quoted people answered about a draft, oldest answer first.
    public func consent(ofDraft number: Int64) throws -> [ConsentAnswer] {
        try db.query(
            "SELECT principal, nick, answer, answered_ms FROM draft_consent WHERE draft_number = ? ORDER BY answered_ms, principal",
            [.integer(number)]
        ) {
            ConsentAnswer(
                principal: $0.string(0), nick: $0.string(1), answer: ConsentAnswer.Answer(rawValue: $0.string(2)) ?? .ok,
                time: Date(milliseconds: $0.int64(3)))
        }
    }

    /// `!optout`: this person's lines are never selected again.
    public func optOut(principal: String, nick: String, at now: Date = Date()) throws {
        try db.run(
            "INSERT OR REPLACE INTO opt_outs (principal, nick, since_ms) VALUES (?, ?, ?)",
            [.text(principal.lowercased()), .text(nick), .date(now)])
    }

    /// `!optin`. Returns whether the person had opted out.
    @discardableResult
    public func optIn(principal: String) throws -> Bool {
        try db.run("DELETE FROM opt_outs WHERE principal = ?", [.text(principal.lowercased())])
        return db.changes > 0
    }

    /// Lower-cased principals of everyone who opted out.
    public func optedOut() throws -> Set<String> {
        Set(try db.query("SELECT principal FROM opt_outs", []) { $0.string(0) })
    }

    /// Records a role given in chat. Returns false when the person already had it.
    @discardableResult
    public func grantRole(_ grant: RoleGrant) throws -> Bool {
        try db.run(
            "INSERT OR IGNORE INTO role_grants (principal, role, granted_by, granted_ms) VALUES (?, ?, ?, ?)",
            [.text(grant.principal.lowercased()), .text(grant.role.rawValue), .text(grant.grantedBy), .date(grant.time)])
        return db.changes > 0
    }

    /// Takes back a role given in chat. Returns whether there was one.
    @discardableResult
    public func revokeRole(_ role: RoleGrant.Role, from principal: String) throws -> Bool {
        try db.run(
            "DELETE FROM role_grants WHERE principal = ? AND role = ?", [.text(principal.lowercased()), .text(role.rawValue)])
        return db.changes > 0
    }

    /// Every role given in chat, by role then principal.
    public func roleGrants() throws -> [RoleGrant] {
        try db.query("SELECT principal, role, granted_by, granted_ms FROM role_grants ORDER BY role, principal", []) {
            RoleGrant(
                principal: $0.string(0), role: RoleGrant.Role(rawValue: $0.string(1)) ?? .approver,
                grantedBy: $0.string(2), time: Date(milliseconds: $0.int64(3)))
        }
    }

    /// `!forget`: the words of these messages leave the store; the lines stay as placeholders so
    /// references and sequences keep their meaning.
    public func forgetMessages(_ sequences: [Int64]) throws {
        for sequence in sequences {
            try db.run(
                "UPDATE messages SET text = '', nick = 'someone', account = NULL WHERE sequence = ?", [.integer(sequence)])
        }
    }
}
