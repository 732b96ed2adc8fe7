import BotRuntime
import ChatTransports
import Foundation
import IRCProtocol
import IRCTransport
import SQLiteStorage
import Testing
import ThreadpressModel
import ThreadpressTesting

/// Which recipients may become a `PRIVMSG` target: one nick, nothing a server reads as a channel,
/// a list, a mask or another command. No sockets.
@Suite struct IRCPrivateTargetTests {
    static let inspIRCdSupport: IRCServerSupport = {
        var support = IRCServerSupport()
        support.apply(IRCMessage("005", "bot", "CHANTYPES=#", "PREFIX=(qaohv)~&@%+", "are supported by this server"))
        return support
    }()

    @Test(arguments: [
        ("ana", "ana"),
        ("Ana_2[away]", "Ana_2[away]"),
        ("`weird^nick|x{}\\", "`weird^nick|x{}\\"),
        ("ünï", "ünï"),
        ("#team", nil),
        ("&local", nil),
        ("@#team", nil),
        ("+#team", nil),
        ("~ana", nil),
        ("ana,#team", nil),
        ("ana #team", nil),
        ("ana\r\nQUIT :pwned", nil),
        ("ana\u{0}", nil),
        (":ana", nil),
        ("$*", nil),
        ("*", nil),
        ("an?", nil),
        ("ana!ana@host", nil),
        ("ana@irc.example", nil),
        ("9lives", nil),
        ("-dash", nil),
        ("", nil),
        (String(repeating: "a", count: 65), nil),
    ] as [(String, String?)])
    func acceptsOnlyASingleNick(recipient: String, expected: String?) {
        #expect(IRCChatTransport.privateTarget(recipient, support: Self.inspIRCdSupport) == expected)
    }

    @Test func anAmpersandChannelIsRefusedEvenBeforeTheServerSaysWhichChannelTypesItHas() {
        #expect(IRCChatTransport.privateTarget("&ops", support: IRCServerSupport()) == nil)
        #expect(IRCChatTransport.privateTarget("#ops", support: IRCServerSupport()) == nil)
    }

    /// InspIRCd's defaults: fakelag lets 10 points pass (a PRIVMSG costs 1, registration and JOIN
    /// ~8 already) and decays 1 point a second; a command beyond that waits, unprocessed, and more
    /// than 4,096 bytes waiting disconnects the client. Feed 200 private lines of the largest size
    /// (510 bytes on the wire) into the queue at once — the worst case; the dispatcher hands them
    /// over one at a time — and replay the departures against that model with a fed clock.
    @Test func twoHundredLongBulkLinesNeverOverflowInspIRCdsReceiveQueue() {
        let start = ContinuousClock.now
        var queue = IRCSendQueue<Int>(pacing: .inspIRCd, now: start)
        for index in 0..<200 { queue.enqueue(index, byteCount: 510, priority: .announcement) }

        var departures: [(line: Int, at: Duration)] = []
        var now = start
        while !queue.isEmpty {
            for line in queue.dequeue(now: now) { departures.append((line, now - start)) }
            guard let next = queue.nextDeparture(now: now) else { break }
            now = max(next, now + .milliseconds(1))
        }

        // The server: points start at the threshold (the worst case after registering and joining);
        // a command is processed once one more point keeps them at 10 or below.
        var points = 10.0
        var clock = 0.0
        var waiting = 0
        var largestBacklog = 0
        func drain(until time: Double) {
            while waiting > 0 {
                let ready = clock + max(0, points - 9)
                if ready > time { break }
                points = max(0, points - (ready - clock)) + 1
                clock = ready
                waiting -= 1
            }
            points = max(0, points - (time - clock))
            clock = time
        }
        for departure in departures {
            let (seconds, attoseconds) = departure.at.components
            drain(until: Double(seconds) + Double(attoseconds) / 1e18)
            waiting += 1
            largestBacklog = max(largestBacklog, waiting * 510)
        }

        #expect(departures.map(\.line) == Array(0..<200))
        #expect(largestBacklog <= 2_048)
        #expect(departures.last!.at > .seconds(190))  // ~one line a second: 200 lines take minutes
    }
}

/// Private replies through the real servers: the recipient gets a `PRIVMSG` to its nick, the
/// channel never sees it, and the dispatcher lets a later answer overtake queued bulk lines.
@Suite struct IRCPrivateReplyTests {
    let servers: IRCTestServers

    init() throws {
        servers = try IRCTestServers.load()
    }

    @Test(arguments: TestServer.allCases)
    func aPrivateReplyReachesOnlyItsRecipient(server: TestServer) async throws {
        let channel = uniqueChannel()
        let logs = LineCollector()
        let transport = servers.transport(port: server.port(servers), nick: IRCTestServers.uniqueNick("bot"), channels: [channel],
                                          pacing: server.pacing) { level, line in logs.append("\(level): \(line)") }
        let recorder = EventRecorder.start(transport)
        defer { recorder.stop() }
        try await eventually("the bot joins \(channel)") { transport.isJoined() }
        let ana = try await IRCTestClient.connect(port: server.port(servers), nick: IRCTestServers.uniqueNick("ana"))
        defer { ana.close() }
        let ben = try await IRCTestClient.connect(port: server.port(servers), nick: IRCTestServers.uniqueNick("ben"))
        defer { ben.close() }
        try await ana.join(channel)
        try await ben.join(channel)
        try await eventually("the bot learned its hostmask") {
            transport.replyByteBudget(for: ChatReply(channel: channel, text: "")) > transport.capabilities.maximumReplyBytes
        }

        // A long line, split to the budget of a PRIVMSG to ana (not to the channel), with CR LF
        // trying to smuggle a command; then recipients that are not one nick, which go nowhere.
        let longText = "1 ana: " + String(repeating: "żółć ", count: 120) + "\r\nQUIT :pwned"
        let reply = ChatReply(channel: channel, text: longText, inReplyTo: "msgid-1", priority: .bulk, recipient: ana.nick)
        let budget = transport.replyByteBudget(for: reply)
        let parts = reply.lines(maximumBytes: budget)
        for part in parts {
            var line = reply
            line.text = part
            try await transport.send(line)
        }
        for refused in [channel, "\(ana.nick),\(channel)", "@\(channel)", "\(ana.nick) \(channel)", "\(ana.nick)\r\nJOIN #x"] {
            try await transport.send(ChatReply(channel: channel, text: "must not be sent", priority: .bulk, recipient: refused))
        }
        try await transport.send(ChatReply(channel: channel, text: "end marker"))
        _ = try await ana.readLine(within: .seconds(30)) { $0.hasSuffix(" PRIVMSG \(channel) :end marker") }
        _ = try await ben.readLine(within: .seconds(30)) { $0.hasSuffix(" PRIVMSG \(channel) :end marker") }

        let bot = ":\(transport.currentNick)!"
        let toAna = ana.receivedLines.filter { $0.hasPrefix(bot) && $0.contains(" PRIVMSG \(ana.nick) :") }
        let texts = toAna.map { String($0[$0.range(of: " PRIVMSG \(ana.nick) :")!.upperBound...]) }
        #expect(budget == transport.replyByteBudget(for: ChatReply(channel: ana.nick, text: "")))
        #expect(parts.count >= 2)
        #expect(texts.joined(separator: " ") == "1 ana: " + Array(repeating: "żółć", count: 120).joined(separator: " ") + " QUIT :pwned")
        #expect(toAna.allSatisfy { !$0.hasPrefix("@") && $0.utf8.count + 2 <= 512 })
        // The channel (and so ben) got only the marker; nobody got the refused lines.
        let fromBotToBen = ben.receivedLines.filter { $0.hasPrefix(bot) && $0.split(separator: " ")[1] == "PRIVMSG" }
        #expect(fromBotToBen.count == 1)
        #expect(fromBotToBen.first?.hasSuffix(" PRIVMSG \(channel) :end marker") == true)
        #expect(!ana.receivedLines.contains { $0.contains("must not be sent") })
        #expect(logs.lines.filter { $0.hasPrefix("warning: not sending a private line to") && $0.hasSuffix(": not a nick; dropped") }.count == 5)
        #expect(transport.capabilities.privateReplies)
        #expect(transport.connectionCount == 1)
        #expect(transport.isJoined())
    }

    /// 16 private lines of ~400 bytes (6.4 KiB: more than InspIRCd's 4 KiB receive queue if sent
    /// unpaced) go out through the real dispatcher and store; an answer queued after the first of
    /// them arrived overtakes the rest, and the bot stays connected.
    @Test func anAnswerOvertakesQueuedBulkLinesAndTheBulkIsPacedOnInspIRCd() async throws {
        try await sendBulkThroughTheDispatcher(lines: 16)
    }

    /// The issue's case in full: 200 private lines of ~400 bytes (~3 minutes at the default
    /// pacing). Run with `THREADPRESS_SLOW_TESTS=1`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["THREADPRESS_SLOW_TESTS"] == "1"))
    func twoHundredPrivateLinesLeaveTheBotConnectedAndTheChannelQuietOnInspIRCd() async throws {
        try await sendBulkThroughTheDispatcher(lines: 200)
    }

    /// Queues `lines` private lines for ana, flushes them with the real dispatcher, queues an
    /// answer in the channel once ana has the first one, and reads everything while it goes out.
    private func sendBulkThroughTheDispatcher(lines count: Int) async throws {
        let channel = uniqueChannel()
        let transport = servers.transport(port: servers.inspircdPort, nick: IRCTestServers.uniqueNick("bot"), channels: [channel])
        let recorder = EventRecorder.start(transport)
        defer { recorder.stop() }
        try await eventually("the bot joins \(channel)") { transport.isJoined() }
        let ana = try await IRCTestClient.connect(port: servers.inspircdPort, nick: IRCTestServers.uniqueNick("ana"))
        defer { ana.close() }
        let ben = try await IRCTestClient.connect(port: servers.inspircdPort, nick: IRCTestServers.uniqueNick("ben"))
        defer { ben.close() }
        try await ana.join(channel)
        try await ben.join(channel)

        let folder = try TemporaryDirectory(prefix: "irc-bulk")
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.path("state.sqlite"))
        let logs = LineCollector()
        let dispatcher = ReplyDispatcher(store: store, transport: transport, logger: BotLogger(level: .debug) { level, line in
            logs.append("\(level): \(line)")
        })
        let filler = String(repeating: "x", count: 380)
        try store.write { transaction in
            for number in 1...count {
                try transaction.enqueue(ChatReply(channel: channel, text: "line \(number) \(filler)", priority: .bulk, recipient: ana.nick))
            }
        }
        let flushing = Task { try await dispatcher.flush() }
        defer { flushing.cancel() }
        let bot = ":\(transport.currentNick)!"
        let privateMarker = " PRIVMSG \(ana.nick) :"
        let channelMarker = " PRIVMSG \(channel) :"
        _ = try await ana.readLine(within: .seconds(30)) { $0.contains(privateMarker) }
        try store.write { try $0.enqueue(ChatReply(channel: channel, text: "ana: draft 2 created", priority: .reply)) }
        // Read while the lines go out (the server's send queue to ana stays short).
        func fromBot() -> [String] { ana.receivedLines.filter { $0.hasPrefix(bot) && ($0.contains(privateMarker) || $0.contains(channelMarker)) } }
        while fromBot().count < count + 1 {
            _ = try await ana.readLine(within: .seconds(30)) { $0.contains(privateMarker) || $0.contains(channelMarker) }
        }
        _ = try await flushing.value
        _ = try await ben.readLine(within: .seconds(30)) { $0.hasSuffix("\(channelMarker)ana: draft 2 created") }

        let received = fromBot()
        let answerIndex = try #require(received.firstIndex { $0.hasSuffix("\(channelMarker)ana: draft 2 created") })
        let bulk = received.filter { $0.contains(privateMarker) }.map { String($0[$0.range(of: privateMarker)!.upperBound...]) }
        #expect(bulk == (1...count).map { "line \($0) \(filler)" })
        // The burst (4 lines) may be out before the answer is queued, plus the line in flight.
        #expect(answerIndex <= 7)
        #expect(!ben.receivedLines.contains { $0.contains(privateMarker) || $0.contains("line 1 ") })
        #expect(try store.read { try $0.pendingReplies() }.isEmpty)
        #expect(transport.connectionCount == 1)
        #expect(transport.isJoined())
        #expect(!logs.lines.contains { $0.hasPrefix("warning:") })
    }
}
