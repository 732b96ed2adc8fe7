import BlogEngines
import BotRuntime
import Foundation
import ThreadpressModel
import IRCProtocol
import IRCTransport
import SQLiteStorage
import Synchronization
import ThreadpressTesting
import Workflow

/// `threadpress-bench --irc-latency [--commands N]`: command-to-reply latency of the whole bot on
/// a real IRC server, and a burst of 50 commands.
///
/// The bot runs in this process exactly as `threadpress run` builds it for `"kind": "irc"`:
/// `IRCChatTransport` (plain TCP, InspIRCd pacing) against the InspIRCd of
/// `Scripts/irc-test-servers`, a `MarkdownFolderEngine` and a `SQLiteStore` in a temporary folder,
/// the default per-person rate limit (burst 5, 10 a minute). Scripted users (`IRCTestClient`,
/// blocking sockets on their own threads) sit in the same channel.
///
/// 1. Latency: `!drafts` once a second, N times (default 60), rotating over 10 users so no one
///    exceeds the rate limit; each sample is the time from the user's send to the bot's reply to
///    that user arriving at that user (the server's relay both ways included). Median and p99.
/// 2. Burst: 10 fresh users send 5 `!drafts` each at once (50 commands); every one must be
///    answered, and the time until the last answer is reported. The bot paces its own lines to
///    InspIRCd's flood rules (`IRCPacing.inspIRCd`), so that time is set by the pacing, not by
///    the bot's work; the bot must still be on its first connection afterwards.
///
/// Build with `-c release`; needs `.peers/irc.env` (the servers running).
struct IRCLatencyBenchmark {
    static let usage = "usage: threadpress-bench --irc-latency [--commands N] [--reply-poll MS]"
    static let targetMedian = 5.0
    static let targetP99 = 20.0

    var commands = 60
    /// The bot's `outboxInterval` (how often queued replies are flushed), in ms; `nil`: the default.
    var replyPoll: Int?
    let latencyUsers = 10
    let burstUsers = 10
    let burstPerUser = 5

    init(arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--irc-latency": index += 1
            case "--commands" where index + 1 < arguments.count:
                guard let count = Int(arguments[index + 1]), count > 0 else { throw BenchError(Self.usage) }
                commands = count
                index += 2
            case "--reply-poll" where index + 1 < arguments.count:
                guard let milliseconds = Int(arguments[index + 1]), milliseconds > 0 else { throw BenchError(Self.usage) }
                replyPoll = milliseconds
                index += 2
            default:
                throw BenchError("unknown argument '\(arguments[index])'\n\(Self.usage)")
            }
        }
    }

    func run() async throws -> Int32 {
        let servers = try IRCTestServers.load()
        let folder = try TemporaryDirectory(prefix: "threadpress-bench-irc")
        defer { folder.remove() }
        let channel = "#" + IRCTestServers.uniqueNick("ben")
        let botNick = IRCTestServers.uniqueNick("tp")
        let port = servers.inspircdPort
        let transportLog = Mutex<[String]>([])
        let transport = IRCChatTransport(
            configuration: IRCChatConfiguration(
                host: servers.host, port: port, tls: false, nick: botNick, channels: [.init(channel)],
                trustNicks: false, pacing: .inspIRCd),
            botNick: botNick, log: { level, line in transportLog.withLock { $0.append("\(level): \(line)") } })
        var options = ThreadpressBot.Options()
        if let replyPoll { options.outboxInterval = .milliseconds(replyPoll) }
        let bot = ThreadpressBot(
            transport: transport, engine: MarkdownFolderEngine(directory: folder.path("blog")),
            store: try SQLiteStore(path: folder.path("state.sqlite")),
            settings: WorkflowSettings(
                approvers: [], botNick: transport.botNick, trustsNicks: false, timeZone: IANATimeZone(identifier: "UTC")!),
            options: options, logger: BotLogger(level: .warning))
        let botTask = Task { try await bot.run(once: false) }
        defer { botTask.cancel() }

        try await waitFor("the bot to join \(channel)", within: .seconds(20)) { transport.isJoined(channel) }
        let users = try await connectUsers(prefix: "lat", count: latencyUsers, port: port, channel: channel)
        defer { users.forEach { $0.close() } }

        // Warm-up: one command (first SQLite statements, first reply split), not counted.
        let warmUp = try await roundTrip(users[0], channel: channel, bot: transport.currentNick)

        // 1. One command a second.
        // Yardstick, between two commands: one user's line relayed by the server to another user
        // (a bot's reply needs two such hops plus its own work).
        var samples: [Double] = []
        var relays: [Double] = []
        let clock = ContinuousClock()
        var next = clock.now + .seconds(1)
        for index in 0..<commands {
            try await Task.sleep(until: next, clock: clock)
            next = next + .seconds(1)
            let user = users[(index + 1) % users.count]
            samples.append(try await roundTrip(user, channel: channel, bot: transport.currentNick))
            relays.append(try await relay(from: users[(index + 6) % users.count], to: user, channel: channel, index: index))
        }
        samples.sort()
        relays.sort()
        let median = Self.percentile(samples, 0.5)
        let p99 = Self.percentile(samples, 0.99)

        // 2. The burst.
        let burst = try await connectUsers(prefix: "bur", count: burstUsers, port: port, channel: channel)
        defer { burst.forEach { $0.close() } }
        let connectionsBefore = transport.connectionCount
        let botName = transport.currentNick
        let start = clock.now
        var burstAnswered = 0
        var lastAnswer = Duration.zero
        var failures: [String] = []
        await withTaskGroup(of: (answered: Int, last: Duration, failure: String?).self) { group in
            for user in burst {
                let perUser = burstPerUser
                group.addTask {
                    var answered = 0
                    var last = Duration.zero
                    do {
                        for _ in 0..<perUser { try await user.say("!drafts", to: channel) }
                        for _ in 0..<perUser {
                            _ = try await user.readLine(within: .seconds(120), where: Self.reply(from: botName, to: user.nick, in: channel))
                            answered += 1
                            last = clock.now - start
                        }
                        return (answered, last, nil)
                    } catch {
                        return (answered, last, "\(user.nick): \(error)")
                    }
                }
            }
            for await result in group {
                burstAnswered += result.answered
                lastAnswer = max(lastAnswer, result.last)
                if let failure = result.failure { failures.append(failure) }
            }
        }
        let burstSeconds = Double(lastAnswer / .milliseconds(1)) / 1000
        let reconnects = transport.connectionCount - connectionsBefore

        let format = { (value: Double) in String(format: "%.2f ms", value) }
        print("IRC command-to-reply benchmark (release build expected)")
        print("  server:        InspIRCd 127.0.0.1:\(port), bot \(botNick) in \(channel), default rate limit and InspIRCd pacing, "
            + "replies flushed every \(replyPoll.map { "\($0) ms (--reply-poll)" } ?? "1 s (default; a queued reply wakes the loop at once)")")
        print("  warm-up:       \(format(warmUp)) (first command, not counted)")
        print("  latency:       \(samples.count) × !drafts at 1/s over \(latencyUsers) users: "
            + "median \(format(median)), p99 \(format(p99)), min \(format(samples.first ?? 0)), max \(format(samples.last ?? 0))")
        print("  yardstick:     \(relays.count) user-to-user relays through the server: "
            + "median \(format(Self.percentile(relays, 0.5))), p99 \(format(Self.percentile(relays, 0.99)))")
        print("  burst:         \(burstAnswered)/\(burstUsers * burstPerUser) answered (\(burstUsers) users × \(burstPerUser) at once), "
            + String(format: "last answer after %.2f s", burstSeconds) + ", \(reconnects) reconnects")
        for failure in failures { print("  burst failure: \(failure)") }
        let warnings = transportLog.withLock { $0 }.filter { $0.hasPrefix("warning") || $0.hasPrefix("error") }
        for warning in warnings.prefix(10) { print("  transport:     \(warning)") }
        let passed = median <= Self.targetMedian && p99 <= Self.targetP99
            && burstAnswered == burstUsers * burstPerUser && reconnects == 0
        print("  result:        \(passed ? "PASS" : "FAIL") (targets: median ≤ \(Int(Self.targetMedian)) ms, p99 ≤ \(Int(Self.targetP99)) ms, all 50 answered without a reconnect)")
        return passed ? 0 : 2
    }

    /// Milliseconds from `user` sending `!drafts` to the bot's reply addressed to it arriving.
    private func roundTrip(_ user: IRCTestClient, channel: String, bot: String) async throws -> Double {
        let begin = ContinuousClock.now
        try await user.say("!drafts", to: channel)
        _ = try await user.readLine(within: .seconds(10), where: Self.reply(from: bot, to: user.nick, in: channel))
        return Double((ContinuousClock.now - begin) / .microseconds(1)) / 1000
    }

    /// Milliseconds from `sender` saying a line in `channel` to `receiver` reading it.
    private func relay(from sender: IRCTestClient, to receiver: IRCTestClient, channel: String, index: Int) async throws -> Double {
        let text = "relay \(index) from \(sender.nick)"
        let begin = ContinuousClock.now
        try await sender.say(text, to: channel)
        _ = try await receiver.readLine(within: .seconds(10)) { $0.hasSuffix(" PRIVMSG \(channel) :\(text)") }
        return Double((ContinuousClock.now - begin) / .microseconds(1)) / 1000
    }

    /// Matches the bot's reply to `nick` in `channel` (`:bot!… PRIVMSG #chan :nick: …`).
    private static func reply(from bot: String, to nick: String, in channel: String) -> @Sendable (String) -> Bool {
        let source = ":\(bot)!"
        let marker = " PRIVMSG \(channel) :\(nick): "
        return { line in line.hasPrefix(source) && line.contains(marker) }
    }

    private func connectUsers(prefix: String, count: Int, port: Int, channel: String) async throws -> [IRCTestClient] {
        var users: [IRCTestClient] = []
        for _ in 0..<count {
            let user = try await IRCTestClient.connect(port: port, nick: IRCTestServers.uniqueNick(prefix))
            users.append(user)
            try await user.join(channel)
        }
        return users
    }

    private func waitFor(_ what: String, within timeout: Duration, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else { throw BenchError("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The value at `fraction` of sorted `values` (nearest rank).
    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let rank = Int((fraction * Double(values.count)).rounded(.up)) - 1
        return values[min(max(rank, 0), values.count - 1)]
    }
}
