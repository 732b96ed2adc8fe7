import BlogEngines
import BotRuntime
import ChatTransports
import Foundation
import IRCProtocol
import IRCTransport
import SQLiteStorage
import Synchronization
import Testing
import ThreadpressModel
import ThreadpressTesting
import Workflow

/// The whole bot (real IRC transport, real store) on a store file that outlives it, so a test can
/// stop the bot and start another on the same store.
final class StoredBotHarness: Sendable {
    let store: SQLiteStore
    let transport: IRCChatTransport
    let logs: LineCollector
    private let task: Task<Void, Error>
    private let ended = EndedFlag()

    init(transport: IRCChatTransport, folder: TemporaryDirectory, logs: LineCollector) throws {
        self.transport = transport
        self.logs = logs
        store = try SQLiteStore(path: folder.path("state.sqlite"))
        var options = ThreadpressBot.Options(outboxInterval: .milliseconds(20))
        options.rateLimit = CommandRateLimiter(burst: 1_000, perMinute: 6_000)
        let bot = ThreadpressBot(
            transport: transport, engine: MarkdownFolderEngine(directory: folder.path("blog")), store: store,
            settings: WorkflowSettings(approvers: [], botNick: transport.botNick, trustsNicks: false,
                                       timeZone: IANATimeZone(identifier: "UTC")!),
            options: options, logger: BotLogger(level: .debug) { level, line in logs.append("\(level): \(line)") })
        let ended = ended
        task = Task {
            defer { ended.value.withLock { $0 = true } }
            try await bot.run(once: false)
        }
    }

    /// Whether the bot's run ended by itself (it never should before ``stop()``).
    var hasEnded: Bool { ended.value.withLock { $0 } }

    private final class EndedFlag: Sendable {
        let value = Mutex(false)
    }

    /// Stops the bot; returns how its run ended (`nil`: cancelled, as it should be).
    func stop() async -> String? {
        task.cancel()
        switch await task.result {
        case .success: return nil
        case .failure(let error): return error is CancellationError ? nil : "\(error)"
        }
    }

    /// Everything said in `channel` (not joins, parts or quits), in stored order.
    func said(in channel: String) async throws -> [ChatMessage] {
        try await store.asyncRead { try $0.messages(in: channel, before: .max, limit: 10_000) }
            .reversed().map(\.message).filter { $0.kind == .message }
    }
}

/// Polls an async `condition` every 20 ms until it holds or `timeout` passes (then throws, naming `what`).
func eventuallyAsync(
    within timeout: Duration = .seconds(15), _ what: String, _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return }
        guard ContinuousClock.now < deadline else { throw TestFailure("timed out waiting for: \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// A transport to a private server on loopback, with fast reconnects (the policy's own limits are
/// tested in IRCProtocolTests).
func loopbackTransport(port: Int, nick: String, channel: String, logs: LineCollector) -> IRCChatTransport {
    IRCChatTransport(
        configuration: IRCChatConfiguration(host: "127.0.0.1", port: port, tls: false, nick: nick,
                                            channels: [IRCChatConfiguration.Channel(channel)]),
        botNick: "unused", reconnectPolicy: IRCReconnectPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1)),
        log: { level, line in logs.append("transport \(level): \(line)") })
}

/// Backfill against `Scripts/chathistory-test-server` (no packaged server offers draft/chathistory).
@Suite struct IRCChathistoryBackfillTests {
    @Test func linesSaidWhileTheBotWasAwayAreStoredOnceInOrderWithTheirOriginalTimes() async throws {
        let server = try await ChathistoryTestServer.start(pageLimit: 3)
        defer { server.stop() }
        let folder = try TemporaryDirectory(prefix: "irc-history")
        defer { folder.remove() }
        let channel = "#history"
        let botNick = IRCTestServers.uniqueNick("tp")
        let logs = LineCollector()
        let harness = try StoredBotHarness(transport: loopbackTransport(port: server.port, nick: botNick, channel: channel, logs: logs),
                                           folder: folder, logs: logs)
        let alice = try await IRCTestClient.connect(port: server.port, nick: "alice")
        defer { alice.close() }
        try await alice.join(channel)
        try await eventually("the bot joins \(channel)") { harness.transport.isJoined() }

        for text in ["before one", "before two"] { try await alice.say(text, to: channel) }
        try await eventuallyAsync("the lines before the drop are stored") { try await harness.said(in: channel).count == 2 }

        // The link drops and the bot cannot get back in while five lines are said (two pages of three).
        try await server.control(alice, "TESTBLOCK \(botNick)")
        try await server.control(alice, "TESTDROP \(botNick)")
        try await eventually("the bot notices it is out") { !harness.transport.isJoined() }
        let awayStarted = Date()
        let away = (1...5).map { "away \($0)" }
        for text in away { try await alice.say(text, to: channel) }
        try await server.control(alice, "TESTUNBLOCK \(botNick)")  // answered after all five: they are in history
        let awayEnded = Date()
        try await eventually("the bot is back in \(channel)") { harness.transport.isJoined() }
        try await alice.say("after", to: channel)
        try await eventuallyAsync(within: .seconds(20), "the live line after the backfill is stored") {
            try await harness.said(in: channel).last?.text == "after"
        }
        let stored = try await harness.said(in: channel)
        let failure = await harness.stop()

        #expect(stored.map(\.text) == ["before one", "before two", "away 1", "away 2", "away 3", "away 4", "away 5", "after"])
        #expect(stored.allSatisfy { $0.sender.nick == "alice" })
        #expect(Set(stored.compactMap(\.networkID)).count == 8)
        // Their own times (said while the bot was out), not the time they were read.
        let awayTimes = stored.filter { $0.text.hasPrefix("away") }.map(\.time)
        #expect(awayTimes.allSatisfy { $0 >= awayStarted.addingTimeInterval(-0.001) && $0 <= awayEnded.addingTimeInterval(0.001) })
        #expect(awayTimes == awayTimes.sorted())
        // (The transport's "backfilled 5 line(s)" log line is not checked here: in about one run in
        // ten on a loaded machine it was missing from the collector although the lines were stored;
        // see the closing note of 2026-12-02.)
        #expect(failure == nil)
    }

    @Test func aRestartedBotBackfillsFromItsStoredPositionAndStoresNothingTwice() async throws {
        let server = try await ChathistoryTestServer.start(pageLimit: 100)
        defer { server.stop() }
        let folder = try TemporaryDirectory(prefix: "irc-history")
        defer { folder.remove() }
        let channel = "#restart"
        let botNick = IRCTestServers.uniqueNick("tp")
        let logs = LineCollector()
        let first = try StoredBotHarness(transport: loopbackTransport(port: server.port, nick: botNick, channel: channel, logs: logs),
                                         folder: folder, logs: logs)
        let alice = try await IRCTestClient.connect(port: server.port, nick: "alice")
        defer { alice.close() }
        try await alice.join(channel)
        try await eventually("the first bot joins \(channel)") { first.transport.isJoined() }
        for text in ["one", "two", "three"] { try await alice.say(text, to: channel) }
        try await eventuallyAsync("three lines stored") { try await first.said(in: channel).count == 3 }
        let identifier = first.transport.identifier
        let position = try await first.store.asyncRead { try $0.position(of: identifier) }
        let storedBefore = try await first.said(in: channel)
        #expect(await first.stop() == nil)

        // The stored position names the newest line; wind it back to "one", as if the bot had
        // crashed before its last commit, so the backfill overlaps what is already stored.
        let newest = try #require(position.flatMap(IRCHistoryPosition.decode)?[channel])
        #expect(newest.messageID == storedBefore[2].networkID)
        let older = IRCHistoryPosition.encode(IRCHistoryMarks([channel: IRCHistoryMark(
            messageID: storedBefore[0].networkID, serverTime: Int64(storedBefore[0].time.timeIntervalSince1970 * 1000))]))
        try await first.store.asyncWrite { try $0.savePosition(older, of: identifier) }
        for text in ["four", "five"] { try await alice.say(text, to: channel) }
        // A round trip after them: both are in the server's history before the second bot connects
        // (lines of two connections are otherwise read in any order).
        try await server.control(alice, "TESTUNBLOCK \(botNick)")

        let second = try StoredBotHarness(transport: loopbackTransport(port: server.port, nick: botNick, channel: channel, logs: logs),
                                          folder: folder, logs: logs)
        try await eventuallyAsync(within: .seconds(20), "the lines said while no bot ran are stored") {
            try await second.said(in: channel).last?.text == "five"
        }
        try await alice.say("six", to: channel)
        try await eventuallyAsync("the live line is stored") { try await second.said(in: channel).last?.text == "six" }
        let stored = try await second.said(in: channel)
        #expect(await second.stop() == nil)

        #expect(stored.map(\.text) == ["one", "two", "three", "four", "five", "six"])
        #expect(Set(stored.compactMap(\.networkID)).count == 6)
        // The server sent two, three, four and five again; the store kept two and three once.
        #expect(logs.matching("backfilled 4 line(s) of \(channel)").count == 1)
    }
}
