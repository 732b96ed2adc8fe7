import BlogEngines
import BotRuntime
import Foundation
import SQLiteStorage
import Synchronization
import Testing
import ThreadpressModel
import ThreadpressTesting
import Workflow

/// The contracts live transports and remote engines lean on (issue "Hardening the core").
@Suite struct BotContractTests {
    let approved = hostileConversation + [("09:04:00", "alice", "!blog Deploy Friday"), ("09:05:00", "clark", "!approve 1")]

    /// Polls `condition` until it holds or `seconds` pass; returns whether it held.
    func eventually(within seconds: Double = 30, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    @Test func anEngineFailureThatIsNotClassifiedIsRetriedAndNeverStopsTheBot() async throws {
        let bot = try BotHarness()
        let faulty = bot.injectFaults()
        faulty.inject(.unclassified, on: .publish, times: 1)
        try bot.say(approved)
        let running = try bot.makeBot()
        let task = Task { try await running.run(once: false) }
        #expect(try await eventually { bot.output.matching("could not publish draft 1").count == 1 })
        #expect(bot.output.matching("injected unclassified failure").count == 1)
        #expect(bot.output.matching("it is queued and I'll keep trying").count == 1)
        // Still running: an appended command is answered.
        try bot.say([("09:06:00", "bob", "!drafts")])
        #expect(try await eventually { !bot.output.matching("bob: open drafts").isEmpty })
        task.cancel()
        if case .failure(let error) = await task.result { #expect(error is CancellationError, "stopped with \(error)") }
        #expect(bot.files("_posts").isEmpty)
        // Once the backoff has passed, the publish goes through, once.
        bot.now = bot.now.addingTimeInterval(60)
        try await bot.runOnce()
        #expect(bot.files("_posts").count == 1)
        #expect(faulty.calls(.publish) == 2)
    }

    @Test func aQueuedReplyWakesTheReplyLoopInsteadOfWaitingForItsPoll() async throws {
        let bot = try BotHarness()
        // A poll so slow that only a wake-up can deliver the answer before the deadline below.
        let running = try bot.makeBot(options: ThreadpressBot.Options(outboxInterval: .seconds(120)))
        let task = Task { try await running.run(once: false) }
        try bot.say([("09:00:00", "alice", "hello")])
        #expect(try await eventually { try bot.store().read { try $0.messageCount() } == 1 })
        try bot.say([("09:00:10", "bob", "!drafts")])
        #expect(try await eventually(within: 20) { !bot.output.matching("bob: no open drafts").isEmpty })
        task.cancel()
        if case .failure(let error) = await task.result { #expect(error is CancellationError, "stopped with \(error)") }
    }

    @Test func anApprovalForLaterSchedulesThePostAndSaysWhen() async throws {
        let bot = try BotHarness()
        try bot.say(hostileConversation + [
            ("09:04:00", "alice", "!blog Deploy Friday"), ("09:05:00", "clark", "!approve 1 at 2031-01-15 09:30"),
        ])
        try await bot.runOnce()
        #expect(bot.files("_posts") == ["2031-01-15-deploy-friday.md"], "\(bot.output.lines)")
        #expect(
            bot.output.matching(
                "clark: scheduled draft 1 \"Deploy Friday\" for 2031-01-15 09:30 (UTC): _posts/2031-01-15-deploy-friday.md"
            ).count == 1)
        #expect(try bot.post("2031-01-15-deploy-friday.md").contains("\ndate: 2031-01-15 09:30:00 +0000\n"))
    }

    @Test(arguments: [
        ("!approve 1 at 2026-11-27 08:00", "clark: 2026-11-27 08:00 (UTC) has passed; to publish now, use !approve 1"),
        ("!approve 1 at 2026-02-31 08:00", "clark: there is no 2026-02-31 08:00 in the calendar"),
    ])
    func anApprovalForATimeThatCannotBeIsRefused(command: String, answer: String) async throws {
        let bot = try BotHarness()
        try bot.say(hostileConversation + [("09:04:00", "alice", "!blog Deploy Friday"), ("09:05:00", "clark", command)])
        try await bot.runOnce()
        #expect(bot.output.matching(answer).count == 1, "\(bot.output.lines)")
        #expect(bot.files("_posts").isEmpty)
    }

    @Test func repliesNeverWaitBehindAStalledBlog() async throws {
        let bot = try BotHarness()
        let faulty = bot.injectFaults()
        faulty.inject(.stall, on: .create)
        try bot.say([("09:00:00", "alice", "topic"), ("09:00:10", "alice", "!blog Stuck")])
        let running = try bot.makeBot()
        let task = Task { try await running.run(once: false) }
        #expect(try await eventually { faulty.stalledCalls == 1 })
        // The blog hangs on the create; an unrelated command is still answered.
        try bot.say([("09:00:20", "bob", "!drafts")])
        #expect(try await eventually { !bot.output.matching("bob: open drafts: 1 \"Stuck\"").isEmpty })
        #expect(faulty.stalledCalls == 1)
        faulty.releaseStalls()
        #expect(try await eventually { bot.files("_drafts") == ["stuck.md"] })
        task.cancel()
        if case .failure(let error) = await task.result { #expect(error is CancellationError, "stopped with \(error)") }
    }

    @Test func aCreateInterruptedAfterTheBlogActedIsFoundByKeyNotMadeAgain() async throws {
        let bot = try BotHarness()
        let faulty = bot.injectFaults()
        faulty.inject(.failAfter, on: .create)
        try bot.say(hostileConversation + [("09:04:00", "alice", "!blog Deploy Friday")])
        try await bot.runOnce()
        #expect(bot.files("_drafts") == ["deploy-friday.md"])
        bot.now = bot.now.addingTimeInterval(3600)
        try await bot.runOnce()
        // The retry asked the blog first and found the draft; it did not write a second one.
        #expect(faulty.calls(.find) == 1)
        #expect(faulty.calls(.create) == 1)
        #expect(bot.files("_drafts") == ["deploy-friday.md"])
        #expect(try bot.store().read { try $0.draft(number: 1) }?.reference?.remoteID == "_drafts/deploy-friday.md")
    }

    @Test func aSplitReplyThatFailsAfterLineOneNeverSendsLineOneAgain() async throws {
        let bot = try BotHarness()
        let chat = bot.injectChatFaults()
        chat.setBudget(40)
        try bot.say([
            ("09:00:00", "alice", "one"), ("09:01:00", "alice", "!blog A title long enough to need several lines of reply"),
        ])
        chat.failSends(atCall: 2)
        try await bot.runOnce()
        try await bot.runOnce()
        let all = chat.sent.map(\.text)
        // Every line went out exactly once, in order, and together they are the whole reply.
        #expect(
            all.joined(separator: " ")
                == "alice: draft 1 \"A title long enough to need several lines of reply\": 1 line from a\u{200D}lice. "
                + "An approver can publish it with !approve 1")
        #expect(all.count >= 3)
        #expect(all.allSatisfy { $0.utf8.count <= 40 })
        #expect(bot.logs.matching("injected send failure").count == 1)
    }

    @Test func theReplyBudgetIsAskedWhenAReplyIsSentNotFixedAtStart() async throws {
        let bot = try BotHarness()
        let chat = bot.injectChatFaults()
        try bot.say([("09:00:00", "alice", "one"), ("09:01:00", "alice", "!blog Budget")])
        // Learned after the bot was built (as IRC learns it after registration).
        let running = try bot.makeBot()
        chat.setBudget(20)
        try await running.run(once: true)
        #expect(chat.sent.count > 1)
        #expect(chat.sent.allSatisfy { $0.text.utf8.count <= 20 })
    }

    @Test func aChatStreamThatEndsIsReopenedFromTheSavedPosition() async throws {
        let bot = try BotHarness()
        let chat = bot.injectChatFaults()
        chat.endStream(afterEvents: 2)
        var options = try bot.makeBot().options
        options.reconnectDelay = (.milliseconds(10), .milliseconds(50))
        let running = try bot.makeBot(options: options)
        try bot.say([("09:00:00", "alice", "one"), ("09:00:30", "bob", "two")])
        let task = Task { try await running.run(once: false) }
        try bot.say([("09:01:00", "alice", "!blog After the disconnect")])
        #expect(try await eventually { !bot.output.matching("draft 1 \"After the disconnect\"").isEmpty })
        #expect(chat.streamsOpened >= 2)
        #expect(!task.isCancelled)
        task.cancel()
        if case .failure(let error) = await task.result { #expect(error is CancellationError, "stopped with \(error)") }
        #expect(bot.logs.matching("chat stream of logfile:").count >= 1)
        // Nothing was stored twice across the reconnect.
        #expect(try bot.store().read { try $0.messageCount() } == 3)
    }

    @Test func theTransportHearsOfEachCommittedPosition() async throws {
        let bot = try BotHarness()
        let chat = bot.injectChatFaults()
        try bot.say([("09:00:00", "alice", "one"), ("09:00:30", "bob", "!drafts"), ("09:01:00", "alice", "three")])
        try await bot.runOnce()
        let saved = try bot.store().read { try $0.position(of: chat.identifier) }
        #expect(chat.committedPositions.count == 2)  // at the command, then at the end
        #expect(chat.committedPositions.last == saved)
    }

    @Test func theBotsOwnLinesAreNeverCommandsWhateverItsNick() async throws {
        let bot = try BotHarness()
        let store = try bot.store()
        let running = try bot.makeBot()
        let own = ChatMessage(
            channel: "#team", time: bot.now, sender: ChatIdentity(nick: "threadpress_"), text: "!blog echoed",
            isOwn: true)
        try running.ingestor.ingest([.message(own, position: nil)])
        #expect(try store.read { try $0.drafts(in: Set(DraftState.allCases)) }.isEmpty)
        #expect(try store.read { try $0.pendingReplies() }.isEmpty)
    }

    @Test func oldCommandsAreStoredButNotAnsweredWhenTheLogIsReadAgain() async throws {
        let bot = try BotHarness()
        bot.commandMaximumAge = 15 * 60
        bot.now = ISO8601DateFormatter().date(from: "2026-11-27T09:20:00Z")!
        try bot.say([
            ("08:00:00", "alice", "!blog ancient"),  // 80 minutes old when read
            ("09:10:00", "bob", "fresh topic"), ("09:11:00", "bob", "!blog fresh"),
        ])
        try await bot.runOnce()
        #expect(bot.output.matching("ancient").isEmpty)
        #expect(bot.output.matching("draft 1 \"fresh\"").count == 1)
        #expect(try bot.store().read { try $0.messageCount() } == 3)
        #expect(bot.logs.matching("1 command(s) older than 15 min stored but not answered").count == 1)
    }

    @Test func oneFloodingPersonIsToldOnceAndOthersStillGetAnswers() async throws {
        let bot = try BotHarness()
        bot.rateLimit = CommandRateLimiter(burst: 3, perMinute: 6)
        var lines: [(String, String, String)] = [("09:00:00", "mallory", "topic")]
        lines += Array(repeating: ("09:00:01", "mallory", "!drafts"), count: 40)
        lines.append(("09:00:02", "alice", "!drafts"))
        // Ten minutes later the bucket is full again: answered, and told again only if flooding again.
        lines.append(("09:10:00", "mallory", "!drafts"))
        try bot.say(lines)
        try await bot.runOnce()
        #expect(bot.output.matching("mallory: no open drafts").count == 4)
        #expect(bot.output.matching("mallory: slow down: too many commands; I'll ignore yours for 10 s").count == 1)
        #expect(bot.output.matching("alice: no open drafts").count == 1)
    }

    @Test func aStoreDeletedUnderTheRunningBotStopsItWithAClearError() async throws {
        let bot = try BotHarness()
        let running = try bot.makeBot()
        let task = Task { try await running.run(once: false) }
        try bot.say([("09:00:00", "alice", "hello")])
        #expect(try await eventually { try bot.store().read { try $0.messageCount() } == 1 })
        try FileManager.default.removeItem(atPath: bot.folder.path("state.sqlite"))
        // The bot must stop by itself; a bot that goes on is a failure, not a hang.
        let stopped = Mutex(false)
        let watcher = Task {
            _ = await task.result
            stopped.withLock { $0 = true }
        }
        let noticed = try await eventually { stopped.withLock { $0 } }
        if !noticed {
            task.cancel()
            Issue.record("the bot went on after its store was deleted")
        }
        _ = await watcher.value
        guard case .failure(let error) = await task.result else {
            Issue.record("the bot stopped without an error after its store was deleted")
            return
        }
        #expect("\(error)".contains("was deleted or replaced while threadpress was running"))
    }
}
