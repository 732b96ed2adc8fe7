import Testing
@testable import IRCProtocol

/// Drives a session with server lines (as captured from InspIRCd 3.15 + Anope and ngircd 26) and
/// fed time; no sockets.
struct SessionHarness {
    var session: IRCSessionStateMachine
    let start = ContinuousClock.now
    var now: ContinuousClock.Instant

    init(_ configuration: IRCSessionConfiguration) {
        session = IRCSessionStateMachine(configuration: configuration)
        now = start
    }

    /// Lines the actions send, serialised.
    static func sent(_ actions: [IRCSessionAction]) -> [String] {
        actions.compactMap { if case .send(let message) = $0 { try! message.serialized() } else { nil } }
    }

    static func others(_ actions: [IRCSessionAction]) -> [IRCSessionAction] {
        actions.filter { if case .send = $0 { false } else { true } }
    }

    mutating func connect() -> [String] { Self.sent(session.connected(now: now)) }

    mutating func feed(_ lines: String...) -> [IRCSessionAction] {
        var actions: [IRCSessionAction] = []
        for line in lines { actions += session.received(try! IRCMessage(parsing: line), now: now) }
        return actions
    }

    mutating func advance(seconds: Double) -> [IRCSessionAction] {
        now = now.advanced(by: .milliseconds(Int64(seconds * 1000)))
        return session.tick(now: now)
    }

    /// Registers as `tp` on an IRCv3 server with every wanted capability, joins `#team`.
    mutating func registerOnInspIRCd() {
        _ = connect()
        _ = feed(":irc.local CAP * LS :account-notify account-tag batch cap-notify echo-message extended-join labeled-response message-tags server-time ",
                 ":irc.local CAP tp ACK :message-tags server-time account-tag extended-join account-notify echo-message batch labeled-response",
                 ":irc.local 001 tp :Welcome to the Localnet IRC Network tp!tp@127.0.0.1",
                 ":irc.local 005 tp CASEMAPPING=rfc1459 CHANTYPES=# NICKLEN=30 PREFIX=(qaohv)~&@%+ NETWORK=Localnet WHOX :are supported by this server",
                 ":tp!tp@127.0.0.1 JOIN #team * :tp")
    }
}

@Suite struct IRCSessionStateMachineTests {
    static let plain = IRCSessionConfiguration(nick: "tp", realname: "threadpress bot", channels: [IRCChannelJoin("#team")])

    @Test func registersWithCapabilitiesOnAnIRCv3Server() {
        var harness = SessionHarness(Self.plain)
        #expect(harness.connect() == ["CAP LS 302", "NICK tp", "USER tp 0 * :threadpress bot"])
        // Multi-line LS: nothing is requested until the last line.
        #expect(harness.feed(":irc.local CAP * LS * :account-notify account-tag away-notify batch cap-notify chghost") == [])
        let request = harness.feed(":irc.local CAP * LS :echo-message extended-join invite-notify labeled-response message-tags multi-prefix sasl=PLAIN,EXTERNAL server-time userhost-in-names ")
        // sasl is offered but not configured: not requested; unwanted caps never requested.
        #expect(SessionHarness.sent(request) == ["CAP REQ :message-tags server-time account-tag extended-join account-notify echo-message batch labeled-response"])
        #expect(SessionHarness.sent(harness.feed(":irc.local CAP tp ACK :message-tags server-time account-tag extended-join account-notify echo-message batch labeled-response"))
                == ["CAP END"])
        #expect(harness.session.enabledCapabilities.contains("echo-message"))
        let welcome = harness.feed(":irc.local 001 tp :Welcome to the Localnet IRC Network tp!tp@127.0.0.1")
        #expect(SessionHarness.others(welcome) == [.registered(nick: "tp")])
        #expect(SessionHarness.sent(welcome) == ["JOIN #team"])
        #expect(harness.session.phase == .registered)
    }

    @Test func registersOnAServerWithoutCapabilities() {
        var harness = SessionHarness(IRCSessionConfiguration(nick: "tp", channels: [IRCChannelJoin("#team")], serverPassword: "letmein"))
        #expect(harness.connect() == ["CAP LS 302", "PASS letmein", "NICK tp", "USER tp 0 * tp"])
        // ngircd 26: answers CAP LS with only multi-prefix.
        #expect(SessionHarness.sent(harness.feed(":irc.example.net CAP * LS :multi-prefix")) == ["CAP END"])
        #expect(SessionHarness.sent(harness.feed(":irc.example.net 001 tp :Welcome to the Internet Relay Network tp!~tp@localhost")) == ["JOIN #team"])
    }

    @Test func logsInWithSASLPlainInChunks() {
        // A password long enough for a Base64 payload of more than 400 bytes.
        let password = String(repeating: "p", count: 300)
        var harness = SessionHarness(IRCSessionConfiguration(nick: "tp", authentication: .plain(account: "tpbot", password: password)))
        _ = harness.connect()
        #expect(SessionHarness.sent(harness.feed(":irc.local CAP * LS :sasl=PLAIN,EXTERNAL server-time")) == ["CAP REQ :server-time sasl"])
        #expect(SessionHarness.sent(harness.feed(":irc.local CAP tp ACK :server-time sasl")) == ["AUTHENTICATE PLAIN"])
        let chunks = SessionHarness.sent(harness.feed("AUTHENTICATE +"))
        // "tpbot\0tpbot\0" + 300 × "p" = 312 bytes → 416 Base64 characters: 400 + 16.
        #expect(chunks.count == 2)
        // Base64 of the payload (checked with Python's base64): "dHBib3QAdHBib3QA" + 100 × "cHBw".
        #expect(chunks[0] == "AUTHENTICATE dHBib3QAdHBib3QA" + String(repeating: "cHBw", count: 96))
        #expect(chunks[0].utf8.count == "AUTHENTICATE ".utf8.count + 400)
        #expect(chunks[1] == "AUTHENTICATE cHBwcHBwcHBwcHBw")
        let login = harness.feed(":irc.local 900 tp tp!tp@127.0.0.1 tpbot :You are now logged in as tpbot",
                                 ":irc.local 903 tp :SASL authentication successful")
        #expect(SessionHarness.others(login) == [.loggedIn(account: "tpbot")])
        #expect(SessionHarness.sent(login) == ["CAP END"])
    }

    @Test func sendsAPlusAfterAPayloadOfExactlyFourHundredBytes() {
        let exact = IRCSessionStateMachine.authenticateChunks(String(repeating: "A", count: 800))
        #expect(exact.map { try! $0.serialized() } == ["AUTHENTICATE " + String(repeating: "A", count: 400),
                                                      "AUTHENTICATE " + String(repeating: "A", count: 400), "AUTHENTICATE +"])
        #expect(IRCSessionStateMachine.authenticateChunks("").map { try! $0.serialized() } == ["AUTHENTICATE +"])
        #expect(IRCSessionStateMachine.authenticateChunks("dHA=").map { try! $0.serialized() } == ["AUTHENTICATE dHA="])
    }

    @Test func logsInWithSASLExternal() {
        var harness = SessionHarness(IRCSessionConfiguration(nick: "tp", authentication: .external))
        _ = harness.connect()
        #expect(SessionHarness.sent(harness.feed(":irc.local CAP * LS :sasl")) == ["CAP REQ sasl"])
        #expect(SessionHarness.sent(harness.feed(":irc.local CAP tp ACK sasl")) == ["AUTHENTICATE EXTERNAL"])
        #expect(SessionHarness.sent(harness.feed("AUTHENTICATE +")) == ["AUTHENTICATE +"])
        #expect(SessionHarness.sent(harness.feed(":irc.local 903 tp :SASL authentication successful")) == ["CAP END"])
    }

    @Test func aFailedSASLLoginIsFatalAndNamesNoPassword() {
        var harness = SessionHarness(IRCSessionConfiguration(nick: "tp", authentication: .plain(account: "tpbot", password: "hunter2")))
        _ = harness.connect()
        _ = harness.feed(":irc.local CAP * LS :sasl", ":irc.local CAP tp ACK :sasl", "AUTHENTICATE +")
        let actions = harness.feed(":irc.local 904 tp :SASL authentication failed")
        guard case .fatal(let error) = actions.first else { Issue.record("expected fatal, got \(actions)"); return }
        #expect(error.code == .saslFailed)
        #expect(error.isPermanent)
        #expect(error.message == "SASL PLAIN login as tpbot failed (904: SASL authentication failed); check the account and password in chat.irc.sasl")
        #expect(!"\(harness.session.configuration)".contains("hunter2"))
        #expect(harness.session.phase == .disconnected)
    }

    @Test func refusesToContinueWithoutSASLWhenItIsConfigured() {
        var harness = SessionHarness(IRCSessionConfiguration(nick: "tp", authentication: .plain(account: "tpbot", password: "x")))
        _ = harness.connect()
        let actions = harness.feed(":irc.local CAP * LS :server-time echo-message")
        guard case .fatal(let error) = actions.first else { Issue.record("expected fatal, got \(actions)"); return }
        #expect(error.code == .saslUnavailable)
        #expect(!error.isPermanent)
    }

    @Test func fallsBackToAlternativeNicksThenRegainsTheWantedOne() {
        var harness = SessionHarness(IRCSessionConfiguration(nick: "threadpress", alternativeNicks: ["tp"], channels: [IRCChannelJoin("#team")]))
        _ = harness.connect()
        _ = harness.feed(":irc.local CAP * LS :server-time", ":irc.local CAP threadpress ACK :server-time")
        #expect(SessionHarness.sent(harness.feed(":irc.local 433 * threadpress :Nickname is already in use.")) == ["NICK tp"])
        #expect(SessionHarness.sent(harness.feed(":irc.local 433 * tp :Nickname is already in use.")) == ["NICK threadpress_"])
        #expect(SessionHarness.sent(harness.feed(":irc.local 432 * threadpress_ :Erroneous Nickname")) == ["NICK threadpr1"])
        _ = harness.feed(":irc.local 001 threadpr1 :Welcome")
        #expect(harness.session.nick == "threadpr1")
        #expect(harness.session.nextDeadline == harness.start.advanced(by: .seconds(60)))
        #expect(SessionHarness.sent(harness.advance(seconds: 59)) == [])
        #expect(SessionHarness.sent(harness.advance(seconds: 1)) == ["NICK threadpress"])
        // Still taken: the failed regain changes nothing and is retried a minute later.
        #expect(harness.feed(":irc.local 433 threadpr1 threadpress :Nickname is already in use.") == [])
        #expect(SessionHarness.sent(harness.advance(seconds: 60)) == ["NICK threadpress"])
        let change = harness.feed(":threadpr1!tp@127.0.0.1 NICK :threadpress")
        #expect(SessionHarness.others(change) == [.nickChanged(from: "threadpr1", to: "threadpress")])
        #expect(harness.session.nick == "threadpress")
        #expect(!SessionHarness.sent(harness.advance(seconds: 120)).contains("NICK threadpress"))
    }

    @Test func stopsRegainingANickTheServerCannotGive() {
        // ngircd: NICKLEN=9, so "threadpress" is erroneous (432) and "threadpr1" is used.
        var harness = SessionHarness(IRCSessionConfiguration(nick: "threadpress"))
        _ = harness.connect()
        _ = harness.feed(":irc.example.net CAP * LS :multi-prefix", ":irc.example.net 432 * threadpress :Erroneous nickname",
                         ":irc.example.net 432 * threadpress_ :Erroneous nickname", ":irc.example.net 001 threadpr1 :Welcome",
                         ":irc.example.net 005 threadpr1 NICKLEN=9 :are supported on this server")
        #expect(harness.session.nick == "threadpr1")
        #expect(!SessionHarness.sent(harness.advance(seconds: 60)).contains("NICK threadpress"))
        #expect(!SessionHarness.sent(harness.advance(seconds: 60)).contains("NICK threadpress"))

        var other = SessionHarness(IRCSessionConfiguration(nick: "wanted", alternativeNicks: ["other"]))
        _ = other.connect()
        _ = other.feed(":s CAP * LS :", ":s 433 * wanted :in use", ":s 001 other :Welcome")
        #expect(SessionHarness.sent(other.advance(seconds: 60)) == ["NICK wanted"])
        _ = other.feed(":s 432 other wanted :Erroneous nickname (reserved)")
        #expect(!SessionHarness.sent(other.advance(seconds: 60)).contains("NICK wanted"))
    }

    @Test func takesTheWantedNickAsSoonAsItsHolderQuits() {
        var harness = SessionHarness(IRCSessionConfiguration(nick: "tp", alternativeNicks: ["tp2"]))
        _ = harness.connect()
        _ = harness.feed(":s CAP * LS :", ":s 433 * tp :in use", ":s 001 tp2 :Welcome")
        #expect(SessionHarness.sent(harness.feed(":TP!x@h QUIT :bye")) == ["NICK tp"])
    }

    @Test func givesUpWhenNoNickIsUsable() {
        var harness = SessionHarness(IRCSessionConfiguration(nick: "tp"))
        _ = harness.connect()
        var last: [IRCSessionAction] = []
        for _ in 0..<11 { last = harness.feed(":s 433 * x :in use") }
        guard case .fatal(let error) = last.first else { Issue.record("expected fatal, got \(last)"); return }
        #expect(error.code == .noUsableNick)
    }

    @Test func joinsSeveralChannelsWithKeysFirst() {
        let messages = IRCSessionStateMachine.joinMessages(for: [IRCChannelJoin("#open"), IRCChannelJoin("#secret", key: "k1"),
                                                                 IRCChannelJoin("#b"), IRCChannelJoin("#vault", key: "k2")])
        #expect(messages.map { try! $0.serialized() } == ["JOIN #secret,#vault,#open,#b k1,k2"])
        let many = IRCSessionStateMachine.joinMessages(for: (1...60).map { IRCChannelJoin("#channel-\($0)") })
        #expect(many.count == 2)
        for message in many { #expect(message.wireByteCount <= 512) }
    }

    @Test func answersPingsAndNoticesADeadLink() {
        var harness = SessionHarness(Self.plain)
        harness.registerOnInspIRCd()
        #expect(SessionHarness.sent(harness.feed("PING :irc.local")) == ["PONG irc.local"])
        #expect(SessionHarness.sent(harness.advance(seconds: 89)) == [])
        #expect(SessionHarness.sent(harness.advance(seconds: 1)) == ["PING threadpress-1"])
        // Any line from the server proves the link is alive.
        _ = harness.feed(":irc.local PONG irc.local :threadpress-1")
        #expect(harness.advance(seconds: 89) == [])
        #expect(SessionHarness.sent(harness.advance(seconds: 1)) == ["PING threadpress-2"])
        #expect(harness.advance(seconds: 59) == [])
        #expect(harness.advance(seconds: 1) == [.disconnect(reason: "no answer from the server for 150 s")])
        #expect(harness.advance(seconds: 100) == [])  // said once
        #expect(harness.session.nextDeadline == nil)
    }

    @Test func givesUpOnAStuckRegistration() {
        var harness = SessionHarness(Self.plain)
        _ = harness.connect()
        _ = harness.feed(":irc.local NOTICE * :*** Looking up your hostname...")
        #expect(harness.advance(seconds: 60) == [.disconnect(reason: "registration did not finish within 60 s")])
    }

    @Test func learnsItsHostmaskFromItsOwnJoin() {
        var harness = SessionHarness(Self.plain)
        _ = harness.connect()
        _ = harness.feed(":irc.example.net CAP * LS :multi-prefix", ":irc.example.net 001 tp :Welcome",
                         ":irc.example.net 005 tp CASEMAPPING=ascii CHANTYPES=#&+ :are supported")
        let join = harness.feed(":tp!~tp@localhost JOIN :#Team")
        #expect(join.contains(.joined(channel: "#team")))
        #expect(join.contains(.learnedHostmask(IRCSource("tp!~tp@localhost"))))
        #expect(harness.session.hostmask == IRCSource("tp!~tp@localhost"))
        let budget = IRCReplySplitter().budget(nick: harness.session.nick, hostmask: harness.session.hostmask, target: "#team")
        #expect(budget == 512 - ":tp!~tp@localhost PRIVMSG #team :".utf8.count - 2)
    }

    @Test func turnsMessagesIntoChatWithAccountsTimeIDsAndReplies() {
        var harness = SessionHarness(Self.plain)
        harness.registerOnInspIRCd()
        let actions = harness.feed("@time=2026-11-27T09:14:03.512Z;msgid=1DT~1764234843~40;inspircd.org/account-id=42;account=alice;+draft/reply=abc :alice!alice@127.0.0.1 PRIVMSG #TEAM :!blog last 5 minutes")
        #expect(actions == [.chat(IRCChatMessage(kind: .privmsg, channel: "#team", replyTarget: "#team",
            sender: IRCSource("alice!alice@127.0.0.1"), account: "alice", text: "!blog last 5 minutes", isOwn: false,
            serverTime: 1_795_770_843_512, messageID: "1DT~1764234843~40", replyTo: "abc"))])
    }

    @Test func withAccountTagANickWithoutTheTagHasNoAccount() {
        var harness = SessionHarness(Self.plain)
        harness.registerOnInspIRCd()
        // alice joined logged in, then someone else took her nick after she left: no tag, no account.
        _ = harness.feed(":alice!alice@127.0.0.1 JOIN #team alice :Alice")
        _ = harness.feed(":alice!alice@127.0.0.1 QUIT :bye", ":alice!evil@10.0.0.9 JOIN #team * :Not Alice")
        let actions = harness.feed(":alice!evil@10.0.0.9 PRIVMSG #team :!approve 1")
        guard case .chat(let chat) = actions.first else { Issue.record("expected chat"); return }
        #expect(chat.account == nil)
        #expect(harness.session.trackedAccount(of: "ALICE") == .some(nil))
    }

    @Test func tracksAccountsWithoutAccountTag() {
        var harness = SessionHarness(Self.plain)
        _ = harness.connect()
        _ = harness.feed(":s CAP * LS :extended-join account-notify", ":s CAP tp ACK :extended-join account-notify",
                         ":s 001 tp :Welcome", ":s 005 tp WHOX :are supported", ":tp!tp@h JOIN #team * :tp")
        _ = harness.feed(":s 354 tp 152 bob bobacct", ":s 354 tp 152 carol 0")
        func account(_ line: String) -> String? {
            if case .chat(let chat) = harness.feed(line).first { return chat.account }
            return "not a chat"
        }
        #expect(account(":bob!b@h PRIVMSG #team :hi") == "bobacct")
        #expect(account(":carol!c@h PRIVMSG #team :hi") == nil)
        _ = harness.feed(":carol!c@h ACCOUNT carolacct")
        #expect(account(":carol!c@h PRIVMSG #team :hi") == "carolacct")
        _ = harness.feed(":dave!d@h JOIN #team daveacct :Dave")
        #expect(account(":dave!d@h PRIVMSG #team :hi") == "daveacct")
        _ = harness.feed(":dave!d@h NICK dave2")
        #expect(account(":dave2!d@h PRIVMSG #team :hi") == "daveacct")
        _ = harness.feed(":dave2!d@h ACCOUNT *")
        #expect(account(":dave2!d@h PRIVMSG #team :hi") == nil)
    }

    @Test func asksWHOXForAccountsOnJoinWhenSupported() {
        var harness = SessionHarness(Self.plain)
        _ = harness.connect()
        _ = harness.feed(":s CAP * LS :", ":s 001 tp :Welcome", ":s 005 tp WHOX :are supported")
        #expect(SessionHarness.sent(harness.feed(":tp!tp@h JOIN #team")) == ["WHO #team %tna,152"])
    }

    @Test func marksEchoedOwnLinesAndPrivateMessages() {
        var harness = SessionHarness(Self.plain)
        harness.registerOnInspIRCd()
        let echo = harness.feed("@msgid=xyz :tp!tp@127.0.0.1 PRIVMSG #team :draft 3 created")
        guard case .chat(let own) = echo.first else { Issue.record("expected chat"); return }
        #expect(own.isOwn)
        #expect(own.messageID == "xyz")
        let query = harness.feed("@account=alice :alice!alice@127.0.0.1 PRIVMSG tp :!drafts")
        guard case .chat(let privateMessage) = query.first else { Issue.record("expected chat"); return }
        #expect(privateMessage.channel == nil)
        #expect(privateMessage.replyTarget == "alice")
        let ownPrivate = harness.feed(":tp!tp@127.0.0.1 PRIVMSG alice :you have 2 drafts")
        guard case .chat(let echoed) = ownPrivate.first else { Issue.record("expected chat"); return }
        #expect(echoed.replyTarget == "alice")
        #expect(echoed.isOwn)
    }

    @Test func answersCTCPVersionAndPingByNoticeAndReportsActions() {
        var harness = SessionHarness(Self.plain)
        harness.registerOnInspIRCd()
        #expect(SessionHarness.sent(harness.feed(":alice!a@h PRIVMSG tp :\u{1}VERSION\u{1}")) == ["NOTICE alice :\u{1}VERSION threadpress\u{1}"])
        // A second CTCP within 2 s is ignored (flood guard).
        #expect(harness.feed(":alice!a@h PRIVMSG tp :\u{1}PING 123\u{1}") == [])
        _ = harness.advance(seconds: 2)
        #expect(SessionHarness.sent(harness.feed(":alice!a@h PRIVMSG tp :\u{1}PING 1764234843 \u{2}x\u{1}")) == ["NOTICE alice :\u{1}PING 1764234843 x\u{1}"])
        // CTCP replies (NOTICE) are never answered.
        #expect(harness.feed(":alice!a@h NOTICE tp :\u{1}VERSION irssi\u{1}") == [])
        let action = harness.feed(":alice!a@h PRIVMSG #team :\u{1}ACTION waves\u{1}")
        guard case .chat(let chat) = action.first else { Issue.record("expected chat"); return }
        #expect(chat.kind == .action)
        #expect(chat.text == "waves")
    }

    @Test func reportsChannelEventsAndRejoinsAfterAKick() {
        var harness = SessionHarness(Self.plain)
        harness.registerOnInspIRCd()
        _ = harness.feed(":irc.local 353 tp = #team :tp @alice +bob")
        #expect(harness.session.members(of: "#TEAM") == ["alice", "bob", "tp"])
        let quit = harness.feed(":bob!b@h QUIT :Quit: bye")
        #expect(quit == [.channelEvent(IRCChannelEvent(kind: .quit(reason: "Quit: bye"), channel: "#team",
            user: IRCSource("bob!b@h"), isOwn: false, serverTime: nil, messageID: nil))])
        let topic = harness.feed(":alice!a@h TOPIC #team :Release 2.0")
        #expect(topic == [.channelEvent(IRCChannelEvent(kind: .topic("Release 2.0"), channel: "#team",
            user: IRCSource("alice!a@h"), isOwn: false, serverTime: nil, messageID: nil))])
        let kick = harness.feed(":alice!a@h KICK #team tp :out")
        #expect(SessionHarness.others(kick).contains(.kicked(channel: "#team", by: "alice", reason: "out")))
        #expect(harness.session.joinedChannels.isEmpty)
        #expect(SessionHarness.sent(harness.advance(seconds: 14)) == [])
        #expect(SessionHarness.sent(harness.advance(seconds: 1)) == ["JOIN #team"])
        #expect(SessionHarness.sent(harness.advance(seconds: 60)) == [])
    }

    @Test func reportsPartsAndNickChangesPerSharedChannel() {
        var harness = SessionHarness(IRCSessionConfiguration(nick: "tp", channels: [IRCChannelJoin("#team"), IRCChannelJoin("#ops")]))
        harness.registerOnInspIRCd()
        _ = harness.feed(":tp!tp@127.0.0.1 JOIN #ops * :tp", ":irc.local 353 tp = #team :tp alice", ":irc.local 353 tp @ #ops :tp alice bob")
        let nick = harness.feed("@time=2026-11-27T09:14:05.000Z :alice!a@h NICK alice_away")
        #expect(nick == [
            .channelEvent(IRCChannelEvent(kind: .nick(newNick: "alice_away"), channel: "#ops", user: IRCSource("alice!a@h"),
                                          isOwn: false, serverTime: 1_795_770_845_000, messageID: nil)),
            .channelEvent(IRCChannelEvent(kind: .nick(newNick: "alice_away"), channel: "#team", user: IRCSource("alice!a@h"),
                                          isOwn: false, serverTime: 1_795_770_845_000, messageID: nil)),
        ])
        #expect(harness.session.members(of: "#ops") == ["alice_away", "bob", "tp"])
        let part = harness.feed(":bob!b@h PART #ops :later")
        #expect(part == [.channelEvent(IRCChannelEvent(kind: .part(reason: "later"), channel: "#ops", user: IRCSource("bob!b@h"),
                                                       isOwn: false, serverTime: nil, messageID: nil))])
        let ownPart = harness.feed(":tp!tp@127.0.0.1 PART #ops")
        #expect(SessionHarness.others(ownPart).last == .parted(channel: "#ops"))
        #expect(harness.session.joinedChannels == ["#team": "#team"])
        let rename = harness.feed(":tp!tp@127.0.0.1 NICK tp2")
        #expect(rename.first == .nickChanged(from: "tp", to: "tp2"))
        #expect(rename.contains(.learnedHostmask(IRCSource("tp2!tp@127.0.0.1"))))
        #expect(harness.session.replyBudget(to: "#team") == 512 - ":tp2!tp@127.0.0.1 PRIVMSG #team :".utf8.count - 2)
    }

    @Test func retriesARefusedJoinWithItsKey() {
        var harness = SessionHarness(IRCSessionConfiguration(nick: "tp", channels: [IRCChannelJoin("#vault", key: "k")]))
        harness.registerOnInspIRCd()
        let refused = harness.feed(":irc.local 475 tp #vault :Cannot join channel (incorrect channel key)")
        #expect(refused == [.joinRefused(channel: "#vault", reason: "475 Cannot join channel (incorrect channel key)")])
        #expect(SessionHarness.sent(harness.advance(seconds: 15)) == ["JOIN #vault k"])
    }

    @Test func comparesChannelsByTheServersCaseMapping() {
        var harness = SessionHarness(IRCSessionConfiguration(nick: "tp", channels: [IRCChannelJoin("#team[1]")]))
        harness.registerOnInspIRCd()  // CASEMAPPING=rfc1459
        _ = harness.feed(":tp!tp@127.0.0.1 JOIN #TEAM{1} * :tp")
        #expect(harness.session.joinedChannels["#team{1}"] == "#team[1]")
        guard case .chat(let chat) = harness.feed(":a!a@h PRIVMSG #Team{1} :hi").first else { Issue.record("expected chat"); return }
        #expect(chat.channel == "#team[1]")
    }

    @Test func bannedOrWrongPasswordIsFatal() {
        var harness = SessionHarness(Self.plain)
        _ = harness.connect()
        guard case .fatal(let error) = harness.feed(":s 465 tp :You are banned from this server").first else { Issue.record("expected fatal"); return }
        #expect(error.code == .banned)
        #expect(error.isPermanent)
    }

    @Test func handlesCapNotify() {
        var harness = SessionHarness(Self.plain)
        harness.registerOnInspIRCd()
        _ = harness.feed(":irc.local CAP tp DEL :echo-message")
        #expect(!harness.session.enabledCapabilities.contains("echo-message"))
        #expect(SessionHarness.sent(harness.feed(":irc.local CAP tp NEW :echo-message draft/event-playback")) == ["CAP REQ echo-message"])
        _ = harness.feed(":irc.local CAP tp ACK echo-message")
        #expect(harness.session.enabledCapabilities.contains("echo-message"))
    }

    @Test func parsesServerTime() {
        #expect(IRCEncoding.milliseconds(iso8601: "1970-01-01T00:00:00.000Z") == 0)
        #expect(IRCEncoding.milliseconds(iso8601: "2026-11-27T09:14:03.512Z") == 1_795_770_843_512)
        #expect(IRCEncoding.milliseconds(iso8601: "2026-11-27T09:14:03Z") == 1_795_770_843_000)
        #expect(IRCEncoding.milliseconds(iso8601: "2026-11-27T10:14:03.5+01:00") == 1_795_770_843_500)
        #expect(IRCEncoding.milliseconds(iso8601: "2026-11-27T09:14:03.51234567Z") == 1_795_770_843_512)
        #expect(IRCEncoding.milliseconds(iso8601: "2026-13-27T09:14:03Z") == nil)
        #expect(IRCEncoding.milliseconds(iso8601: "yesterday") == nil)
    }

    @Test func encodesBase64() {
        #expect(IRCEncoding.base64(Array("".utf8)) == "")
        #expect(IRCEncoding.base64(Array("f".utf8)) == "Zg==")
        #expect(IRCEncoding.base64(Array("fo".utf8)) == "Zm8=")
        #expect(IRCEncoding.base64(Array("foo".utf8)) == "Zm9v")
        #expect(IRCEncoding.base64(Array("tp\0tp\0secret".utf8)) == "dHAAdHAAc2VjcmV0")
    }
}

@Suite struct IRCSessionTranscriptTests {
    /// A whole registration on InspIRCd with SASL, as the server sends it (CRLF and one bare LF),
    /// then a channel conversation.
    static let transcript = """
        :irc.local NOTICE * :*** Looking up your hostname...\r
        :irc.local CAP * LS * :account-notify account-tag away-notify batch cap-notify chghost echo-message\r
        :irc.local CAP * LS :extended-join labeled-response message-tags sasl=PLAIN server-time \r
        :irc.local CAP tp ACK :message-tags server-time account-tag extended-join account-notify echo-message batch labeled-response sasl\r
        AUTHENTICATE +\r
        :irc.local 900 tp tp!tp@127.0.0.1 tpbot :You are now logged in as tpbot\r
        :irc.local 903 tp :SASL authentication successful\r
        :irc.local 001 tp :Welcome to the Localnet IRC Network tp!tp@127.0.0.1\r
        :irc.local 005 tp CASEMAPPING=rfc1459 CHANTYPES=# NICKLEN=30 PREFIX=(qaohv)~&@%+ WHOX :are supported by this server\r
        :tp!tp@127.0.0.1 JOIN #team tpbot :threadpress\r
        :irc.local 353 tp = #team :@alice tp\r
        :irc.local 354 tp 152 alice alice\r
        PING :irc.local
        @time=2026-11-27T09:14:03.512Z;msgid=m1;account=alice :alice!alice@127.0.0.1 PRIVMSG #team :Grüße 👋 !blog last 5 minutes\r
        @time=2026-11-27T09:14:04.000Z;msgid=m2 :bob!bob@127.0.0.1 JOIN #team * :Bob\r

        """

    static func run(_ pieces: [ArraySlice<UInt8>]) -> [IRCSessionAction] {
        var session = IRCSessionStateMachine(configuration: IRCSessionConfiguration(
            nick: "tp", channels: [IRCChannelJoin("#team")], authentication: .plain(account: "tpbot", password: "pw")))
        let now = ContinuousClock.now
        var framer = IRCLineFramer()
        var actions = session.connected(now: now)
        for piece in pieces {
            for event in framer.feed(piece) {
                guard case .line(let line) = event else { continue }
                actions += session.received(try! IRCMessage(parsing: line), now: now)
            }
        }
        return actions
    }

    @Test func givesTheSameActionsWhateverTheSplit() {
        let bytes = Array(Self.transcript.utf8)
        let whole = Self.run([bytes[...]])
        #expect(SessionHarness.sent(whole) == [
            "CAP LS 302", "NICK tp", "USER tp 0 * tp",
            "CAP REQ :message-tags server-time account-tag extended-join account-notify echo-message batch labeled-response sasl",
            "AUTHENTICATE PLAIN", "AUTHENTICATE dHBib3QAdHBib3QAcHc=", "CAP END", "JOIN #team", "WHO #team %tna,152", "PONG irc.local",
        ])
        #expect(SessionHarness.others(whole) == [
            .loggedIn(account: "tpbot"), .registered(nick: "tp"), .joined(channel: "#team"),
            .learnedHostmask(IRCSource("tp!tp@127.0.0.1")),
            .channelEvent(IRCChannelEvent(kind: .join(account: "tpbot"), channel: "#team", user: IRCSource("tp!tp@127.0.0.1"),
                                          isOwn: true, serverTime: nil, messageID: nil)),
            .chat(IRCChatMessage(kind: .privmsg, channel: "#team", replyTarget: "#team", sender: IRCSource("alice!alice@127.0.0.1"),
                                 account: "alice", text: "Grüße 👋 !blog last 5 minutes", isOwn: false,
                                 serverTime: 1_795_770_843_512, messageID: "m1", replyTo: nil)),
            .channelEvent(IRCChannelEvent(kind: .join(account: nil), channel: "#team", user: IRCSource("bob!bob@127.0.0.1"),
                                          isOwn: false, serverTime: 1_795_770_844_000, messageID: "m2")),
        ])
        #expect(Self.run(bytes.indices.map { bytes[$0...$0] }) == whole)
        for split in 0...bytes.count {
            #expect(Self.run([bytes[..<split], bytes[split...]]) == whole, "split at \(split)")
        }
    }

    @Test func repliesAreSplitToTheLearnedBudgetAndSafe() throws {
        var harness = SessionHarness(IRCSessionConfiguration(nick: "tp", channels: [IRCChannelJoin("#team")]))
        let guess = harness.session.replyBudget(to: "#team")
        harness.registerOnInspIRCd()
        let learned = harness.session.replyBudget(to: "#team")
        #expect(guess == 512 - ":tp!xxxxxxxxxx@\(String(repeating: "h", count: 63)) PRIVMSG #team :".utf8.count - 2)
        #expect(learned == 512 - ":tp!tp@127.0.0.1 PRIVMSG #team :".utf8.count - 2)
        let messages = harness.session.replyMessages(String(repeating: "Grüße\r\nQUIT :x ", count: 80), to: "#team")
        #expect(messages.count > 1)
        for message in messages {
            let wire = try message.serializedLine()
            #expect(wire.count + ":tp!tp@127.0.0.1 ".utf8.count <= 512)
            #expect(wire.filter { $0 == 0x0A || $0 == 0x0D || $0 == 0 }.count == 2)
        }
    }

    @Test func printedActionsNeverShowSecrets() {
        let actions: [IRCSessionAction] = [
            .send(IRCMessage("AUTHENTICATE", "dHBib3QAdHBib3QAaHVudGVyMg==")), .send(IRCMessage("PASS", "hunter2")),
            .send(IRCMessage("AUTHENTICATE", "PLAIN")),
        ]
        let printed = "\(actions)"
        #expect(!printed.contains("hunter2"))
        #expect(!printed.contains("aHVudGVyMg"))
        #expect(printed.contains("AUTHENTICATE <redacted>"))
        #expect(printed.contains("AUTHENTICATE PLAIN"))
        #expect("\(IRCAuthentication.plain(account: "tpbot", password: "hunter2"))" == "SASL PLAIN as tpbot")
        #expect(!String(reflecting: IRCSessionConfiguration(nick: "tp", authentication: .plain(account: "a", password: "hunter2"), serverPassword: "hunter2")).contains("hunter2"))
        #expect("\(IRCMessage("PRIVMSG", "#team", "hello there"))" == "PRIVMSG #team :hello there")
    }
}
