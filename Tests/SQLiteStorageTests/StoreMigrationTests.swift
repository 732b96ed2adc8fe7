import Foundation
@testable import SQLiteStorage
import Testing
import ThreadpressModel
import ThreadpressTesting

/// Migration 3 rebuilds tables other tables refer to; a store written by the previous release
/// must come through with every row, reference and number intact.
@Suite struct StoreMigrationTests {
    let folder: TemporaryDirectory
    init() throws { folder = try TemporaryDirectory(prefix: "store-migration") }

    /// A store as the release with schema 2 left it: two channels, a draft with lines, a queued
    /// publish, a reply, a ledger entry.
    func schema2Store() throws -> String {
        let path = folder.path("old.sqlite")
        let connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA journal_mode = WAL")
        for migration in StoreSchema.migrations.prefix(2) { try connection.execute(migration) }
        try connection.execute(
            """
            PRAGMA application_id = \(StoreSchema.applicationID); PRAGMA user_version = 2;
            INSERT INTO messages (sequence, channel, time_ms, nick, kind, text) VALUES
                (1, '#team', 1000, 'alice', 'message', 'shall we deploy?'),
                (2, '#ops', 2000, 'bob', 'message', 'pager is quiet'),
                (3, '#team', 3000, 'bob', 'message', 'friday'),
                (4, '#team', 4000, 'alice', 'message', '!blog Deploy');
            INSERT INTO drafts (number, key, channel, title, state, promoter_nick, command_sequence, authors,
                created_ms, updated_ms, remote_id, location, slug, remote_status, tags)
                VALUES (7, 'tp-7', '#team', 'Deploy', 'publishing', 'alice', 4, '["alice","bob"]', 4000, 4000,
                        '_drafts/deploy.md', '_drafts/deploy.md', 'deploy', 'draft', '["ops"]');
            INSERT INTO draft_lines VALUES (7, 0, 1), (7, 1, 3);
            INSERT INTO blog_outbox (id, draft_number, operation, state, requested_by, created_ms)
                VALUES (3, 7, 'publish', 'pending', 'clark', 5000);
            INSERT INTO chat_outbox (channel, text, state, created_ms) VALUES ('#team', 'hi', 'pending', 5000);
            """)
        return path
    }

    @Test func schema2StoreIsUpgradedWithEveryRowKept() throws {
        let store = try SQLiteStore(path: try schema2Store())
        let draft = try #require(try store.read { try $0.draft(number: 7) })
        #expect(draft.title == "Deploy")
        #expect(draft.state == .publishing)
        #expect(draft.tags == ["ops"])
        #expect(draft.reference?.remoteID == "_drafts/deploy.md")
        #expect(draft.intro == nil && draft.consentOverride == nil && !draft.editedOnBlog)
        #expect(try store.read { try $0.lines(ofDraft: 7) }.map(\.text) == ["shall we deploy?", "friday"])
        #expect(try store.read { try $0.runnableBlogOperations(at: Date()) }.map(\.kind) == [.publish])
        #expect(try store.read { try $0.pendingReplies() }.map(\.reply.text) == ["hi"])
        // Existing lines are numbered per channel in the order they arrived.
        let team = try store.read { try $0.messages(in: "#team", before: .max, limit: 10) }
        #expect(team.map(\.reference) == [3, 2, 1])
        #expect(try store.read { try $0.message(in: "#ops", reference: 1) }?.message.text == "pager is quiet")
        // New lines continue each channel's numbering.
        let next = try store.write { transaction -> Int64? in
            let sequence = try transaction.insertMessage(
                ChatMessage(channel: "#ops", time: Date(), sender: ChatIdentity(nick: "carol"), text: "next"))
            return try transaction.messages(in: "#ops", before: .max, limit: 1).first.map { _ in sequence ?? 0 }
        }
        #expect(next == 5)
        #expect(try store.read { try $0.message(in: "#ops", reference: 2) }?.message.text == "next")
        folder.remove()
    }

    @Test func theRebuiltTablesTakeNewStatesAndOperationsAndKeepTheirForeignKeys() throws {
        let store = try SQLiteStore(path: try schema2Store())
        // `update` was refused by migration 1's CHECK; after the rebuild it is an ordinary operation.
        let id = try store.write { try $0.enqueue(.update, draft: 7, requestedBy: "alice") }
        #expect(id > 3)
        // The foreign keys still hold: an operation for a draft that does not exist is refused.
        #expect(throws: (any Error).self) { try store.write { try $0.enqueue(.update, draft: 99, requestedBy: "alice") } }
        folder.remove()
    }

    @Test func consentOptOutsRolesAndForgettingAreKept() throws {
        let store = try SQLiteStore(path: try schema2Store())
        let time = Date(timeIntervalSince1970: 1_795_770_000)
        try store.write { transaction in
            try transaction.recordConsent(ConsentAnswer(principal: "Bob", nick: "bob", answer: .ok, time: time), draft: 7)
            try transaction.recordConsent(ConsentAnswer(principal: "bob", nick: "bobby", answer: .redacted, time: time), draft: 7)
            try transaction.optOut(principal: "Carol", nick: "carol", at: time)
            try transaction.grantRole(RoleGrant(principal: "Lois", role: .approver, grantedBy: "perry", time: time))
            try transaction.setConsentOverride(ConsentOverride(approver: "clark", reason: "on leave", time: time), ofDraft: 7)
            try transaction.forgetMessages([3])
        }
        #expect(
            try store.read { try $0.consent(ofDraft: 7) }
                == [ConsentAnswer(principal: "bob", nick: "bobby", answer: .redacted, time: time)])
        #expect(try store.read { try $0.optedOut() } == ["carol"])
        #expect(try store.read { try $0.roleGrants() } == [RoleGrant(principal: "lois", role: .approver, grantedBy: "perry", time: time)])
        #expect(try store.read { try $0.draft(number: 7) }?.consentOverride == ConsentOverride(approver: "clark", reason: "on leave", time: time))
        let forgotten = try #require(try store.read { try $0.message(in: "#team", reference: 2) })
        #expect(forgotten.message.text == "" && forgotten.message.sender == ChatIdentity(nick: "someone"))
        #expect(try store.write { try $0.optIn(principal: "CAROL") })
        #expect(try store.read { try $0.optedOut() } == [])
        #expect(try store.write { try $0.revokeRole(.approver, from: "LOIS") })
        #expect(try store.read { try $0.roleGrants() } == [])
        folder.remove()
    }

    @Test func referencesStayUniqueWhenAnotherConnectionWroteLinesMeanwhile() throws {
        let path = folder.path("two.sqlite")
        let first = try SQLiteStore(path: path)
        let second = try SQLiteStore(path: path)
        func line(_ text: String, id: String? = nil) -> ChatMessage {
            ChatMessage(channel: "#team", time: Date(), sender: ChatIdentity(nick: "alice"), text: text, networkID: id)
        }
        #expect(try first.write { try $0.insertMessage(line("one")) } != nil)
        #expect(try second.write { try $0.insertMessage(line("two")) } != nil)
        // `first` remembers 2 as its next reference; the store has it already: nothing may be lost.
        #expect(try first.write { try $0.insertMessage(line("three", id: "m3")) } != nil)
        #expect(try first.write { try $0.insertMessage(line("three again", id: "m3")) } == nil)
        #expect(try second.write { try $0.insertMessage(line("four")) } != nil)
        let stored = try first.read { try $0.messages(in: "#team", before: .max, limit: 10) }
        #expect(stored.map(\.message.text) == ["four", "three", "two", "one"])
        #expect(stored.map(\.reference) == [4, 3, 2, 1])
        folder.remove()
    }

    @Test func releasingFreeMemoryLeavesTheStoreWorking() async throws {
        let store = try SQLiteStore(path: folder.path("trim.sqlite"))
        _ = try store.write { try $0.insertMessage(ChatMessage(channel: "#team", time: Date(), sender: ChatIdentity(nick: "a"), text: "before")) }
        await store.releaseFreeMemory()
        _ = try store.write { try $0.insertMessage(ChatMessage(channel: "#team", time: Date(), sender: ChatIdentity(nick: "a"), text: "after")) }
        #expect(try store.read { try $0.messages(in: "#team", before: .max, limit: 5) }.map(\.message.text) == ["after", "before"])
        folder.remove()
    }

    /// Tables, columns (type, NOT NULL, default, key), foreign keys and indexes (unique, partial,
    /// columns) of a store, in a stable order.
    func shape(_ path: String) throws -> [String] {
        let db = try SQLiteConnection(path: path)
        var lines: [String] = []
        let tables = try db.query(
            "SELECT name, type FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'index') ORDER BY type DESC, name",
            []
        ) { ($0.string(0), $0.string(1)) }
        for (name, type) in tables where type == "table" {
            lines += try db.query("SELECT name, type, \"notnull\", coalesce(dflt_value, '-'), pk FROM pragma_table_info(?)", [.text(name)]) {
                "\(name).\($0.string(0)) \($0.string(1)) notnull=\($0.int64(2)) default=\($0.string(3)) pk=\($0.int64(4))"
            }
            lines += try db.query("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?)", [.text(name)]) {
                "\(name).\($0.string(1)) -> \($0.string(0)).\($0.string(2))"
            }
            lines += try db.query("SELECT name, \"unique\", partial FROM pragma_index_list(?) ORDER BY name", [.text(name)]) {
                "\(name) index unique=\($0.int64(1)) partial=\($0.int64(2)) " + (($0.string(0)).hasPrefix("sqlite_autoindex") ? "(auto)" : $0.string(0))
            }
        }
        for (name, type) in tables where type == "index" {
            lines += try db.query("SELECT name FROM pragma_index_info(?) ORDER BY seqno", [.text(name)]) { "\(name) on \($0.string(0))" }
        }
        let withoutRowID = try db.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID' ORDER BY name", []) {
            $0.string(0)
        }
        return lines + ["without rowid: " + withoutRowID.joined(separator: ", ")]
    }

    @Test func aNewStoreHasTheSchemaTheMigrationsLeadTo() throws {
        let migrated = folder.path("migrated.sqlite")
        let connection = try SQLiteConnection(path: migrated)
        for migration in StoreSchema.migrations { try connection.execute(migration) }
        let fresh = folder.path("fresh.sqlite")
        _ = try SQLiteStore(path: fresh)
        let expected = try shape(migrated)
        #expect(expected.count > 100)
        #expect(try shape(fresh) == expected)
        #expect(try SQLiteConnection(path: fresh).first("PRAGMA user_version") { Int($0.int64(0)) } == StoreSchema.migrations.count)
        // Made in one step, not by replaying the migrations (migration 3 renames a rebuilt table,
        // which SQLite records as `CREATE TABLE "drafts"`; replaying it pulls SQLite's table-rebuild
        // code into a new bot's memory).
        #expect(
            try SQLiteConnection(path: fresh).first("SELECT sql FROM sqlite_schema WHERE name = 'drafts'") { $0.string(0) }?
                .hasPrefix("CREATE TABLE drafts (") == true)
        folder.remove()
    }
}
