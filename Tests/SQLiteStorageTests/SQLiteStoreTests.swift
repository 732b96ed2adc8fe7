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
        #expect(mode.split(separator: "\n") == ["wal", "1", "1953526387"])
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

    @Test func mirrorLedgerAcceptsEachCommentOnce() throws {
        let store = try SQLiteStore(path: folder.path("s.sqlite"))
        let comment = BlogComment(id: "c1", authorName: "Reader", text: "hi", date: Date())
        try store.write { transaction in
            let sequence = try #require(try transaction.insertMessage(self.message("!blog")))
            _ = try transaction.insertDraft(
                NewDraft(
                    key: "k", channel: "#team", title: "t", promoter: ChatIdentity(nick: "a"), promoterPrincipal: "a",
                    commandSequence: sequence, lineSequences: [], authors: [], created: Date()))
        }
        #expect(try store.write { try $0.recordMirroredComment(comment, engine: "e", draft: 1) })
        #expect(try !store.write { try $0.recordMirroredComment(comment, engine: "e", draft: 1) })
        // The same blog under a new folder name is still the same comment.
        #expect(try !store.write { try $0.recordMirroredComment(comment, engine: "markdown:/moved", draft: 1) })
        #expect(try store.read { try $0.mirroredCommentCount(draft: 1) } == 1)
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
        try store.write { try $0.markReplySending(pending[0].id) }
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
