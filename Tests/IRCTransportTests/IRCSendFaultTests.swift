import ChatTransports
import Foundation
import IRCProtocol
import IRCTransport
import Testing
import ThreadpressModel
import ThreadpressTesting

/// Lines waiting in the paced queue when their sender gives up or the link is cut are never sent
/// later: each line reaches the wire at most once, and the bot (which keeps it) decides.
@Suite struct IRCSendFaultTests {
    let servers: IRCTestServers

    init() throws {
        servers = try IRCTestServers.load()
    }

    /// One line at a time, one a second: registration (CAP, NICK, USER, CAP END, JOIN…) leaves the
    /// bucket some six seconds in debt, so lines queued right after the join wait.
    private let slow = IRCPacing(lineBurst: 1, linesPerSecond: 1, byteBurst: 4096, bytesPerSecond: 4096)

    @Test func aCancelledQueuedLineIsNeverSent() async throws {
        let channel = uniqueChannel()
        // ana is there first, so the lines are queued while the bucket is still in debt.
        let ana = try await IRCTestClient.connect(port: servers.ngircdPort, nick: IRCTestServers.uniqueNick("ana"))
        defer { ana.close() }
        try await ana.join(channel)
        let transport = servers.transport(port: servers.ngircdPort, nick: IRCTestServers.uniqueNick("bot"), channels: [channel], pacing: slow)
        let recorder = EventRecorder.start(transport)
        defer { recorder.stop() }
        try await eventually("the bot joins \(channel)") { transport.isJoined() }

        let one = Task { try await transport.send(ChatReply(channel: channel, text: "one")) }
        try await eventually("line one queued") { transport.queuedLineCount == 1 }
        let two = Task { try await transport.send(ChatReply(channel: channel, text: "two")) }
        try await eventually("line two queued") { transport.queuedLineCount == 2 }
        two.cancel()
        let cancelled = await two.result
        try await one.value
        try await transport.send(ChatReply(channel: channel, text: "three"))
        let marker = " PRIVMSG \(channel) :"
        let first = try await ana.readLine { $0.contains(marker) }
        let second = try await ana.readLine { $0.contains(marker) }

        #expect(throws: CancellationError.self) { try cancelled.get() }
        #expect(first.hasSuffix(marker + "one"))
        #expect(second.hasSuffix(marker + "three"))
    }

    @Test func aLineQueuedWhenTheLinkIsCutFailsAsDisconnectedAndIsNeverSentLater() async throws {
        let proxy = try DroppingProxy(upstreamPort: servers.ngircdPort).start()
        defer { proxy.stop() }
        let channel = uniqueChannel()
        let ana = try await IRCTestClient.connect(port: servers.ngircdPort, nick: IRCTestServers.uniqueNick("ana"))
        defer { ana.close() }
        try await ana.join(channel)
        let transport = servers.transport(port: proxy.port, nick: IRCTestServers.uniqueNick("bot"), channels: [channel], pacing: slow)
        let recorder = EventRecorder.start(transport)
        defer { recorder.stop() }
        try await eventually("the bot joins \(channel)") { transport.isJoined() }

        let waiting = Task { try await transport.send(ChatReply(channel: channel, text: "lost in the cut")) }
        try await eventually("the line queued") { transport.queuedLineCount == 1 }
        proxy.dropAll()
        let result = await waiting.result
        try await eventually(within: .seconds(30), "reconnected") { transport.connectionCount == 2 && transport.isJoined() }
        try await transport.send(ChatReply(channel: channel, text: "after the cut"))
        let next = try await ana.readLine(within: .seconds(30)) { $0.contains(" PRIVMSG \(channel) :") }

        let error = try #require(throws: ChatTransportError.self) { try result.get() }
        #expect(error.kind == .disconnected)
        #expect(next.hasSuffix(" PRIVMSG \(channel) :after the cut"))
        #expect(transport.queuedLineCount == 0)
    }
}
