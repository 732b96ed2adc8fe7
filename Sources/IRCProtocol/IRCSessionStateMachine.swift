/// The IRC client session, sans-I/O: registration with `CAP LS 302` and SASL, nick fallback and
/// regain, joining channels, PING/PONG both ways and a liveness timer, CTCP VERSION/PING, rejoin
/// after a kick, turning server lines into chat messages and channel events with accounts, and
/// `CHATHISTORY` backfill after each (re)join where the server offers `draft/chathistory`
/// (``historyMarks``, IRCSessionStateMachine+History.swift).
///
/// One owner drives it: call ``connected(now:)`` when the byte stream is up, ``received(_:now:)``
/// for each parsed line, and ``tick(now:)`` when ``nextDeadline`` passes; perform the returned
/// actions in order. Time is a `ContinuousClock.Instant` passed in, so tests feed time.
///
/// ```swift
/// var session = IRCSessionStateMachine(configuration: config)
/// write(session.connected(now: clock.now))
/// for event in framer.feed(bytes) { if case .line(let l) = event { write(session.received(try IRCMessage(parsing: l), now: clock.now)) } }
/// ```
public struct IRCSessionStateMachine: Sendable {
    public enum Phase: Hashable, Sendable {
        /// Not connected (before ``connected(now:)`` or after a fatal error).
        case disconnected
        /// CAP/SASL/NICK/USER in progress.
        case registering
        /// 001 received.
        case registered
    }

    /// Capabilities requested whenever the server offers them (`sasl` only with ``IRCAuthentication``).
    public static let wantedCapabilities: [String] = [
        "message-tags", "server-time", "account-tag", "extended-join", "account-notify", "echo-message",
        "batch", "labeled-response", "sasl", "draft/chathistory", "chathistory",
    ]

    public let configuration: IRCSessionConfiguration
    public private(set) var phase: Phase = .disconnected
    /// The nick the server knows the bot by (during registration: the one last tried).
    public private(set) var nick: String
    /// The bot's `nick!user@host` as learned from its own JOIN, `nil` until then.
    public private(set) var hostmask: IRCSource?
    /// ISUPPORT of the current connection.
    public private(set) var serverSupport = IRCServerSupport()
    /// Capabilities enabled on the current connection.
    public private(set) var enabledCapabilities: Set<String> = []
    /// The account SASL logged the bot in to, if any.
    public private(set) var account: String?
    /// Channels the bot is in (configured spelling when it matches one), by folded name.
    public private(set) var joinedChannels: [String: String] = [:]

    private var offeredCapabilities: [String: String] = [:]
    private var pendingCapabilityRequests = 0
    private var capabilityNegotiationEnded = false
    private var saslInProgress = false
    private var nickCandidates: [String] = []
    private var nickCandidateIndex = 0
    private var lastReceived: ContinuousClock.Instant?
    private var connectedAt: ContinuousClock.Instant?
    private var pingSentAt: ContinuousClock.Instant?
    private var pingCounter = 0
    private var declaredDead = false
    private var nextNickRegain: ContinuousClock.Instant?
    private var rejoinAt: [String: (name: String, at: ContinuousClock.Instant)] = [:]
    private var ctcpReplyAllowedAt: ContinuousClock.Instant?
    /// Members of each joined channel (folded channel → folded nick → nick as shown).
    private var members: [String: [String: String]] = [:]
    /// Services accounts by folded nick; `nil` value = known to be logged out.
    private var accounts: [String: String?] = [:]
    /// Marks, requests and held lines of `CHATHISTORY` backfills (IRCSessionStateMachine+History.swift).
    var history = IRCHistoryBackfillState()

    public init(configuration: IRCSessionConfiguration) {
        self.configuration = configuration
        nick = configuration.nick
    }

    private var caseMapping: IRCCaseMapping { serverSupport.caseMapping }
    func fold(_ name: String) -> String { caseMapping.lowercased(name) }
    private func isMe(_ name: String) -> Bool { caseMapping.equals(name, nick) }

    /// The tracked services account of `nick`: `.some(nil)` when known logged out, `nil` when unknown.
    public func trackedAccount(of nick: String) -> String?? { accounts[fold(nick)] }

    /// The members of `channel` as last seen.
    public func members(of channel: String) -> [String] { members[fold(channel)].map { Array($0.values).sorted() } ?? [] }

    /// The reply budget for `target` now: from the learned hostmask (a conservative guess before
    /// the bot's own JOIN showed it) and the server's `LINELEN`.
    public func replyBudget(to target: String, command: String = "PRIVMSG", splitter: IRCReplySplitter = IRCReplySplitter()) -> Int {
        splitter.budget(nick: nick, hostmask: hostmask, command: command, target: target, lineLength: serverSupport.lineLength)
    }

    /// `text` as PRIVMSG (or NOTICE) lines to `target`, sanitised and split to the current budget;
    /// each is safe to serialise (no CR, LF or NUL can reach it).
    public func replyMessages(_ text: String, to target: String, command: String = "PRIVMSG",
                              splitter: IRCReplySplitter = IRCReplySplitter()) -> [IRCMessage] {
        let budget = replyBudget(to: target, command: command, splitter: splitter)
        return splitter.split(text, budget: budget).map { IRCMessage(command, target, $0) }
    }

    // MARK: - Events in

    /// The byte stream is up: start registration. Resets everything learned on a previous connection.
    public mutating func connected(now: ContinuousClock.Instant) -> [IRCSessionAction] {
        phase = .registering
        nick = configuration.nick
        hostmask = nil
        serverSupport = IRCServerSupport()
        enabledCapabilities = []
        offeredCapabilities = [:]
        pendingCapabilityRequests = 0
        capabilityNegotiationEnded = false
        saslInProgress = false
        account = nil
        joinedChannels = [:]
        members = [:]
        accounts = [:]
        rejoinAt = [:]
        nextNickRegain = nil
        pingSentAt = nil
        declaredDead = false
        history.connectionEnded()
        lastReceived = now
        connectedAt = now
        nickCandidates = Self.nickCandidates(for: configuration)
        nickCandidateIndex = 0
        var actions: [IRCSessionAction] = [.send(IRCMessage("CAP", "LS", "302"))]
        if let password = configuration.serverPassword { actions.append(.send(IRCMessage("PASS", password))) }
        actions.append(.send(IRCMessage("NICK", nick)))
        actions.append(.send(IRCMessage("USER", configuration.username, "0", "*", configuration.realname)))
        return actions
    }

    /// The connection closed (by either side): timers stop until the next ``connected(now:)``.
    public mutating func disconnected() {
        phase = .disconnected
        joinedChannels = [:]
        members = [:]
        pingSentAt = nil
        lastReceived = nil
        connectedAt = nil
        history.connectionEnded()
    }

    /// Time passed: liveness, registration timeout, nick regain, rejoins.
    public mutating func tick(now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard phase != .disconnected, !declaredDead else { return [] }
        var actions: [IRCSessionAction] = []
        let timing = configuration.timing
        if phase == .registering, let connectedAt, connectedAt.advanced(by: timing.registrationTimeout) <= now {
            declaredDead = true
            return [.disconnect(reason: "registration did not finish within \(Self.describe(timing.registrationTimeout))")]
        }
        if let pingSentAt {
            if pingSentAt.advanced(by: timing.deadAfterPing) <= now {
                declaredDead = true
                return [.disconnect(reason: "no answer from the server for \(Self.describe(timing.pingAfterSilence + timing.deadAfterPing))")]
            }
        } else if let lastReceived, lastReceived.advanced(by: timing.pingAfterSilence) <= now {
            pingCounter += 1
            pingSentAt = now
            actions.append(.send(IRCMessage("PING", "threadpress-\(pingCounter)")))
        }
        guard phase == .registered else { return actions }
        actions += expireBackfills(now: now)
        if let regain = nextNickRegain, regain <= now {
            if isMe(configuration.nick) || serverSupport.nickLength.map({ configuration.nick.utf8.count > $0 }) == true {
                nextNickRegain = nil
            } else {
                nextNickRegain = now.advanced(by: timing.nickRegainInterval)
                actions.append(.send(IRCMessage("NICK", configuration.nick)))
            }
        }
        let due = rejoinAt.filter { $0.value.at <= now }
        if !due.isEmpty {
            for key in due.keys { rejoinAt[key] = nil }
            let joins = due.values.map(\.name).sorted().map { name in
                IRCChannelJoin(name, key: configuration.channels.first { caseMapping.equals($0.name, name) }?.key)
            }
            actions += Self.joinMessages(for: joins).map(IRCSessionAction.send)
        }
        return actions
    }

    /// When ``tick(now:)`` should next be called, or `nil` when no timer runs.
    public var nextDeadline: ContinuousClock.Instant? {
        guard phase != .disconnected, !declaredDead else { return nil }
        let timing = configuration.timing
        var deadlines: [ContinuousClock.Instant] = []
        if phase == .registering, let connectedAt { deadlines.append(connectedAt.advanced(by: timing.registrationTimeout)) }
        if let pingSentAt {
            deadlines.append(pingSentAt.advanced(by: timing.deadAfterPing))
        } else if let lastReceived {
            deadlines.append(lastReceived.advanced(by: timing.pingAfterSilence))
        }
        if phase == .registered {
            if let nextNickRegain { deadlines.append(nextNickRegain) }
            deadlines += rejoinAt.values.map(\.at)
            if let historyDeadline { deadlines.append(historyDeadline) }
        }
        return deadlines.min()
    }

    /// One line from the server.
    public mutating func received(_ message: IRCMessage, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard phase != .disconnected else { return [] }
        lastReceived = now
        pingSentAt = nil
        if let batch = message.tag("batch"), history.batches[batch] != nil {
            return receivedHistoryLine(message, batch: batch, now: now)
        }
        return holdingLinesDuringBackfill(receivedLive(message, now: now))
    }

    private mutating func receivedLive(_ message: IRCMessage, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        if let account = message.tag("account"), let source = message.source, enabledCapabilities.contains("account-tag") {
            accounts[fold(source.nick)] = .some(account)
        }
        switch message.command.uppercased() {
        case "PING":
            return [.send(IRCMessage(command: "PONG", parameters: message.parameters))]
        case "PONG":
            return []
        case "CAP":
            return handleCapability(message)
        case "AUTHENTICATE":
            return handleAuthenticate(message)
        case "001":
            return handleWelcome(message, now: now)
        case "005":
            serverSupport.apply(message)
            return []
        case "432", "433", "436", "437":
            return handleNickUnavailable(message, now: now)
        case "900":
            if let account = message[parameter: 2] { self.account = account }
            return []
        case "903", "907":
            saslInProgress = false
            return (account.map { [IRCSessionAction.loggedIn(account: $0)] } ?? []) + endCapabilityNegotiationIfDone()
        case "902", "904", "905", "906", "908":
            return handleSASLFailure(message)
        case "464":
            phase = .disconnected
            return [.fatal(IRCSessionError(.passwordMismatch,
                "the IRC server refused the server password (464); check chat.irc.server_password", isPermanent: true))]
        case "465":
            phase = .disconnected
            return [.fatal(IRCSessionError(.banned,
                "the IRC server says this client is banned (465): \(message.parameters.last ?? "")", isPermanent: true))]
        case "ERROR":
            declaredDead = true
            return [.disconnect(reason: "server closed the link: \(message.parameters.last ?? "")")]
        case "NICK":
            return handleNick(message, now: now)
        case "JOIN":
            return handleJoin(message, now: now)
        case "PART":
            return handlePart(message)
        case "KICK":
            return handleKick(message, now: now)
        case "QUIT":
            return handleQuit(message, now: now)
        case "TOPIC":
            return handleTopic(message)
        case "332":
            guard let channel = message[parameter: 1], let topic = message[parameter: 2], isJoined(channel) else { return [] }
            return [.channelEvent(IRCChannelEvent(kind: .topic(topic), channel: canonicalChannel(channel),
                user: message.source ?? IRCSource("server"), isOwn: false, serverTime: serverTime(message), messageID: nil))]
        case "353":
            handleNames(message)
            return []
        case "354":
            handleWHOX(message)
            return []
        case "ACCOUNT":
            if let source = message.source, let name = message[parameter: 0] {
                accounts[fold(source.nick)] = name == "*" ? .some(nil) : .some(name)
            }
            return []
        case "471", "473", "474", "475", "477", "403", "405":
            return handleJoinRefused(message, now: now)
        case "PRIVMSG", "NOTICE":
            return handleChat(message, now: now)
        case "BATCH":
            return handleBatch(message, now: now)
        case "FAIL":
            return handleFail(message, now: now)
        default:
            return []
        }
    }

    /// `90 s`, `1.5 s`.
    static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds) s" }
        return "\(Double(seconds) + Double(attoseconds) / 1e18) s"
    }

    // MARK: - Registration

    private mutating func handleCapability(_ message: IRCMessage) -> [IRCSessionAction] {
        guard let subcommand = message[parameter: 1]?.uppercased() else { return [] }
        let more = message.parameters.count >= 4 && message.parameters[2] == "*"
        let list = message.parameters.last ?? ""
        let capabilities = list.split(separator: " ").map(String.init)
        switch subcommand {
        case "LS":
            for capability in capabilities { record(offered: capability) }
            guard !more, phase == .registering, !capabilityNegotiationEnded else { return [] }
            return request(capabilities: Array(offeredCapabilities.keys), duringRegistration: true)
        case "NEW":
            for capability in capabilities { record(offered: capability) }
            let names = capabilities.map { String($0.split(separator: "=", maxSplits: 1)[0]) }
            return request(capabilities: names.filter { $0 != "sasl" }, duringRegistration: false)
        case "DEL":
            for capability in capabilities {
                offeredCapabilities[capability] = nil
                enabledCapabilities.remove(capability)
            }
            return []
        case "ACK":
            pendingCapabilityRequests = max(0, pendingCapabilityRequests - 1)
            var actions: [IRCSessionAction] = []
            for capability in capabilities {
                if capability.hasPrefix("-") {
                    enabledCapabilities.remove(String(capability.dropFirst()))
                } else {
                    enabledCapabilities.insert(capability)
                }
            }
            if capabilities.contains("sasl"), phase == .registering, let authentication = configuration.authentication {
                saslInProgress = true
                actions.append(.send(IRCMessage("AUTHENTICATE", authentication.mechanism)))
            }
            return actions + endCapabilityNegotiationIfDone()
        case "NAK":
            pendingCapabilityRequests = max(0, pendingCapabilityRequests - 1)
            if capabilities.contains("sasl"), configuration.authentication != nil, phase == .registering {
                return saslUnavailable("the IRC server refused the SASL capability")
            }
            return endCapabilityNegotiationIfDone()
        default:
            return []
        }
    }

    private mutating func record(offered capability: String) {
        let parts = capability.split(separator: "=", maxSplits: 1)
        guard let name = parts.first else { return }
        offeredCapabilities[String(name)] = parts.count > 1 ? String(parts[1]) : ""
    }

    private mutating func request(capabilities offered: [String], duringRegistration: Bool) -> [IRCSessionAction] {
        let wanted = Self.wantedCapabilities.filter { name in
            guard offered.contains(name), !enabledCapabilities.contains(name) else { return false }
            return name != "sasl" || configuration.authentication != nil
        }
        if duringRegistration, let authentication = configuration.authentication {
            guard let mechanisms = offeredCapabilities["sasl"] else {
                return saslUnavailable("the IRC server does not offer SASL (is its services package linked?)")
            }
            if !mechanisms.isEmpty, !mechanisms.uppercased().split(separator: ",").contains(Substring(authentication.mechanism)) {
                return saslUnavailable("the IRC server offers SASL \(mechanisms), not \(authentication.mechanism)")
            }
        }
        guard !wanted.isEmpty else { return duringRegistration ? endCapabilityNegotiationIfDone() : [] }
        pendingCapabilityRequests += 1
        return [.send(IRCMessage("CAP", "REQ", wanted.joined(separator: " ")))]
    }

    private mutating func saslUnavailable(_ reason: String) -> [IRCSessionAction] {
        phase = .disconnected
        return [.fatal(IRCSessionError(.saslUnavailable,
            "\(reason); the bot is configured to log in with SASL, so it will not continue without its account",
            isPermanent: false))]
    }

    private mutating func endCapabilityNegotiationIfDone() -> [IRCSessionAction] {
        guard phase == .registering, !capabilityNegotiationEnded, pendingCapabilityRequests == 0, !saslInProgress else { return [] }
        capabilityNegotiationEnded = true
        return [.send(IRCMessage("CAP", "END"))]
    }

    private mutating func handleAuthenticate(_ message: IRCMessage) -> [IRCSessionAction] {
        guard saslInProgress, message[parameter: 0] == "+", let authentication = configuration.authentication else { return [] }
        switch authentication {
        case .external:
            return [.send(IRCMessage("AUTHENTICATE", "+"))]
        case .plain(let account, let password):
            let payload = Array(account.utf8) + [0] + Array(account.utf8) + [0] + Array(password.utf8)
            return Self.authenticateChunks(IRCEncoding.base64(payload)).map(IRCSessionAction.send)
        }
    }

    /// `AUTHENTICATE` lines for a Base64 payload: 400-byte chunks, then `+` when the last chunk was
    /// exactly 400 bytes (or the payload was empty).
    static func authenticateChunks(_ encoded: String) -> [IRCMessage] {
        let bytes = Array(encoded.utf8)
        var messages: [IRCMessage] = []
        var index = 0
        while index < bytes.count {
            let end = min(index + 400, bytes.count)
            messages.append(IRCMessage("AUTHENTICATE", String(decoding: bytes[index..<end], as: UTF8.self)))
            index = end
        }
        if bytes.count % 400 == 0 { messages.append(IRCMessage("AUTHENTICATE", "+")) }
        return messages
    }

    private mutating func handleSASLFailure(_ message: IRCMessage) -> [IRCSessionAction] {
        guard phase == .registering else { return [] }
        saslInProgress = false
        phase = .disconnected
        let account = if case .plain(let name, _) = configuration.authentication { " as \(name)" } else { "" }
        return [.fatal(IRCSessionError(.saslFailed,
            "SASL \(configuration.authentication?.mechanism ?? "") login\(account) failed (\(message.command): \(message.parameters.last ?? "")); check the account and password in chat.irc.sasl",
            isPermanent: message.command == "904" || message.command == "908"))]
    }

    private mutating func handleWelcome(_ message: IRCMessage, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard phase == .registering else { return [] }
        phase = .registered
        if let name = message[parameter: 0] { nick = name }
        var actions: [IRCSessionAction] = [.registered(nick: nick)]
        if !isMe(configuration.nick) { nextNickRegain = now.advanced(by: configuration.timing.nickRegainInterval) }
        actions += Self.joinMessages(for: configuration.channels).map(IRCSessionAction.send)
        return actions
    }

    private mutating func handleNickUnavailable(_ message: IRCMessage, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard phase == .registering else {
            // A failed regain: keep the current nick. "Erroneous" (432) will not change: stop trying.
            if message.command == "432" { nextNickRegain = nil }
            return []
        }
        nickCandidateIndex += 1
        guard nickCandidateIndex < nickCandidates.count else {
            phase = .disconnected
            return [.fatal(IRCSessionError(.noUsableNick,
                "no usable nick: the server refused \(nickCandidates.joined(separator: ", ")); set chat.irc.alternative_nicks",
                isPermanent: false))]
        }
        nick = nickCandidates[nickCandidateIndex]
        return [.send(IRCMessage("NICK", nick))]
    }

    /// The wanted nick, the alternatives, then `nick_` and `nick1`…`nick9` cut to 9 characters
    /// (the smallest NICKLEN in use; ISUPPORT arrives only after registration).
    static func nickCandidates(for configuration: IRCSessionConfiguration) -> [String] {
        var candidates = [configuration.nick] + configuration.alternativeNicks
        candidates.append(configuration.nick + "_")
        let stem = String(configuration.nick.prefix(8))
        candidates += (1...9).map { stem + String($0) }
        var seen: Set<String> = []
        return candidates.filter { seen.insert($0).inserted }
    }

    /// `JOIN #a,#b key` lines: keyed channels first (keys are positional), at most ~400 bytes each.
    static func joinMessages(for channels: [IRCChannelJoin]) -> [IRCMessage] {
        let ordered = channels.filter { $0.key != nil } + channels.filter { $0.key == nil }
        var messages: [IRCMessage] = []
        var names: [String] = []
        var keys: [String] = []
        var size = 0
        func flush() {
            guard !names.isEmpty else { return }
            messages.append(IRCMessage(command: "JOIN", parameters: [names.joined(separator: ",")] + (keys.isEmpty ? [] : [keys.joined(separator: ",")])))
            names = []
            keys = []
            size = 0
        }
        for channel in ordered {
            let added = channel.name.utf8.count + 1 + (channel.key?.utf8.count ?? 0) + 1
            if size + added > 400 { flush() }
            names.append(channel.name)
            if let key = channel.key { keys.append(key) }
            size += added
        }
        flush()
        return messages
    }

    // MARK: - Channels and people

    private func isJoined(_ channel: String) -> Bool { joinedChannels[fold(channel)] != nil }

    /// The configured spelling of `channel` when it is one of ours, else as given.
    private func canonicalChannel(_ channel: String) -> String {
        if let joined = joinedChannels[fold(channel)] { return joined }
        return configuration.channels.first { caseMapping.equals($0.name, channel) }?.name ?? channel
    }

    func serverTime(_ message: IRCMessage) -> Int64? {
        message.tag("time").flatMap(IRCEncoding.milliseconds(iso8601:))
    }

    private mutating func handleNick(_ message: IRCMessage, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard let source = message.source, let newNick = message[parameter: 0] else { return [] }
        let oldFolded = fold(source.nick)
        let newFolded = fold(newNick)
        if oldFolded != newFolded, let known = accounts.removeValue(forKey: oldFolded) { accounts[newFolded] = known }
        var actions: [IRCSessionAction] = []
        let own = isMe(source.nick)
        for (channel, var list) in members.sorted(by: { $0.key < $1.key }) where list[oldFolded] != nil {
            list[oldFolded] = nil
            list[newFolded] = newNick
            members[channel] = list
            actions.append(.channelEvent(IRCChannelEvent(kind: .nick(newNick: newNick), channel: joinedChannels[channel] ?? channel,
                user: source, isOwn: own, serverTime: serverTime(message), messageID: message.tag("msgid"))))
        }
        if own {
            let old = nick
            nick = newNick
            if let hostmask { self.hostmask = IRCSource(nick: newNick, user: hostmask.user, host: hostmask.host) }
            actions.insert(.nickChanged(from: old, to: newNick), at: 0)
            if isMe(configuration.nick) {
                nextNickRegain = nil
            } else if nextNickRegain == nil {
                nextNickRegain = now.advanced(by: configuration.timing.nickRegainInterval)
            }
            if let hostmask { actions.insert(.learnedHostmask(hostmask), at: 1) }
        } else if caseMapping.equals(source.nick, configuration.nick), !isMe(configuration.nick), phase == .registered {
            // Whoever held our nick let go of it: take it now.
            actions.append(.send(IRCMessage("NICK", configuration.nick)))
        }
        return actions
    }

    private mutating func handleJoin(_ message: IRCMessage, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard let source = message.source, let channelName = message[parameter: 0] else { return [] }
        let channel = fold(channelName)
        var joinAccount: String? = nil
        if enabledCapabilities.contains("extended-join"), let name = message[parameter: 1] {
            joinAccount = name == "*" ? nil : name
            accounts[fold(source.nick)] = .some(joinAccount)
        } else if let known = accounts[fold(source.nick)] {
            joinAccount = known
        }
        var actions: [IRCSessionAction] = []
        let own = isMe(source.nick)
        if own {
            let name = configuration.channels.first { caseMapping.equals($0.name, channelName) }?.name ?? channelName
            joinedChannels[channel] = name
            members[channel] = [:]
            rejoinAt[channel] = nil
            actions.append(.joined(channel: name))
            if hostmask != source {
                hostmask = source
                actions.append(.learnedHostmask(source))
            }
            if serverSupport.tokens["WHOX"] != nil {
                actions.append(.send(IRCMessage("WHO", channelName, "%tna,152")))
            }
            actions += startBackfill(of: name, now: now)
        }
        let folded = fold(source.nick)
        members[channel, default: [:]][folded] = source.nick
        actions.append(.channelEvent(IRCChannelEvent(kind: .join(account: joinAccount), channel: canonicalChannel(channelName),
            user: source, isOwn: own, serverTime: serverTime(message), messageID: message.tag("msgid"))))
        return actions
    }

    private mutating func handlePart(_ message: IRCMessage) -> [IRCSessionAction] {
        guard let source = message.source, let channelName = message[parameter: 0] else { return [] }
        let channel = fold(channelName)
        let name = canonicalChannel(channelName)
        let own = isMe(source.nick)
        var actions: [IRCSessionAction] = [.channelEvent(IRCChannelEvent(kind: .part(reason: message[parameter: 1]),
            channel: name, user: source, isOwn: own, serverTime: serverTime(message), messageID: message.tag("msgid")))]
        let folded = fold(source.nick)
        members[channel]?[folded] = nil
        if own {
            joinedChannels[channel] = nil
            members[channel] = nil
            actions.append(.parted(channel: name))
        }
        forgetIfUnseen(source.nick)
        return actions
    }

    private mutating func handleKick(_ message: IRCMessage, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard let source = message.source, let channelName = message[parameter: 0], let victim = message[parameter: 1] else { return [] }
        let channel = fold(channelName)
        let name = canonicalChannel(channelName)
        let reason = message[parameter: 2]
        var actions: [IRCSessionAction] = [.channelEvent(IRCChannelEvent(kind: .kick(nick: victim, reason: reason),
            channel: name, user: source, isOwn: isMe(source.nick), serverTime: serverTime(message), messageID: message.tag("msgid")))]
        let foldedVictim = fold(victim)
        members[channel]?[foldedVictim] = nil
        if isMe(victim) {
            joinedChannels[channel] = nil
            members[channel] = nil
            actions.append(.kicked(channel: name, by: source.nick, reason: reason ?? ""))
            if configuration.channels.contains(where: { caseMapping.equals($0.name, channelName) }) {
                rejoinAt[channel] = (name, now.advanced(by: configuration.timing.rejoinDelay))
            }
        }
        forgetIfUnseen(victim)
        return actions
    }

    private mutating func handleQuit(_ message: IRCMessage, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard let source = message.source else { return [] }
        let folded = fold(source.nick)
        var actions: [IRCSessionAction] = []
        for (channel, list) in members.sorted(by: { $0.key < $1.key }) where list[folded] != nil {
            members[channel]?[folded] = nil
            actions.append(.channelEvent(IRCChannelEvent(kind: .quit(reason: message[parameter: 0]),
                channel: joinedChannels[channel] ?? channel, user: source, isOwn: false,
                serverTime: serverTime(message), messageID: message.tag("msgid"))))
        }
        accounts[folded] = nil
        if caseMapping.equals(source.nick, configuration.nick), !isMe(configuration.nick), phase == .registered {
            actions.append(.send(IRCMessage("NICK", configuration.nick)))
        }
        return actions
    }

    private mutating func handleTopic(_ message: IRCMessage) -> [IRCSessionAction] {
        guard let source = message.source, let channelName = message[parameter: 0] else { return [] }
        return [.channelEvent(IRCChannelEvent(kind: .topic(message[parameter: 1] ?? ""), channel: canonicalChannel(channelName),
            user: source, isOwn: isMe(source.nick), serverTime: serverTime(message), messageID: message.tag("msgid")))]
    }

    private mutating func handleNames(_ message: IRCMessage) {
        // :server 353 me = #chan :@alice +bob carol   (multi-prefix may stack symbols; userhost-in-names adds !u@h)
        guard message.parameters.count >= 4 else { return }
        let channel = fold(message.parameters[2])
        guard joinedChannels[channel] != nil else { return }
        for entry in message.parameters[3].split(separator: " ") {
            let name = IRCSource(String(serverSupport.strippingPrefixes(String(entry)))).nick
            guard !name.isEmpty else { continue }
            let folded = fold(name)
            members[channel, default: [:]][folded] = name
        }
    }

    private mutating func handleWHOX(_ message: IRCMessage) {
        // :server 354 me 152 nick account   ("0" = not logged in)
        guard message.parameters.count >= 4, message.parameters[1] == "152" else { return }
        let name = message.parameters[2]
        let account = message.parameters[3]
        accounts[fold(name)] = account == "0" ? .some(nil) : .some(account)
    }

    private mutating func handleJoinRefused(_ message: IRCMessage, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard let channelName = message[parameter: 1],
              configuration.channels.contains(where: { caseMapping.equals($0.name, channelName) }) else { return [] }
        let name = canonicalChannel(channelName)
        rejoinAt[fold(channelName)] = (name, now.advanced(by: configuration.timing.rejoinDelay))
        return [.joinRefused(channel: name, reason: "\(message.command) \(message.parameters.last ?? "")")]
    }

    private mutating func forgetIfUnseen(_ name: String) {
        let folded = fold(name)
        if !members.values.contains(where: { $0[folded] != nil }) { accounts[folded] = nil }
    }

    // MARK: - Messages

    /// A PRIVMSG or NOTICE as a chat line; `fromHistory` lines never get a CTCP answer.
    mutating func handleChat(_ message: IRCMessage, now: ContinuousClock.Instant, fromHistory: Bool = false) -> [IRCSessionAction] {
        guard let source = message.source, let target = message[parameter: 0], var text = message[parameter: 1],
              phase == .registered, source.raw.contains("!") || source.raw.contains("@") else { return [] }
        let isNotice = message.command.uppercased() == "NOTICE"
        var kind: IRCChatMessage.Kind = isNotice ? .notice : .privmsg
        let own = isMe(source.nick)
        if text.hasPrefix("\u{1}") {
            var body = text.dropFirst()
            if body.hasSuffix("\u{1}") { body = body.dropLast() }
            let parts = body.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            let verb = parts.first.map { $0.uppercased() } ?? ""
            let argument = parts.count > 1 ? String(parts[1]) : ""
            if verb == "ACTION" {
                kind = .action
                text = argument
            } else {
                guard !isNotice, !own, !fromHistory else { return [] }
                return ctcpReply(verb: verb, argument: argument, to: source.nick, now: now)
            }
        }
        // A STATUSMSG target (`@#team`) still names the channel.
        let statusPrefixes = Set(serverSupport.prefixes.map(\.symbol))
        let bareTarget = String(target.drop(while: { statusPrefixes.contains($0) }))
        let channel: String? = serverSupport.isChannel(bareTarget) ? canonicalChannel(bareTarget) : nil
        let accountName: String?
        if enabledCapabilities.contains("account-tag") {
            accountName = message.tag("account")
        } else if fromHistory {
            accountName = nil  // who holds that nick now says nothing about who said an old line
        } else {
            accountName = accounts[fold(source.nick)] ?? nil
        }
        let chat = IRCChatMessage(kind: kind, channel: channel, replyTarget: channel ?? (own ? target : source.nick), sender: source,
            account: own ? (accountName ?? account) : accountName, text: text, isOwn: own, serverTime: serverTime(message),
            messageID: message.tag("msgid"), replyTo: message.tag("+draft/reply") ?? message.tag("+reply"))
        return [.chat(chat)]
    }

    private mutating func ctcpReply(verb: String, argument: String, to nick: String, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        let answer: String
        switch verb {
        case "VERSION": answer = "VERSION " + IRCText.sanitized(configuration.versionReply)
        case "PING":
            let cleaned = Substring(IRCText.sanitized(argument))
            answer = "PING " + cleaned[..<IRCReplySplitter.prefixEnd(of: cleaned, fitting: 64)]
        default: return []
        }
        if let allowed = ctcpReplyAllowedAt, now < allowed { return [] }
        ctcpReplyAllowedAt = now.advanced(by: configuration.timing.ctcpReplyInterval)
        return [.send(IRCMessage("NOTICE", nick, "\u{1}" + answer + "\u{1}"))]
    }
}
