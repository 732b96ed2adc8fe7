import ChatTransports
import Foundation
import IRCProtocol
import IRCTransport
import Testing
import ThreadpressModel
import ThreadpressTesting

/// The two kinds of real server the transport must work with.
enum TestServer: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case ngircd, inspircd

    var testDescription: String { rawValue }

    func port(_ servers: IRCTestServers) -> Int {
        self == .ngircd ? servers.ngircdPort : servers.inspircdPort
    }

    var pacing: IRCPacing { self == .ngircd ? .ngircd : .inspIRCd }
}

/// ``IRCChatTransport`` against the real servers of `Scripts/irc-test-servers`.
@Suite struct IRCChatTransportTests {
    let servers: IRCTestServers

    init() throws {
        servers = try IRCTestServers.load()
    }

    @Test(arguments: TestServer.allCases)
    func joinsAndYieldsAConversationBetweenTwoUsers(server: TestServer) async throws {
        let channel = uniqueChannel()
        let botNick = IRCTestServers.uniqueNick("bot")
        let transport = servers.transport(port: server.port(servers), nick: botNick, channels: [channel], pacing: server.pacing)
        let recorder = EventRecorder.start(transport)
        defer { recorder.stop() }
        try await eventually("the bot joins \(channel)") { transport.isJoined() }

        let ana = try await IRCTestClient.connect(port: server.port(servers), nick: IRCTestServers.uniqueNick("ana"))
        defer { ana.close() }
        let ben = try await IRCTestClient.connect(port: server.port(servers), nick: IRCTestServers.uniqueNick("ben"))
        defer { ben.close() }
        try await ana.join(channel)
        try await ben.join(channel)
        // Lines from two connections have no common order: wait for each before the next.
        try await ana.say("shall we deploy on friday?", to: channel)
        try await eventually("ana's line") { recorder.said(by: ana.nick, in: channel).count == 1 }
        try await ben.say("only with a rollback plan: ünïcödé ✓", to: channel)
        try await eventually("ben's line") { recorder.said(by: ben.nick, in: channel).count == 1 }
        try await ana.send("PRIVMSG \(channel) :\u{1}ACTION agrees\u{1}")
        try await eventually("ana's action") {
            recorder.messages.filter { $0.kind == .message || $0.kind == .action }.count >= 3
        }

        let lines = recorder.messages.filter { $0.kind == .message || $0.kind == .action }
        #expect(lines.map(\.text) == ["shall we deploy on friday?", "only with a rollback plan: ünïcödé ✓", "agrees"])
        #expect(lines.map(\.sender) == [ChatIdentity(nick: ana.nick), ChatIdentity(nick: ben.nick), ChatIdentity(nick: ana.nick)])
        #expect(lines.map(\.kind) == [.message, .message, .action])
        #expect(lines.allSatisfy { $0.channel == channel && !$0.isOwn })
        let joins = recorder.messages.filter { $0.kind == .event }.map(\.text)
        #expect(joins.contains("\(ana.nick) joined \(channel)"))
        #expect(joins.contains("\(ben.nick) joined \(channel)"))
        #expect(recorder.caughtUpCount >= 1)
        #expect(transport.identifier == "irc:127.0.0.1:\(server.port(servers))")
        #expect(transport.channel == channel)
        #expect(!transport.capabilities.trustsNicks)
        #expect(recorder.error == nil)
    }

    @Test func saslUsersAreIdentifiedByAccountOnInspIRCd() async throws {
        let channel = uniqueChannel()
        let login = try await registerAccount(servers, prefix: "acc")
        let transport = servers.transport(port: servers.inspircdPort, nick: IRCTestServers.uniqueNick("bot"), channels: [channel])
        let recorder = EventRecorder.start(transport)
        defer { recorder.stop() }
        try await eventually("the bot joins \(channel)") { transport.isJoined() }

        // Logged in under another nick than the account's name: the account is what counts.
        let ana = try await IRCTestClient.connect(
            port: servers.inspircdPort, nick: IRCTestServers.uniqueNick("ana"), sasl: (login.account, login.password))
        defer { ana.close() }
        let guest = try await IRCTestClient.connect(port: servers.inspircdPort, nick: IRCTestServers.uniqueNick("gst"))
        defer { guest.close() }
        try await ana.join(channel)
        try await guest.join(channel)
        try await ana.say("I am logged in", to: channel)
        try await guest.say("I am not", to: channel)
        try await eventually("both lines") { recorder.said(by: guest.nick, in: channel).count == 1 && recorder.said(by: ana.nick, in: channel).count == 1 }

        let anaLine = try #require(recorder.said(by: ana.nick, in: channel).first)
        let guestLine = try #require(recorder.said(by: guest.nick, in: channel).first)
        #expect(anaLine.sender == ChatIdentity(nick: ana.nick, account: login.account))
        #expect(guestLine.sender == ChatIdentity(nick: guest.nick, account: nil))
        #expect(anaLine.networkID?.isEmpty == false)  // msgid
        let now = Date()
        #expect(abs(anaLine.time.timeIntervalSince(now)) < 60)  // server-time
        #expect(anaLine.sender.principal(trustingNicks: false) == login.account)
        #expect(guestLine.sender.principal(trustingNicks: false) == nil)
    }

    @Test(arguments: TestServer.allCases)
    func replyReachesTheChannelAndAPrivateMessageIsAnsweredPrivately(server: TestServer) async throws {
        let channel = uniqueChannel()
        let transport = servers.transport(port: server.port(servers), nick: IRCTestServers.uniqueNick("bot"), channels: [channel], pacing: server.pacing)
        let recorder = EventRecorder.start(transport)
        defer { recorder.stop() }
        try await eventually("the bot joins \(channel)") { transport.isJoined() }
        let ana = try await IRCTestClient.connect(port: server.port(servers), nick: IRCTestServers.uniqueNick("ana"))
        defer { ana.close() }
        try await ana.join(channel)

        try await transport.send(ChatReply(channel: channel, text: "ana: draft 1 \"Deploy\" created"))
        let inChannel = try await ana.readLine { $0.contains(" PRIVMSG \(channel) :") }

        try await ana.say("!drafts", to: transport.currentNick)
        try await eventually("the private line") { recorder.said(by: ana.nick, in: ana.nick).count == 1 }
        let query = try #require(recorder.said(by: ana.nick, in: ana.nick).first)
        try await transport.send(ChatReply(channel: query.channel, text: "no open drafts"))
        let inPrivate = try await ana.readLine { $0.contains(" PRIVMSG \(ana.nick) :") }

        #expect(inChannel.hasPrefix(":\(transport.currentNick)!"))
        #expect(inChannel.hasSuffix(" PRIVMSG \(channel) :ana: draft 1 \"Deploy\" created"))
        #expect(query.text == "!drafts")
        #expect(inPrivate.hasSuffix(" PRIVMSG \(ana.nick) :no open drafts"))
    }

    @Test(arguments: TestServer.allCases)
    func longReplyWithMultibyteTextAndLineBreaksArrivesAsSeveralWholeLines(server: TestServer) async throws {
        let channel = uniqueChannel()
        let transport = servers.transport(port: server.port(servers), nick: IRCTestServers.uniqueNick("bot"), channels: [channel], pacing: server.pacing)
        let recorder = EventRecorder.start(transport)
        defer { recorder.stop() }
        try await eventually("the bot joins \(channel)") { transport.isJoined() }
        let ana = try await IRCTestClient.connect(port: server.port(servers), nick: IRCTestServers.uniqueNick("ana"))
        defer { ana.close() }
        try await ana.join(channel)
        try await eventually("the bot learned its hostmask") { transport.replyByteBudget(for: ChatReply(channel: channel, text: "")) > transport.capabilities.maximumReplyBytes }

        // 50 × 40 bytes = 2,000 bytes; each piece ends with CR LF and tries to smuggle a QUIT.
        let piece = "żółć 日本語 ✓✓\r\nQUIT :pwned\r\n"
        let text = String(repeating: piece, count: 50)
        #expect(text.utf8.count == 2_000)
        let reply = ChatReply(channel: channel, text: text, priority: .announcement)
        let parts = reply.lines(maximumBytes: transport.replyByteBudget(for: reply))
        for part in parts {
            var line = reply
            line.text = part
            try await transport.send(line)
        }
        try await transport.send(ChatReply(channel: channel, text: "end of announcement"))
        _ = try await ana.readLine(within: .seconds(30)) { $0.hasSuffix(" :end of announcement") }

        let fromBot = ana.receivedLines.filter { $0.hasPrefix(":\(transport.currentNick)!") }
        let texts = fromBot.filter { $0.contains(" PRIVMSG \(channel) :") }.map { line in
            String(line[line.range(of: " PRIVMSG \(channel) :")!.upperBound...])
        }
        let expected = Array(repeating: "żółć 日本語 ✓✓ QUIT :pwned", count: 50).joined(separator: " ")
        #expect(parts.count > 3)
        #expect(texts.count == parts.count + 1)
        #expect(texts.dropLast().joined(separator: " ") == expected)
        #expect(fromBot.allSatisfy { $0.split(separator: " ")[1] == "PRIVMSG" })
        #expect(fromBot.allSatisfy { $0.utf8.count + 2 <= 512 })
        #expect(!ana.receivedLines.contains { $0.hasPrefix(":\(transport.currentNick)!") && $0.split(separator: " ")[1] == "QUIT" })
        #expect(transport.isJoined())
        #expect(transport.connectionCount == 1)
    }

    @Test func sendingWhileNotConnectedThrowsDisconnected() async throws {
        let transport = servers.transport(port: servers.ngircdPort, nick: IRCTestServers.uniqueNick("bot"), channels: [uniqueChannel()])

        let error = await #expect(throws: ChatTransportError.self) {
            try await transport.send(ChatReply(channel: transport.channel, text: "hello"))
        }

        #expect(error?.kind == .disconnected)
    }

    @Test(arguments: TestServer.allCases)
    func aCutConnectionIsReconnectedAndTheChannelRejoined(server: TestServer) async throws {
        let proxy = try DroppingProxy(upstreamPort: server.port(servers)).start()
        defer { proxy.stop() }
        let channel = uniqueChannel()
        let logs = LineCollector()
        let transport = servers.transport(port: proxy.port, nick: IRCTestServers.uniqueNick("bot"), channels: [channel],
                                          pacing: server.pacing) { level, line in logs.append("\(level): \(line)") }
        let recorder = EventRecorder.start(transport)
        defer { recorder.stop() }
        try await eventually("the bot joins \(channel)") { transport.isJoined() }
        let ana = try await IRCTestClient.connect(port: server.port(servers), nick: IRCTestServers.uniqueNick("ana"))
        defer { ana.close() }
        try await ana.join(channel)

        for round in 1...10 {
            proxy.dropAll()
            try await eventually(within: .seconds(30), "reconnection \(round)") { transport.connectionCount == round + 1 && transport.isJoined() }
            try await ana.say("after cut \(round)", to: channel)
            try await eventually("ana's line after cut \(round)") {
                recorder.said(by: ana.nick, in: channel).map(\.text).contains("after cut \(round)")
            }
        }

        #expect(recorder.said(by: ana.nick, in: channel).map(\.text) == (1...10).map { "after cut \($0)" })
        #expect(logs.lines.filter { $0.hasPrefix("warning:") && $0.contains("reconnecting in") }.count == 10)
        #expect(recorder.error == nil)
    }

    @Test(arguments: TestServer.allCases)
    func cancellingTheStreamQuitsTheServer(server: TestServer) async throws {
        let channel = uniqueChannel()
        let transport = servers.transport(port: server.port(servers), nick: IRCTestServers.uniqueNick("bot"), channels: [channel], pacing: server.pacing)
        let recorder = EventRecorder.start(transport)
        try await eventually("the bot joins \(channel)") { transport.isJoined() }
        let ana = try await IRCTestClient.connect(port: server.port(servers), nick: IRCTestServers.uniqueNick("ana"))
        defer { ana.close() }
        try await ana.join(channel)
        let nick = transport.currentNick

        recorder.stop()
        let quit = try await ana.readLine { $0.hasPrefix(":\(nick)!") && $0.split(separator: " ")[1] == "QUIT" }

        // ngircd relays the reason in quotes, InspIRCd after "Quit: ".
        #expect(quit.hasSuffix(server == .ngircd ? #":"threadpress is stopping""# : ":Quit: threadpress is stopping"))
        try await eventually("the transport is disconnected") { !transport.isJoined() }
        #expect(recorder.error == nil)
    }

    @Test func joinsOverVerifiedTLSAndLogsInWithSASLExternal() async throws {
        let channel = uniqueChannel()
        let logs = LineCollector()
        let configuration = IRCChatConfiguration(
            host: servers.host, port: servers.inspircdTLSPort, tls: true, caFile: servers.caFile,
            tlsPinSHA256: [servers.serverPublicKeyPin], clientCertificate: servers.clientCertificateFile,
            clientKey: servers.clientKeyFile, nick: IRCTestServers.uniqueNick("ext"), channels: [.init(channel)],
            sasl: .init(mechanism: .external))
        let transport = IRCChatTransport(configuration: configuration, botNick: "unused") { level, line in logs.append("\(level): \(line)") }
        let recorder = EventRecorder.start(transport)
        defer { recorder.stop() }
        try await eventually("the bot joins \(channel)") { transport.isJoined() }

        try await transport.send(ChatReply(channel: channel, text: "hello over TLS"))
        // InspIRCd echoes the bot's own line (echo-message) with its account.
        try await eventually("the echo of the bot's line") { recorder.messages.contains { $0.isOwn && $0.kind == .message } }

        let echo = try #require(recorder.messages.first { $0.isOwn && $0.kind == .message })
        #expect(echo.text == "hello over TLS")
        #expect(echo.sender == ChatIdentity(nick: transport.currentNick, account: servers.saslExternalAccount))
        #expect(echo.channel == channel)
        #expect(logs.lines.contains("info: logged in to services account \(servers.saslExternalAccount) on 127.0.0.1:\(servers.inspircdTLSPort) (TLS)"))
        #expect(transport.identifier == "irc:127.0.0.1:\(servers.inspircdTLSPort)")
    }

    @Test func aBurstOfAnnouncementsIsPacedAndAReplyOvertakesThem() async throws {
        let channel = uniqueChannel()
        let transport = servers.transport(port: servers.inspircdPort, nick: IRCTestServers.uniqueNick("bot"), channels: [channel])
        let recorder = EventRecorder.start(transport)
        defer { recorder.stop() }
        try await eventually("the bot joins \(channel)") { transport.isJoined() }
        let ana = try await IRCTestClient.connect(port: servers.inspircdPort, nick: IRCTestServers.uniqueNick("ana"))
        defer { ana.close() }
        try await ana.join(channel)

        // Twelve announcements of ~400 bytes at once: 4.8 KiB would overflow InspIRCd's 4 KiB
        // receive queue unpaced. The reply is queued after the first ones and must overtake the rest.
        let filler = String(repeating: "x", count: 390)
        let marker = " PRIVMSG \(channel) :"
        var texts: [String] = []
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 1...12 {
                group.addTask { try await transport.send(ChatReply(channel: channel, text: "announcement \(number) \(filler)", priority: .announcement)) }
            }
            // Once the first announcement is out, the rest wait in the queue; the reply joins them.
            let first = try await ana.readLine(within: .seconds(30)) { $0.contains(marker) }
            texts.append(first.components(separatedBy: marker)[1])
            try await transport.send(ChatReply(channel: channel, text: "the reply", priority: .reply))
            try await group.waitForAll()
        }
        while texts.count < 13 {
            let line = try await ana.readLine(within: .seconds(30)) { $0.contains(marker) }
            texts.append(line.components(separatedBy: marker)[1])
        }

        let replyIndex = try #require(texts.firstIndex(of: "the reply"))
        #expect(replyIndex < 8)
        #expect(Set(texts.filter { $0 != "the reply" }) == Set((1...12).map { "announcement \($0) \(filler)" }))
        #expect(transport.connectionCount == 1)
        #expect(transport.isJoined())
    }

    @Test func untilCaughtUpEndsOnceEveryChannelIsJoined() async throws {
        let channels = [uniqueChannel(), uniqueChannel()]
        let transport = servers.transport(port: servers.ngircdPort, nick: IRCTestServers.uniqueNick("bot"), channels: channels, pacing: .ngircd)

        var events: [ChatEvent] = []
        for try await event in transport.events(resumingAfter: nil, untilCaughtUp: true) { events.append(event) }

        #expect(events.last == .caughtUp)
        let joins = events.compactMap { event -> String? in
            guard case .message(let message, nil) = event, message.kind == .event, message.isOwn else { return nil }
            return message.text
        }
        #expect(Set(joins) == Set(channels.map { "\(transport.currentNick) joined \($0)" }))
    }

    @Test func trustNicksIsWarnedAbout() {
        let logs = LineCollector()
        let transport = servers.transport(port: servers.ngircdPort, nick: "tp", channels: ["#team"], trustNicks: true) { level, line in
            logs.append("\(level): \(line)")
        }

        transport.warnAboutConfiguration()

        #expect(transport.capabilities.trustsNicks)
        #expect(logs.lines == [
            "warning: chat.irc.trust_nicks is true: anyone who takes an approver's nick on 127.0.0.1:\(servers.ngircdPort) can approve drafts; use it only on a server without services that your team controls",
        ])
    }

    @Test func failedSASLEndsTheStreamAsFatal() async throws {
        let transport = servers.transport(
            port: servers.inspircdPort, nick: IRCTestServers.uniqueNick("bot"), channels: [uniqueChannel()],
            sasl: .init(mechanism: .plain, account: IRCTestServers.uniqueNick("no"), password: .init("wrong-password")))

        var thrown: Error?
        do {
            for try await _ in transport.events(resumingAfter: nil, untilCaughtUp: false) {}
        } catch {
            thrown = error
        }

        let error = try #require(thrown as? ChatTransportError)
        #expect(error.kind == .fatal)
        #expect(error.message.contains("SASL PLAIN login as"))
        #expect(!error.message.contains("wrong-password"))
    }
}
