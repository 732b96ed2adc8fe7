import ChatTransports
import CurlHTTP
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import IRCProtocol
import ThreadpressModel

/// How one connection ended.
enum IRCConnectionOutcome: Sendable {
    /// Lost or refused; reconnect after the policy's delay. `reason` is safe to log.
    case lost(String)
    /// A configuration the server will never accept: end the stream with this.
    case fatal(ChatTransportError)
    /// `untilCaughtUp` and every channel is joined.
    case finished
    /// The consumer went away.
    case cancelled
}

extension IRCChatTransport {
    /// libcurl options for the configured server.
    var streamOptions: CurlStreamOptions {
        var options = CurlStreamOptions(host: configuration.host, port: configuration.port, tls: configuration.tls)
        options.verifyPeer = configuration.tlsVerify
        options.caFile = configuration.caFile
        options.pinnedPublicKeys = configuration.tlsPinSHA256
        if let certificate = configuration.clientCertificate {
            options.clientCertificate = .init(certificateFile: certificate, keyFile: configuration.clientKey)
        }
        return options
    }

    /// The connection loop behind ``events(resumingAfter:untilCaughtUp:)``: connect, drive, and
    /// reconnect after the policy's delay, until cancelled or fatal.
    func run(output: AsyncThrowingStream<ChatEvent, Error>.Continuation, untilCaughtUp: Bool) async {
        var policy = reconnectPolicy
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            let outcome: IRCConnectionOutcome
            do {
                let connection = try await CurlStreamConnection.open(streamOptions)
                outcome = await drive(connection, output: output, policy: &policy, untilCaughtUp: untilCaughtUp)
            } catch {
                if Task.isCancelled { break }
                outcome = .lost("could not connect to \(endpointDescription): \(error)")
            }
            switch outcome {
            case .cancelled:
                output.finish()
                return
            case .finished:
                output.finish()
                return
            case .fatal(let error):
                log(.warning, error.message)
                output.finish(throwing: error)
                return
            case .lost(let reason):
                if untilCaughtUp {
                    output.finish(throwing: ChatTransportError(.disconnected, reason))
                    return
                }
                let delay = policy.delayAfterDisconnect(now: .now, using: &generator)
                log(.warning, "\(reason); reconnecting in \(delay)")
                do { try await Task.sleep(for: delay) } catch { break }
            }
        }
        output.finish()
    }

    /// Runs one connection until it ends.
    private func drive(
        _ connection: CurlStreamConnection, output: AsyncThrowingStream<ChatEvent, Error>.Continuation,
        policy: inout IRCReconnectPolicy, untilCaughtUp: Bool
    ) async -> IRCConnectionOutcome {
        let (inputs, wake) = AsyncStream<IRCTransportInput>.makeStream()
        let start = ContinuousClock.now
        let initial = state.withLock { state in
            state.connection = connection
            state.wake = wake
            state.framer.reset()
            state.queue = IRCSendQueue(pacing: configuration.pacing, now: start)
            return state.session.connected(now: start)
        }
        log(.info, "connected to \(endpointDescription); registering as \(sessionConfiguration.nick)")
        var driver = IRCConnectionDriver(transport: self, connection: connection, output: output, wake: wake,
                                         untilCaughtUp: untilCaughtUp)
        // Not a child task: cancelling it would close the connection at once (dropping the QUIT).
        // It ends by itself when the connection does, and is cancelled when the link is lost.
        let forwarder = Task {
            do {
                for try await chunk in connection.inbound { wake.yield(.bytes(chunk)) }
                wake.yield(.ended(nil))
            } catch {
                wake.yield(.ended(error))
            }
        }
        var outcome = driver.perform(initial, policy: &policy) ?? driver.service(policy: &policy)
        if outcome == nil {
            for await input in inputs {
                outcome = driver.handle(input, policy: &policy)
                if outcome != nil { break }
            }
        }
        let ending = Task.isCancelled ? .cancelled : (outcome ?? .cancelled)
        driver.stopTimer()
        wake.finish()
        let failed = state.withLock { state in
            state.connection = nil
            state.wake = nil
            state.session.disconnected()
            return state.failQueued()
        }
        for waiter in failed {
            waiter.resume(throwing: ChatTransportError(.disconnected, "the connection to \(endpointDescription) ended before the line was sent; it stays queued"))
        }
        switch ending {
        case .cancelled, .finished:
            if let quit = try? IRCMessage("QUIT", "threadpress is stopping").serializedLine() { try? connection.send(quit) }
            connection.close(flushingWithin: .seconds(1))
        case .lost, .fatal:
            connection.close()
            forwarder.cancel()
        }
        return ending
    }
}

/// The per-connection work of the loop: feeds bytes to the session, performs its actions, sends what
/// the queue lets go, and keeps one timer armed for the next deadline. Used by one task only.
struct IRCConnectionDriver {
    let transport: IRCChatTransport
    let connection: CurlStreamConnection
    let output: AsyncThrowingStream<ChatEvent, Error>.Continuation
    let wake: AsyncStream<IRCTransportInput>.Continuation
    let untilCaughtUp: Bool
    private var timer: Task<Void, Never>?
    private var armedDeadline: ContinuousClock.Instant?

    init(transport: IRCChatTransport, connection: CurlStreamConnection, output: AsyncThrowingStream<ChatEvent, Error>.Continuation,
         wake: AsyncStream<IRCTransportInput>.Continuation, untilCaughtUp: Bool) {
        self.transport = transport
        self.connection = connection
        self.output = output
        self.wake = wake
        self.untilCaughtUp = untilCaughtUp
    }

    mutating func stopTimer() {
        timer?.cancel()
        timer = nil
        armedDeadline = nil
    }

    /// One input; returns an outcome when the connection is over.
    mutating func handle(_ input: IRCTransportInput, policy: inout IRCReconnectPolicy) -> IRCConnectionOutcome? {
        switch input {
        case .bytes(let chunk):
            let now = ContinuousClock.now
            var overlong = 0
            let actions = transport.state.withLock { state in
                var actions: [IRCSessionAction] = []
                for event in state.framer.feed(chunk) {
                    switch event {
                    case .line(let line):
                        // A line that does not parse is skipped; the session never sees it.
                        guard let message = try? state.parser.parse(line) else { continue }
                        actions += state.session.received(message, now: now)
                    case .overlong:
                        overlong += 1
                    }
                }
                return actions
            }
            if overlong > 0 { transport.log(.debug, "dropped \(overlong) overlong line(s) from \(transport.endpointDescription)") }
            if let outcome = perform(actions, policy: &policy) { return outcome }
        case .ended(let error):
            let reason = error.map { "the connection to \(transport.endpointDescription) failed: \($0)" }
                ?? "\(transport.endpointDescription) closed the connection"
            return .lost(reason)
        case .wake:
            armedDeadline = nil  // a timer that fired is spent; re-arm below
        }
        return service(policy: &policy)
    }

    /// Timers and the send queue, then re-arms the timer.
    mutating func service(policy: inout IRCReconnectPolicy) -> IRCConnectionOutcome? {
        let now = ContinuousClock.now
        let tickActions = transport.state.withLock { state -> [IRCSessionAction] in
            guard let deadline = state.session.nextDeadline, deadline <= now else { return [] }
            return state.session.tick(now: now)
        }
        if let outcome = perform(tickActions, policy: &policy) { return outcome }
        let connection = connection
        let (sent, failure, deadline) = transport.state.withLock { state -> ([CheckedContinuation<Void, Error>], Error?, ContinuousClock.Instant?) in
            var sent: [CheckedContinuation<Void, Error>] = []
            var failure: Error?
            if state.session.phase == .registered {
                for line in state.queue.dequeue(now: now) {
                    // A line whose sender gave up (cancelled) is not sent: the bot re-queues it.
                    guard var waiter = state.waiters[line.sendID] else { continue }
                    do {
                        try connection.send(line.bytes)
                    } catch {
                        failure = error
                        break
                    }
                    waiter.remainingLines -= 1
                    if waiter.remainingLines == 0 {
                        state.waiters[line.sendID] = nil
                        sent.append(waiter.continuation)
                    } else {
                        state.waiters[line.sendID] = waiter
                    }
                }
            }
            let deadlines = [state.session.nextDeadline, state.queue.nextDeparture(now: now)].compactMap { $0 }
            return (sent, failure, deadlines.min())
        }
        for waiter in sent { waiter.resume() }
        if let failure { return .lost("could not write to \(transport.endpointDescription): \(failure)") }
        arm(deadline)
        return nil
    }

    private mutating func arm(_ deadline: ContinuousClock.Instant?) {
        guard deadline != armedDeadline else { return }
        timer?.cancel()
        armedDeadline = deadline
        guard let deadline else {
            timer = nil
            return
        }
        let wake = wake
        timer = Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            if !Task.isCancelled { wake.yield(.wake) }
        }
    }

    /// Carries out the session's actions in order; returns an outcome when the connection is over.
    mutating func perform(_ actions: [IRCSessionAction], policy: inout IRCReconnectPolicy) -> IRCConnectionOutcome? {
        var delivered = false
        var joinedOne = false
        defer { if delivered { output.yield(.caughtUp) } }
        for action in actions {
            switch action {
            case .send(let message):
                guard let bytes = try? message.serializedLine() else {
                    transport.log(.warning, "the IRC session produced a line that cannot be sent (\(message.command)); skipped")
                    continue
                }
                do {
                    try connection.send(bytes)
                } catch {
                    return .lost("could not write to \(transport.endpointDescription): \(error)")
                }
                transport.state.withLock { $0.queue.charge(byteCount: bytes.count, now: .now) }
            case .registered(let nick):
                policy.connectionEstablished(now: .now)
                transport.state.withLock { $0.connectionCount += 1 }
                transport.log(.info, "registered on \(transport.endpointDescription) as \(nick)")
            case .loggedIn(let account):
                transport.log(.info, "logged in to services account \(account) on \(transport.endpointDescription)")
            case .joined(let channel):
                transport.log(.info, "joined \(channel) on \(transport.endpointDescription)")
                joinedOne = true
            case .parted(let channel):
                transport.log(.warning, "left \(channel) on \(transport.endpointDescription)")
            case .kicked(let channel, let by, let reason):
                transport.log(.warning, "kicked from \(channel) by \(by) (\(ChatReply.oneLine(reason))); rejoining after a delay")
            case .joinRefused(let channel, let reason):
                transport.log(.warning, "the server refused to let the bot into \(channel): \(ChatReply.oneLine(reason)); retrying after a delay")
            case .chat(let message):
                let position = transport.state.withLock { state in
                    state.deliveredMarks.record(message) ? IRCHistoryPosition.encode(state.deliveredMarks) : nil
                }
                output.yield(.message(IRCChatTransport.chatMessage(message), position: position))
                delivered = true
            case .channelEvent(let event):
                output.yield(.message(IRCChatTransport.chatMessage(event), position: nil))
                delivered = true
            case .historyBackfilled(let channel, let count):
                transport.log(.info, "backfilled \(count) line(s) of \(channel) said while the bot was away (CHATHISTORY)")
            case .historyUnavailable(let channel, let reason):
                transport.log(.warning, "could not backfill \(channel) from the server's history: \(ChatReply.oneLine(reason)); lines said while the bot was away are missing")
            case .nickChanged(let from, let to):
                transport.log(.info, "the bot's nick changed from \(from) to \(to)")
            case .learnedHostmask(let source):
                transport.log(.debug, "the bot is \(source.raw) on \(transport.endpointDescription)")
            case .fatal(let error):
                // The message may quote the server: one line, no control characters.
                let message = "\(transport.endpointDescription): \(ChatReply.oneLine(error.message))"
                return error.isPermanent ? .fatal(ChatTransportError(.fatal, message)) : .lost(message)
            case .disconnect(let reason):
                return .lost("\(transport.endpointDescription): \(ChatReply.oneLine(reason))")
            }
        }
        // Checked after the whole batch: the session has already seen every line of it.
        if untilCaughtUp, joinedOne, transport.joinedEveryChannel() {
            delivered = true  // the deferred `.caughtUp` ends a `--once` read
            return .finished
        }
        return nil
    }
}

extension IRCChatTransport {
    func joinedEveryChannel() -> Bool {
        state.withLock { state in
            let mapping = state.session.serverSupport.caseMapping
            return sessionConfiguration.channels.allSatisfy { state.session.joinedChannels[mapping.lowercased($0.name)] != nil }
        }
    }

    /// A chat line as the bot stores it: a private message carries the other person's nick as its
    /// channel, so the answer goes back to them privately.
    public static func chatMessage(_ message: IRCChatMessage) -> ChatMessage {
        let kind: ChatMessageKind = switch message.kind {
        case .privmsg: .message
        case .action: .action
        case .notice: .notice
        }
        return ChatMessage(
            channel: message.channel ?? message.replyTarget, time: time(message.serverTime),
            sender: ChatIdentity(nick: message.sender.nick, account: message.account), kind: kind, text: message.text,
            networkID: message.messageID, replyTo: message.replyTo, isOwn: message.isOwn)
    }

    /// A join, part, quit, nick change, kick or topic as an `.event` line.
    public static func chatMessage(_ event: IRCChannelEvent) -> ChatMessage {
        let nick = event.user.nick
        var account: String?
        let text: String
        func reason(_ text: String?) -> String { text.map { $0.isEmpty ? "" : " (\($0))" } ?? "" }
        switch event.kind {
        case .join(let joinAccount):
            account = joinAccount
            text = "\(nick) joined \(event.channel)"
        case .part(let why): text = "\(nick) left \(event.channel)\(reason(why))"
        case .quit(let why): text = "\(nick) quit\(reason(why))"
        case .nick(let newNick): text = "\(nick) is now known as \(newNick)"
        case .kick(let victim, let why): text = "\(nick) kicked \(victim) from \(event.channel)\(reason(why))"
        case .topic(let topic): text = "\(nick) set the topic of \(event.channel) to: \(topic)"
        }
        return ChatMessage(
            channel: event.channel, time: time(event.serverTime), sender: ChatIdentity(nick: nick, account: account),
            kind: .event, text: text, networkID: event.messageID, isOwn: event.isOwn)
    }

    private static func time(_ milliseconds: Int64?) -> Date {
        milliseconds.map { Date(timeIntervalSince1970: Double($0) / 1000) } ?? Date()
    }
}
