import ChatTransports
import Foundation
import IRCProtocol
import IRCTransport
import Testing
import ThreadpressModel
import ThreadpressTesting

/// Issue 6's acceptance: kill and restart a real server ten times; the bot is back in the channel
/// within 30 s each time, never stops, and stores every line exactly once. Uses a private ngircd
/// (the shared test servers are never killed) and the bot's default reconnect policy.
@Suite struct IRCServerRestartTests {
    @Test(.timeLimit(.minutes(5)))
    func theBotSurvivesTenServerKillsAndIsBackWithinThirtySecondsEachTime() async throws {
        let server = try await PrivateNgircd.start()
        defer { server.stop() }
        let folder = try TemporaryDirectory(prefix: "irc-restart")
        defer { folder.remove() }
        let channel = "#restarts"
        let botNick = IRCTestServers.uniqueNick("tp")
        let logs = LineCollector()
        let transport = IRCChatTransport(
            configuration: IRCChatConfiguration(host: "127.0.0.1", port: server.port, tls: false, nick: botNick,
                                                channels: [IRCChatConfiguration.Channel(channel)], pacing: .ngircd),
            botNick: "unused", log: { level, line in logs.append("transport \(level): \(line)") })
        let harness = try StoredBotHarness(transport: transport, folder: folder, logs: logs)
        try await eventually("the bot joins \(channel)") { transport.isJoined() }

        var recoveries: [Duration] = []
        var said: [String] = []
        for round in 1...10 {
            let killedAt = ContinuousClock.now
            server.kill()
            try await server.restart()
            // A scripted user comes back too and waits to see the bot in the channel: in the
            // NAMES list when the bot was first, or its JOIN when the user was.
            let user = try await IRCTestClient.connect(port: server.port, nick: IRCTestServers.uniqueNick("usr"))
            defer { user.close() }
            try await user.join(channel)
            let remaining = .seconds(30) - (ContinuousClock.now - killedAt)
            _ = try await user.readLine(within: max(remaining, .milliseconds(1))) { line in
                let words = line.split(separator: " ")
                let isNames = words.count > 5 && words[1] == "353"
                    && words[5...].contains { $0.trimmingPrefix(":").drop { "@+%".contains($0) } == botNick }
                let isJoin = line.hasPrefix(":\(botNick)!") && words.count >= 3 && words[1] == "JOIN"
                return isNames || isJoin
            }
            recoveries.append(ContinuousClock.now - killedAt)
            let text = "round \(round) line"
            try await user.say(text, to: channel)
            said.append(text)
            try await eventuallyAsync("\"\(text)\" is stored") {
                try await harness.said(in: channel).contains { $0.text == text }
            }
        }
        let stored = try await harness.said(in: channel)
        let connections = transport.connectionCount
        let endedBeforeStop = harness.hasEnded
        let stopFailure = await harness.stop()

        #expect(recoveries.count == 10)
        #expect(recoveries.allSatisfy { $0 < .seconds(30) }, "times back in the channel: \(recoveries)")
        #expect(stored.map(\.text) == said)
        #expect(connections == 11)
        #expect(!endedBeforeStop)  // the bot never stopped by itself
        #expect(stopFailure == nil)
        #expect(logs.matching("fatal").isEmpty)
    }
}
