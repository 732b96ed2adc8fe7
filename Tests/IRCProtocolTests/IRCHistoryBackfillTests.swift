import Testing
@testable import IRCProtocol

/// `CHATHISTORY AFTER` backfill in the sans-I/O session: server lines in, actions out, fed time.
/// Lines follow the IRCv3 chathistory specification (as Ergo and soju send them).
@Suite struct IRCHistoryBackfillTests {
    static let configuration = IRCSessionConfiguration(nick: "tp", channels: [IRCChannelJoin("#team")])
    static let allCapabilities = "batch draft/chathistory echo-message message-tags server-time"

    /// Registers with `offered` capabilities (all of them acknowledged), `isupport` tokens, and
    /// `marks` seeded; returns the harness before the bot's own JOIN.
    static func registered(offering offered: String = allCapabilities, isupport: String = "",
                           marks: [String: IRCHistoryMark] = [:], pageSize: Int = 100) -> SessionHarness {
        var configuration = Self.configuration
        configuration.historyPageSize = pageSize
        var harness = SessionHarness(configuration)
        harness.session.restoreHistoryMarks(IRCHistoryMarks(marks))
        _ = harness.connect()
        let request = SessionHarness.sent(harness.feed(":ergo.test CAP * LS :\(offered)"))
        if let line = request.first, line.hasPrefix("CAP REQ :") {
            _ = harness.feed(":ergo.test CAP tp ACK :\(line.dropFirst("CAP REQ :".count))")
        }
        _ = harness.feed(":ergo.test 001 tp :Welcome",
                         ":ergo.test 005 tp CASEMAPPING=rfc1459 CHANTYPES=#\(isupport.isEmpty ? "" : " " + isupport) :are supported by this server")
        return harness
    }

    static let ownJoin = "@time=2026-12-02T08:30:00.000Z;msgid=join1 :tp!tp@127.0.0.1 JOIN #team"

    static func chats(_ actions: [IRCSessionAction]) -> [String] {
        actions.compactMap { action in
            guard case .chat(let chat) = action else { return nil }
            return "\(chat.sender.nick)|\(chat.text)|\(chat.messageID ?? "-")|\(chat.serverTime.map(String.init) ?? "-")"
        }
    }

    static func outcomes(_ actions: [IRCSessionAction]) -> [IRCSessionAction] {
        actions.filter { action in
            switch action {
            case .historyBackfilled, .historyUnavailable: true
            default: false
            }
        }
    }

    @Test func requestsChathistoryWhenOffered() {
        var harness = SessionHarness(Self.configuration)
        _ = harness.connect()
        let request = harness.feed(":ergo.test CAP * LS :batch draft/chathistory message-tags server-time sasl")
        #expect(SessionHarness.sent(request) == ["CAP REQ :message-tags server-time batch draft/chathistory"])
    }

    struct RequestCase: Sendable, CustomTestStringConvertible {
        var name: String
        var offered: String
        var isupport: String
        var mark: IRCHistoryMark?
        var pageSize: Int
        /// What the bot sends after its own JOIN.
        var expected: [String]
        var testDescription: String { name }
    }

    static let requestCases: [RequestCase] = [
        RequestCase(name: "msgid known", offered: allCapabilities, isupport: "",
                    mark: IRCHistoryMark(messageID: "m41", serverTime: 1_796_200_000_000), pageSize: 100,
                    expected: ["CHATHISTORY AFTER #team msgid=m41 100"]),
        RequestCase(name: "only a time known", offered: allCapabilities, isupport: "",
                    mark: IRCHistoryMark(messageID: nil, serverTime: 1_796_200_000_512), pageSize: 100,
                    expected: ["CHATHISTORY AFTER #team timestamp=2026-12-02T08:26:40.512Z 100"]),
        RequestCase(name: "a msgid that is not one parameter falls back to the time", offered: allCapabilities, isupport: "",
                    mark: IRCHistoryMark(messageID: "a b", serverTime: 0), pageSize: 100,
                    expected: ["CHATHISTORY AFTER #team timestamp=1970-01-01T00:00:00.000Z 100"]),
        RequestCase(name: "ISUPPORT CHATHISTORY lowers the page", offered: allCapabilities, isupport: "CHATHISTORY=25",
                    mark: IRCHistoryMark(messageID: "m41", serverTime: nil), pageSize: 100,
                    expected: ["CHATHISTORY AFTER #team msgid=m41 25"]),
        RequestCase(name: "CHATHISTORY=0 means no server limit", offered: allCapabilities, isupport: "CHATHISTORY=0",
                    mark: IRCHistoryMark(messageID: "m41", serverTime: nil), pageSize: 50,
                    expected: ["CHATHISTORY AFTER #team msgid=m41 50"]),
        RequestCase(name: "ratified chathistory cap name", offered: "batch chathistory message-tags server-time", isupport: "",
                    mark: IRCHistoryMark(messageID: "m41", serverTime: nil), pageSize: 100,
                    expected: ["CHATHISTORY AFTER #team msgid=m41 100"]),
        RequestCase(name: "nothing seen yet: no backfill", offered: allCapabilities, isupport: "",
                    mark: nil, pageSize: 100, expected: []),
        RequestCase(name: "cap not offered (ngircd, InspIRCd 3)", offered: "batch message-tags server-time", isupport: "",
                    mark: IRCHistoryMark(messageID: "m41", serverTime: nil), pageSize: 100, expected: []),
        RequestCase(name: "no batch cap", offered: "draft/chathistory message-tags server-time", isupport: "",
                    mark: IRCHistoryMark(messageID: "m41", serverTime: nil), pageSize: 100, expected: []),
        RequestCase(name: "no server-time cap", offered: "batch draft/chathistory message-tags", isupport: "",
                    mark: IRCHistoryMark(messageID: "m41", serverTime: nil), pageSize: 100, expected: []),
        RequestCase(name: "page size 0 turns it off", offered: allCapabilities, isupport: "",
                    mark: IRCHistoryMark(messageID: "m41", serverTime: nil), pageSize: 0, expected: []),
    ]

    @Test(arguments: requestCases)
    func asksForWhatWasMissedAfterItsOwnJoin(_ example: RequestCase) {
        var harness = Self.registered(offering: example.offered, isupport: example.isupport,
                                      marks: example.mark.map { ["#team": $0] } ?? [:], pageSize: example.pageSize)
        let actions = harness.feed(Self.ownJoin)
        #expect(SessionHarness.sent(actions).filter { $0.hasPrefix("CHATHISTORY") } == example.expected)
        #expect(harness.session.isBackfilling("#team") == !example.expected.isEmpty)
    }

    @Test func deliversABatchWithOriginalTimesAndIDsThenHeldLiveLines() {
        var harness = Self.registered(marks: ["#team": IRCHistoryMark(messageID: "m1", serverTime: 1_796_200_000_000)])
        let join = harness.feed(Self.ownJoin)
        // The bot's own JOIN event is held with the live lines: it comes after the history.
        #expect(!join.contains { if case .channelEvent = $0 { true } else { false } })
        // A live line while the answer is on its way is held back.
        #expect(harness.feed("@time=2026-12-02T08:30:01.000Z;msgid=m5 :carol!c@h PRIVMSG #team :live line") == [])
        #expect(harness.feed("BATCH +h1 chathistory #team") == [])
        let history = harness.feed(
            "@batch=h1;time=2026-12-02T08:20:00.000Z;msgid=m2 :alice!a@h PRIVMSG #team :said while away",
            "@batch=h1;time=2026-12-02T08:21:00.000Z;msgid=m3 :bob!b@h NOTICE #team :a notice",
            "@batch=h1;time=2026-12-02T08:22:00.000Z;msgid=m4 :alice!a@h PRIVMSG #team :\u{1}ACTION waves\u{1}")
        #expect(Self.chats(history) == ["alice|said while away|m2|1796199600000", "bob|a notice|m3|1796199660000",
                                        "alice|waves|m4|1796199720000"])
        let end = harness.feed("BATCH -h1")
        #expect(Self.outcomes(end) == [.historyBackfilled(channel: "#team", messages: 3)])
        #expect(Self.chats(end) == ["carol|live line|m5|1796200201000"])
        #expect(end.contains { if case .channelEvent(let event) = $0 { event.isOwn } else { false } })
        #expect(harness.session.historyMarks["#team"] == IRCHistoryMark(messageID: "m5", serverTime: 1_796_200_201_000))
        #expect(!harness.session.isBackfilling("#team"))
        // After the backfill, live lines pass at once.
        #expect(Self.chats(harness.feed("@time=2026-12-02T08:30:02.000Z;msgid=m6 :carol!c@h PRIVMSG #team :next")) == ["carol|next|m6|1796200202000"])
    }

    @Test func asksAgainAfterAFullPageUntilAShortOne() {
        var harness = Self.registered(isupport: "CHATHISTORY=2", marks: ["#team": IRCHistoryMark(messageID: "m1", serverTime: nil)])
        #expect(SessionHarness.sent(harness.feed(Self.ownJoin)).last == "CHATHISTORY AFTER #team msgid=m1 2")
        _ = harness.feed("BATCH +p1 chathistory #team",
                         "@batch=p1;time=2026-12-02T08:20:00.000Z;msgid=m2 :alice!a@h PRIVMSG #team :one",
                         "@batch=p1;time=2026-12-02T08:20:01.000Z;msgid=m3 :alice!a@h PRIVMSG #team :two")
        #expect(SessionHarness.sent(harness.feed("BATCH -p1")) == ["CHATHISTORY AFTER #team msgid=m3 2"])
        _ = harness.feed("BATCH +p2 chathistory #team",
                         "@batch=p2;time=2026-12-02T08:20:02.000Z;msgid=m4 :alice!a@h PRIVMSG #team :three",
                         "@batch=p2;time=2026-12-02T08:20:03.000Z;msgid=m5 :alice!a@h PRIVMSG #team :four")
        #expect(SessionHarness.sent(harness.feed("BATCH -p2")) == ["CHATHISTORY AFTER #team msgid=m5 2"])
        let last = harness.feed("BATCH +p3 chathistory #team",
                                "@batch=p3;time=2026-12-02T08:20:04.000Z;msgid=m6 :alice!a@h PRIVMSG #team :five", "BATCH -p3")
        #expect(SessionHarness.sent(last) == [])
        #expect(Self.outcomes(last) == [.historyBackfilled(channel: "#team", messages: 5)])
        #expect(harness.session.historyMarks["#team"]?.messageID == "m6")
    }

    @Test func anEmptyBatchEndsTheBackfill() {
        var harness = Self.registered(marks: ["#team": IRCHistoryMark(messageID: "m1", serverTime: nil)])
        _ = harness.feed(Self.ownJoin)
        let end = harness.feed("BATCH +e chathistory #team", "BATCH -e")
        #expect(Self.outcomes(end) == [.historyBackfilled(channel: "#team", messages: 0)])
        #expect(harness.session.historyMarks["#team"] == IRCHistoryMark(messageID: "m1", serverTime: nil))
    }

    @Test func oldCommandsInHistoryAreNeverActedOn() {
        var harness = Self.registered(marks: ["#team": IRCHistoryMark(messageID: "m1", serverTime: nil)])
        _ = harness.feed(Self.ownJoin)
        let history = harness.feed(
            "BATCH +h chathistory #team",
            "@batch=h;time=2026-12-02T08:20:00.000Z;msgid=m2 :mallory!m@h PRIVMSG #team :\u{1}VERSION\u{1}",
            "@batch=h;time=2026-12-02T08:20:01.000Z;msgid=m3 :tp!tp@127.0.0.1 KICK #team tp :old kick",
            "@batch=h;time=2026-12-02T08:20:02.000Z;msgid=m4 :dave!d@h JOIN #team",
            "@batch=h;time=2026-12-02T08:20:03.000Z;msgid=m5 :tp!tp@127.0.0.1 PRIVMSG #team :the bot said this",
            "BATCH -h")
        #expect(SessionHarness.sent(history) == [])  // no CTCP answer to an old request
        #expect(harness.session.joinedChannels["#team"] == "#team")  // an old KICK did not remove the bot
        #expect(harness.session.members(of: "#team") == ["tp"])  // an old JOIN added nobody
        let chats = history.compactMap { if case .chat(let chat) = $0 { chat } else { nil } }
        #expect(chats.map(\.text) == ["the bot said this"])
        #expect(chats.first?.isOwn == true)
        #expect(Self.outcomes(history) == [.historyBackfilled(channel: "#team", messages: 1)])
    }

    @Test func aHistoryLineCarriesOnlyTheAccountTheServerRecordedWithIt() {
        // Without account-tag the bot tracks accounts by nick; an old line must not borrow the
        // account of whoever holds that nick now.
        var harness = Self.registered(offering: "batch draft/chathistory extended-join message-tags server-time",
                                      marks: ["#team": IRCHistoryMark(messageID: "m1", serverTime: nil)])
        _ = harness.feed(Self.ownJoin, ":clark!c@h JOIN #team clarkaccount :Clark")
        #expect(harness.session.trackedAccount(of: "clark") == .some("clarkaccount"))
        let history = harness.feed(
            "BATCH +h chathistory #team",
            "@batch=h;time=2026-12-02T08:20:00.000Z;msgid=m2 :clark!x@elsewhere PRIVMSG #team :!approve 1",
            "BATCH -h")
        let chats = history.compactMap { if case .chat(let chat) = $0 { chat } else { nil } }
        #expect(chats.map(\.text) == ["!approve 1"])
        #expect(chats.map(\.account) == [nil])
        // With account-tag, the tag on the history line is the account.
        var tagged = Self.registered(offering: "account-tag batch draft/chathistory message-tags server-time",
                                     marks: ["#team": IRCHistoryMark(messageID: "m1", serverTime: nil)])
        _ = tagged.feed(Self.ownJoin)
        let taggedHistory = tagged.feed(
            "BATCH +h chathistory #team",
            "@batch=h;time=2026-12-02T08:20:00.000Z;msgid=m2;account=clarkaccount :clark!c@h PRIVMSG #team :!approve 1",
            "@batch=h;time=2026-12-02T08:20:01.000Z;msgid=m3 :mallory!m@h PRIVMSG #team :!approve 2",
            "BATCH -h")
        #expect(taggedHistory.compactMap { if case .chat(let chat) = $0 { chat.account ?? "-" } else { nil } } == ["clarkaccount", "-"])
        #expect(tagged.session.trackedAccount(of: "clark") == nil)  // an old tag is not current tracking
    }

    struct FailCase: Sendable, CustomTestStringConvertible {
        var line: String
        var expectedSent: [String]
        var expectedOutcome: [IRCSessionAction]
        var testDescription: String { line }
    }

    static let failCases: [FailCase] = [
        FailCase(line: ":ergo.test FAIL CHATHISTORY INVALID_TARGET AFTER #team :Messages could not be retrieved",
                 expectedSent: [],
                 expectedOutcome: [.historyUnavailable(channel: "#team", reason: "FAIL CHATHISTORY INVALID_TARGET: Messages could not be retrieved")]),
        FailCase(line: ":ergo.test FAIL CHATHISTORY MESSAGE_ERROR AFTER #team :Messages could not be retrieved",
                 expectedSent: [],
                 expectedOutcome: [.historyUnavailable(channel: "#team", reason: "FAIL CHATHISTORY MESSAGE_ERROR: Messages could not be retrieved")]),
        // No target named, one backfill pending: it is that one.
        FailCase(line: ":ergo.test FAIL CHATHISTORY INVALID_PARAMS :Bad parameters",
                 expectedSent: [],
                 expectedOutcome: [.historyUnavailable(channel: "#team", reason: "FAIL CHATHISTORY INVALID_PARAMS: Bad parameters")]),
        // The msgid expired from the server's history: ask again by time.
        FailCase(line: ":ergo.test FAIL CHATHISTORY INVALID_MSGREFID AFTER #team msgid=m1 :Unknown msgid",
                 expectedSent: ["CHATHISTORY AFTER #team timestamp=2026-12-02T08:26:40.000Z 100"], expectedOutcome: []),
        // Another command's failure is none of the backfill's business.
        FailCase(line: ":ergo.test FAIL REGISTER ACCOUNT_EXISTS tp :Account already exists", expectedSent: [], expectedOutcome: []),
    ]

    @Test(arguments: failCases)
    func serverFailuresEndOrRetryTheBackfill(_ example: FailCase) {
        var harness = Self.registered(marks: ["#team": IRCHistoryMark(messageID: "m1", serverTime: 1_796_200_000_000)])
        _ = harness.feed(Self.ownJoin)
        _ = harness.feed("@time=2026-12-02T08:30:01.000Z;msgid=m9 :carol!c@h PRIVMSG #team :held")
        let actions = harness.feed(example.line)
        #expect(SessionHarness.sent(actions) == example.expectedSent)
        #expect(Self.outcomes(actions) == example.expectedOutcome)
        // Ended: the held line follows the outcome. Retried or unrelated: still held.
        #expect(Self.chats(actions) == (example.expectedOutcome.isEmpty ? [] : ["carol|held|m9|1796200201000"]))
        #expect(harness.session.isBackfilling("#team") == example.expectedOutcome.isEmpty)
    }

    @Test func anUnansweredRequestTimesOutAndReleasesHeldLines() {
        var harness = Self.registered(marks: ["#team": IRCHistoryMark(messageID: "m1", serverTime: nil)])
        _ = harness.feed(Self.ownJoin)
        _ = harness.feed("@time=2026-12-02T08:30:01.000Z;msgid=m9 :carol!c@h PRIVMSG #team :held")
        #expect(harness.session.nextDeadline == harness.start.advanced(by: .seconds(30)))
        #expect(Self.outcomes(harness.advance(seconds: 29.9)) == [])
        let expired = harness.advance(seconds: 0.1)
        #expect(Self.outcomes(expired) == [.historyUnavailable(channel: "#team", reason: "no answer to CHATHISTORY within 30 s")])
        #expect(Self.chats(expired) == ["carol|held|m9|1796200201000"])
    }

    @Test func marksSurviveAReconnectAndTheNextJoinAsksFromTheNewest() {
        var harness = Self.registered(marks: ["#team": IRCHistoryMark(messageID: "m1", serverTime: nil)])
        _ = harness.feed(Self.ownJoin, "BATCH +a chathistory #team", "BATCH -a",
                         "@time=2026-12-02T08:30:05.000Z;msgid=m7 :carol!c@h PRIVMSG #team :seen live")
        // The link drops in the middle of a second backfill; its batch and held lines go with it.
        harness.session.disconnected()
        _ = harness.connect()
        _ = harness.feed(":ergo.test CAP * LS :\(Self.allCapabilities)",
                         ":ergo.test CAP tp ACK :message-tags server-time echo-message batch draft/chathistory",
                         ":ergo.test 001 tp :Welcome")
        #expect(SessionHarness.sent(harness.feed(Self.ownJoin)) == ["CHATHISTORY AFTER #team msgid=m7 100"])
        // A batch reference from the old connection is not a history batch any more.
        #expect(Self.chats(harness.feed("@batch=a;time=2026-12-02T08:30:06.000Z;msgid=m8 :x!x@h PRIVMSG #team :hi")) == [])
    }

    @Test func aHistoryLineOlderThanTheMarkNeverMovesItBack() {
        var marks = IRCHistoryMarks(["#team": IRCHistoryMark(messageID: "new", serverTime: 2000)])
        let old = IRCChatMessage(kind: .privmsg, channel: "#team", replyTarget: "#team", sender: IRCSource("a!a@h"), account: nil,
                                 text: "", isOwn: false, serverTime: 1000, messageID: "old", replyTo: nil)
        let movedByOld = marks.record(old)
        #expect(!movedByOld)
        #expect(marks["#team"]?.messageID == "new")
        var newer = old
        newer.serverTime = 3000
        newer.messageID = "newer"
        let movedByNewer = marks.record(newer)
        let movedAgain = marks.record(newer)  // the same line twice does not move it
        #expect(movedByNewer && !movedAgain)
        var privateMessage = newer
        privateMessage.channel = nil
        privateMessage.serverTime = 4000
        let movedByPrivate = marks.record(privateMessage)
        #expect(!movedByPrivate)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"), (1_796_200_000_512, "2026-12-02T08:26:40.512Z"),
        (951_782_400_001, "2000-02-29T00:00:00.001Z"), (-1, "1969-12-31T23:59:59.999Z"),
    ])
    func formatsServerTimeBothWays(_ milliseconds: Int64, _ text: String) {
        #expect(IRCEncoding.iso8601(milliseconds: milliseconds) == text)
        #expect(IRCEncoding.milliseconds(iso8601: text) == milliseconds)
    }

    /// A reconnect to a chathistory server as it arrives on the wire: two pages, a live line held
    /// in between, an old CTCP request in history.
    static let transcript = """
        :ergo.test CAP * LS :batch draft/chathistory echo-message message-tags server-time\r
        :ergo.test CAP tp ACK :message-tags server-time echo-message batch draft/chathistory\r
        :ergo.test 001 tp :Welcome\r
        :ergo.test 005 tp CASEMAPPING=rfc1459 CHANTYPES=# CHATHISTORY=2 :are supported by this server\r
        @time=2026-12-02T08:30:00.000Z;msgid=j1 :tp!tp@127.0.0.1 JOIN #team\r
        @time=2026-12-02T08:30:00.500Z;msgid=m9 :carol!c@h PRIVMSG #team :live Grüße 👋\r
        :ergo.test BATCH +p1 chathistory #team\r
        @batch=p1;time=2026-12-02T08:20:00.000Z;msgid=m2 :alice!a@h PRIVMSG #team :one\r
        @batch=p1;time=2026-12-02T08:20:01.000Z;msgid=m3 :mallory!m@h PRIVMSG #team :\u{1}VERSION\u{1}\r
        :ergo.test BATCH -p1
        :ergo.test BATCH +p2 chathistory #team\r
        @batch=p2;time=2026-12-02T08:20:02.000Z;msgid=m4 :bob!b@h PRIVMSG #team :two\r
        :ergo.test BATCH -p2\r

        """

    static func run(_ pieces: [ArraySlice<UInt8>]) -> [IRCSessionAction] {
        var session = IRCSessionStateMachine(configuration: configuration)
        session.restoreHistoryMarks(IRCHistoryMarks(["#team": IRCHistoryMark(messageID: "m1", serverTime: 1_796_199_000_000)]))
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

    @Test func givesTheSameBackfillWhateverTheSplit() {
        let bytes = Array(Self.transcript.utf8)
        let whole = Self.run([bytes[...]])
        #expect(SessionHarness.sent(whole) == [
            "CAP LS 302", "NICK tp", "USER tp 0 * tp", "CAP REQ :message-tags server-time echo-message batch draft/chathistory",
            "CAP END", "JOIN #team", "CHATHISTORY AFTER #team msgid=m1 2", "CHATHISTORY AFTER #team msgid=m3 2",
        ])
        #expect(Self.chats(whole) == ["alice|one|m2|1796199600000", "bob|two|m4|1796199602000", "carol|live Grüße 👋|m9|1796200200500"])
        #expect(Self.outcomes(whole) == [.historyBackfilled(channel: "#team", messages: 2)])
        #expect(Self.run(bytes.indices.map { bytes[$0...$0] }) == whole)
        for split in 0...bytes.count {
            #expect(Self.run([bytes[..<split], bytes[split...]]) == whole, "split at \(split)")
        }
    }
}
