import Foundation
import SQLiteStorage
import Testing
import ThreadpressModel
import ThreadpressTesting

@Suite struct SQLiteStoreTests {
    let folder: TemporaryDirectory
    init() throws { folder = try TemporaryDirectory(prefix: "store-test") }

    func message(_ text: String, nick: String = "alice", id: String? = nil, second: Double = 0) -> ChatMessage {
        ChatMessage(
            channel: "#team", time: Date(timeIntervalSince1970: 1_795_770_000 + second), sender: ChatIdentity(nick: nick),
            text: text, networkID: id)
    }

    @Test func opensInWALModeWithTheCurrentSchema() throws {
        let path = folder.path("state.sqlite")
        _ = try SQLiteStore(path: path)
        let mode = try run("sqlite3", path, "PRAGMA journal_mode; PRAGMA user_version; PRAGMA application_id;")
        #expect(mode.split(separator: "\n") == ["wal", "3", "1953526387"])
        folder.remove()
    }

    @Test func keepsMessagesAndPositionsAcrossReopening() throws {
        let path = folder.path("state.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try store.write { transaction in
                _ = try transaction.insertMessage(self.message("hello <b>&</b>\u{0}", id: "m1"))
                _ = try transaction.insertMessage(self.message("second", nick: "bob", second: 5))
                _ = try transaction.insertMessage(self.message("", nick: "carol", second: 6))
                try transaction.savePosition("1:2:300:4", of: "logfile:/x")
            }
        }
        let reopened = try SQLiteStore(path: path)
        let rows = try reopened.read { try $0.messages(in: "#team", before: Int64.max, limit: 10) }
        #expect(rows.map(\.message.text) == ["", "second", "hello <b>&</b>\u{0}"])
        #expect(rows.last?.message.networkID == "m1")
        #expect(try reopened.read { try $0.position(of: "logfile:/x") } == "1:2:300:4")
        folder.remove()
    }

    @Test func ignoresADuplicateNetworkID() throws {
        let store = try SQLiteStore(path: folder.path("s.sqlite"))
        let first = try store.write { try $0.insertMessage(self.message("a", id: "same")) }
        let second = try store.write { try $0.insertMessage(self.message("a again", id: "same")) }
        #expect(first != nil)
        #expect(second == nil)
        #expect(try store.read { try $0.messageCount() } == 1)
        folder.remove()
    }

    @Test func rollsBackEverythingWhenATransactionFails() throws {
        struct Boom: Error {}
        let store = try SQLiteStore(path: folder.path("s.sqlite"))
        #expect(throws: Boom.self) {
            try store.write { transaction in
                _ = try transaction.insertMessage(self.message("lost"))
                try transaction.savePosition("p", of: "t")
                throw Boom()
            }
        }
        #expect(try store.read { try $0.messageCount() } == 0)
        #expect(try store.read { try $0.position(of: "t") } == nil)
        folder.remove()
    }

    @Test func draftNumbersAreNeverReused() throws {
        let store = try SQLiteStore(path: folder.path("s.sqlite"))
        func promote(_ text: String) throws -> Int64 {
            try store.write { transaction in
                let sequence = try #require(try transaction.insertMessage(self.message(text)))
                return try transaction.insertDraft(
                    NewDraft(
                        key: "tp-\(text)", channel: "#team", title: text, promoter: ChatIdentity(nick: "alice"),
                        promoterPrincipal: "alice", commandSequence: sequence, lineSequences: [sequence],
                        authors: ["alice"], created: Date()))
            }
        }
        let one = try promote("one")
        try store.write { try $0.setState(.rejected, ofDraft: one) }
        let two = try promote("two")
        #expect(one == 1)
        #expect(two == 2)
        let draft = try #require(try store.read { try $0.draft(number: 2) })
        #expect(draft.title == "two" && draft.state == .open && draft.messageCount == 1 && draft.authors == ["alice"])
        #expect(try store.read { try $0.lines(ofDraft: 2) }.map(\.text) == ["two"])
        folder.remove()
    }

    @Test func blogOperationsWaitForEarlierOnesOnTheSameDraft() throws {
        let store = try SQLiteStore(path: folder.path("s.sqlite"))
        let now = Date()
        try store.write { transaction in
            let sequence = try #require(try transaction.insertMessage(self.message("!blog")))
            let number = try transaction.insertDraft(
                NewDraft(
                    key: "k", channel: "#team", title: "t", promoter: ChatIdentity(nick: "a"), promoterPrincipal: "a",
                    commandSequence: sequence, lineSequences: [], authors: [], created: now))
            try transaction.enqueue(.create, draft: number, requestedBy: "a", at: now)
            try transaction.enqueue(.publish, draft: number, requestedBy: "c", at: now)
        }
        var runnable = try store.read { try $0.runnableBlogOperations(at: now) }
        #expect(runnable.map(\.kind) == [.create])
        try store.write { try $0.failBlogOperation(runnable[0].id, error: "disk full", retryAt: now.addingTimeInterval(60)) }
        #expect(try store.read { try $0.runnableBlogOperations(at: now) }.isEmpty)
        runnable = try store.read { try $0.runnableBlogOperations(at: now.addingTimeInterval(61)) }
        #expect(runnable.map(\.kind) == [.create])
        #expect(runnable[0].attempts == 1 && runnable[0].lastError == "disk full")
        try store.write { try $0.completeBlogOperation(runnable[0].id) }
        #expect(try store.read { try $0.runnableBlogOperations(at: now) }.map(\.kind) == [.publish])
        folder.remove()
    }

    @Test func commentLedgerRemembersHeldCommentsUntilAnnouncedOrGone() throws {
        let store = try SQLiteStore(path: folder.path("s.sqlite"))
        let held = BlogComment(id: "c1", status: .held, authorName: "Reader", text: "hi", date: Date(), postID: "7")
        let other = BlogComment(id: "c2", status: .held, authorName: "Spammer", text: "buy", date: Date(), postID: "7")
        try store.write { transaction in
            try transaction.recordComment(held, draft: nil, state: .held)
            try transaction.recordComment(other, draft: nil, state: .held)
        }
        #expect(try store.read { try $0.commentLedgerState(postID: "7", commentID: "c1") } == .held)
        #expect(try store.read { try $0.heldComments() }.map(\.commentID) == ["c1", "c2"])
        // The same id on another post is another comment.
        #expect(try store.read { try $0.commentLedgerState(postID: "8", commentID: "c1") } == nil)
        try store.write { transaction in
            try transaction.recordComment(held, draft: nil, state: .announced)
            try transaction.forgetHeldComment(postID: "7", commentID: "c2")
        }
        #expect(try store.read { try $0.commentLedgerState(postID: "7", commentID: "c1") } == .announced)
        #expect(try store.read { try $0.commentLedgerState(postID: "7", commentID: "c2") } == nil)
        #expect(try store.read { try $0.heldComments() }.isEmpty)
        folder.remove()
    }

    @Test func migratesVersionOneLedgerKeyedByPostNotByFolder() throws {
        let path = folder.path("v1.sqlite")
        // A store as version 1 wrote it, with one mirrored comment on a published draft.
        _ = try run("sqlite3", path, Self.versionOneSchema + """
            INSERT INTO messages (channel, time_ms, nick, kind, text) VALUES ('#team', 1, 'a', 'message', '!blog');
            INSERT INTO drafts (key, channel, title, state, promoter_nick, command_sequence, authors, created_ms,
                updated_ms, engine, remote_id, location, slug, remote_status)
                VALUES ('k', '#team', 't', 'published', 'a', 1, '[]', 1, 1, 'markdown:/old', '_posts/2026-11-27-t.md',
                '_posts/2026-11-27-t.md', 't', 'published');
            INSERT INTO mirrored_comments VALUES ('markdown:/old', 'c0ffee', 1, 'David', 'comment', 5);
            PRAGMA application_id = 1953526387; PRAGMA user_version = 1;
            """)
        let store = try SQLiteStore(path: path)
        #expect(
            try store.read { try $0.commentLedgerState(postID: "_posts/2026-11-27-t.md", commentID: "c0ffee") }
                == .announced)
        #expect(try store.read { try $0.mirroredCommentCount(draft: 1) } == 1)
        folder.remove()
    }

    /// Version 1 of the schema, written out (not taken from the code under test).
    static let versionOneSchema = """
        CREATE TABLE messages (sequence INTEGER PRIMARY KEY, channel TEXT NOT NULL, time_ms INTEGER NOT NULL,
            nick TEXT NOT NULL, account TEXT, kind TEXT NOT NULL, text TEXT NOT NULL, network_id TEXT, reply_to TEXT,
            thread_root TEXT);
        CREATE UNIQUE INDEX messages_by_network_id ON messages(channel, network_id) WHERE network_id IS NOT NULL;
        CREATE TABLE transport_positions (transport TEXT PRIMARY KEY, position TEXT NOT NULL, updated_ms INTEGER NOT NULL);
        CREATE TABLE drafts (number INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, channel TEXT NOT NULL,
            title TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('open', 'publishing', 'published', 'rejected')),
            promoter_nick TEXT NOT NULL, promoter_account TEXT, promoter_principal TEXT,
            command_sequence INTEGER NOT NULL UNIQUE REFERENCES messages(sequence), authors TEXT NOT NULL,
            created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, engine TEXT, remote_id TEXT, location TEXT,
            slug TEXT, remote_status TEXT, published_ms INTEGER);
        CREATE TABLE draft_lines (draft_number INTEGER NOT NULL REFERENCES drafts(number), position INTEGER NOT NULL,
            message_sequence INTEGER NOT NULL REFERENCES messages(sequence), PRIMARY KEY (draft_number, position))
            WITHOUT ROWID;
        CREATE TABLE blog_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, draft_number INTEGER NOT NULL REFERENCES drafts(number),
            operation TEXT NOT NULL CHECK (operation IN ('create', 'publish', 'discard')),
            state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')), requested_by TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT, not_before_ms INTEGER NOT NULL DEFAULT 0,
            created_ms INTEGER NOT NULL, finished_ms INTEGER);
        CREATE INDEX blog_outbox_pending ON blog_outbox(state, id);
        CREATE TABLE chat_outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, text TEXT NOT NULL,
            in_reply_to TEXT, thread_root TEXT, state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent')),
            created_ms INTEGER NOT NULL, sent_ms INTEGER);
        CREATE INDEX chat_outbox_pending ON chat_outbox(state, id);
        CREATE TABLE comment_cursors (engine TEXT NOT NULL, remote_id TEXT NOT NULL, cursor TEXT,
            PRIMARY KEY (engine, remote_id)) WITHOUT ROWID;
        CREATE TABLE mirrored_comments (engine TEXT NOT NULL, comment_id TEXT NOT NULL,
            draft_number INTEGER NOT NULL REFERENCES drafts(number), author TEXT NOT NULL, kind TEXT NOT NULL,
            mirrored_ms INTEGER NOT NULL, PRIMARY KEY (draft_number, comment_id)) WITHOUT ROWID;

        """

    @Test func splitRepliesResumeAfterTheLastLineTheTransportTook() throws {
        let store = try SQLiteStore(path: folder.path("s.sqlite"))
        try store.write { try $0.enqueue(ChatReply(channel: "#team", text: "one two three")) }
        let id = try #require(try store.read { try $0.pendingReplies() }.first?.id)
        var splits = 0
        let lines = try store.write { transaction in
            try transaction.markReplySending(id)
            return try transaction.unsentLines(ofReply: id) {
                splits += 1
                return ["one", "two", "three"]
            }
        }
        #expect(lines.map(\.text) == ["one", "two", "three"])
        try store.write { transaction in
            try transaction.markLineSending(reply: id, position: 0)
            try transaction.markLineSent(reply: id, position: 0)
            try transaction.markLineSending(reply: id, position: 1)
            // The transport refused line 2: it goes back, and so does the reply.
            try transaction.releaseLine(reply: id, position: 1)
            try transaction.releaseReply(id)
        }
        let rest = try store.write { transaction in
            try transaction.markReplySending(id)
            return try transaction.unsentLines(ofReply: id) {
                splits += 1
                return ["a different split"]
            }
        }
        #expect(rest.map(\.text) == ["two", "three"])
        #expect(splits == 1)
        folder.remove()
    }

    @Test func aCrashMidReplyCountsTheLineInFlightAsSentAndResumesAfterIt() throws {
        let store = try SQLiteStore(path: folder.path("s.sqlite"))
        try store.write { try $0.enqueue(ChatReply(channel: "#team", text: "x")) }
        let id = try #require(try store.read { try $0.pendingReplies() }.first?.id)
        try store.write { transaction in
            try transaction.markReplySending(id)
            _ = try transaction.unsentLines(ofReply: id) { ["one", "two", "three"] }
            try transaction.markLineSending(reply: id, position: 0)
            try transaction.markLineSent(reply: id, position: 0)
            try transaction.markLineSending(reply: id, position: 1)
        }
        // Crash here; the next start settles it.
        #expect(try store.write { try $0.abandonInterruptedReplies() }.map(\.id) == [id])
        let rest = try store.write { transaction in
            try transaction.markReplySending(id)
            return try transaction.unsentLines(ofReply: id) { [] }
        }
        #expect(rest.map(\.text) == ["three"])
        folder.remove()
    }

    @Test func repliesToCommandsGoAheadOfAnnouncements() throws {
        let store = try SQLiteStore(path: folder.path("s.sqlite"))
        try store.write { transaction in
            try transaction.enqueue(ChatReply(channel: "#team", text: "comment 1", priority: .announcement))
            try transaction.enqueue(ChatReply(channel: "#team", text: "comment 2", priority: .announcement))
            try transaction.enqueue(ChatReply(channel: "#team", text: "alice: draft 1", priority: .reply))
        }
        #expect(try store.read { try $0.pendingReplies() }.map(\.reply.text) == ["alice: draft 1", "comment 1", "comment 2"])
        folder.remove()
    }

    @Test func repliesClaimedBeforeACrashAreRetiredNotResent() throws {
        let store = try SQLiteStore(path: folder.path("s.sqlite"))
        try store.write { transaction in
            try transaction.enqueue(ChatReply(channel: "#team", text: "one"))
            try transaction.enqueue(ChatReply(channel: "#team", text: "two"))
        }
        let pending = try store.read { try $0.pendingReplies() }
        #expect(pending.map(\.reply.text) == ["one", "two"])
        try store.write { transaction in
            try transaction.markReplySending(pending[0].id)
            _ = try transaction.unsentLines(ofReply: pending[0].id) { ["one"] }
            try transaction.markLineSending(reply: pending[0].id, position: 0)
        }
        let retired = try store.write { try $0.abandonInterruptedReplies() }
        #expect(retired.map(\.reply.text) == ["one"])
        #expect(try store.read { try $0.pendingReplies() }.map(\.reply.text) == ["two"])
        folder.remove()
    }

    @Test func refusesAStoreWrittenByANewerVersion() throws {
        let path = folder.path("new.sqlite")
        _ = try SQLiteStore(path: path)
        _ = try run("sqlite3", path, "PRAGMA user_version = 99;")
        let error = try #require(throws: StoreError.self) { try SQLiteStore(path: path) }
        #expect(error.code == .newerSchema)
        #expect(error.description.contains("newer threadpress"))
        folder.remove()
    }

    @Test func reportsACorruptFileAndLeavesItAlone() throws {
        let garbage = String(repeating: "this is not a database ", count: 300)
        let path = try folder.write("corrupt.sqlite", garbage)
        let error = try #require(throws: StoreError.self) { try SQLiteStore(path: path) }
        #expect(error.code == .notAStore)
        #expect(error.description.contains("never replaces it"))
        #expect(try folder.read("corrupt.sqlite") == garbage)
        folder.remove()
    }

    @Test func refusesAnotherProgramsDatabase() throws {
        let path = folder.path("other.sqlite")
        _ = try run("sqlite3", path, "CREATE TABLE accounts(id INTEGER);")
        let error = try #require(throws: StoreError.self) { try SQLiteStore(path: path) }
        #expect(error.code == .notAStore)
        folder.remove()
    }

    private func run(_ tool: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
