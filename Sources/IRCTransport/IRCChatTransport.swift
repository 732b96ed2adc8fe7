import ChatTransports
import CurlHTTP
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import IRCProtocol
import Synchronization
import ThreadpressModel

/// The bot in a real IRC channel: a ``ChatTransport`` that drives ``IRCSessionStateMachine`` over a
/// ``CurlStreamConnection`` (plain TCP or TLS).
///
/// ``events(resumingAfter:untilCaughtUp:)`` runs the connection: it connects, registers (CAP, SASL),
/// joins the channels, yields every channel line and event as a ``ChatMessage`` (a private message
/// carries the sender's nick as its channel, so the answer goes back privately) and a
/// ``ChatEvent/caughtUp`` after each batch of inbound lines, and reconnects with
/// ``IRCReconnectPolicy`` whenever the link is lost. The stream ends only when the consuming task is
/// cancelled (the connection is closed with a QUIT) or on a ``ChatTransportError`` of kind `fatal`
/// (SASL refused, banned, wrong server password).
///
/// A reply with a ``ChatReply/recipient`` (`capabilities.privateReplies` is true) goes as a
/// `PRIVMSG` to that nick and never to the channel; a recipient that is not a plain nick (a
/// channel, a list, a mask) is dropped with a warning.
///
/// ``send(_:)`` makes the line wire-safe (``IRCText``), splits it again if the budget shrank, and
/// queues it in ``IRCSendQueue`` paced by the configured ``IRCPacing``, answers ahead of
/// announcements; it returns once the line is handed to the connection, and throws
/// ``ChatTransportError`` `.disconnected` while the bot is not in the channel, so the bot keeps it.
///
/// ```swift
/// let transport = IRCChatTransport(configuration: irc, botNick: "threadpress") { level, line in print(level, line) }
/// for try await event in transport.events(resumingAfter: nil, untilCaughtUp: false) { … }
/// ```
public final class IRCChatTransport: ChatTransport, Sendable {
    /// How serious a log line is.
    public enum LogLevel: Sendable, Hashable {
        case warning, info, debug
    }

    public let configuration: IRCChatConfiguration
    public let identifier: String
    public let channel: String
    public let botNick: String
    public let capabilities: ChatTransportCapabilities
    /// The session's settings (nick, channels, SASL, timers).
    public let sessionConfiguration: IRCSessionConfiguration
    let reconnectPolicy: IRCReconnectPolicy
    let log: @Sendable (LogLevel, String) -> Void
    let state: Mutex<IRCTransportState>

    /// - Parameters:
    ///   - botNick: `bot.nick`, used when the configuration has no `nick`.
    ///   - timing: the session's timers (tests shorten them).
    ///   - reconnectPolicy: the backoff between connection attempts.
    ///   - log: receives warnings (trust_nicks, lost connections) and informational lines; never a secret.
    public init(
        configuration: IRCChatConfiguration, botNick: String, timing: IRCSessionTiming = IRCSessionTiming(),
        reconnectPolicy: IRCReconnectPolicy = IRCReconnectPolicy(),
        log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in }
    ) {
        self.configuration = configuration
        let nick = configuration.nick ?? botNick
        self.botNick = nick
        identifier = "irc:\(configuration.host):\(configuration.port)"
        channel = configuration.channels.first?.name ?? ""
        sessionConfiguration = IRCSessionConfiguration(
            nick: nick, alternativeNicks: configuration.alternativeNicks, username: configuration.username,
            realname: configuration.realname ?? "threadpress", channels: configuration.channels.map { IRCChannelJoin($0.name, key: $0.key) },
            authentication: configuration.authentication, serverPassword: configuration.serverPassword?.value,
            timing: timing)
        // Before the bot's own JOIN shows its hostmask, assume the longest user and host a server shows.
        let budget = IRCReplySplitter().budget(nick: nick, hostmask: nil, target: channel)
        capabilities = ChatTransportCapabilities(
            trustsNicks: configuration.trustNicks, repliesReachChannel: true, maximumReplyBytes: budget,
            privateReplies: true)
        self.reconnectPolicy = reconnectPolicy
        self.log = log
        state = Mutex(IRCTransportState(session: IRCSessionStateMachine(configuration: sessionConfiguration),
                                        pacing: configuration.pacing))
    }

    /// The endpoint as people read it: `irc.libera.chat:6697 (TLS)`.
    public var endpointDescription: String {
        "\(configuration.host):\(configuration.port)\(configuration.tls ? " (TLS)" : "")"
    }

    /// Logs the start-up warnings the configuration deserves (call once when the bot starts).
    public func warnAboutConfiguration() {
        if configuration.trustNicks {
            log(.warning, "chat.irc.trust_nicks is true: anyone who takes an approver's nick on \(endpointDescription) can approve drafts; use it only on a server without services that your team controls")
        }
        if configuration.tls, !configuration.tlsVerify {
            log(.warning, "chat.irc.tls_verify is false: \(endpointDescription) is trusted by its pinned key only")
        }
    }

    /// The nick the server knows the bot by now.
    public var currentNick: String { state.withLock { $0.session.nick } }

    /// Whether the bot is registered and in `channel` (the first configured one when `nil`).
    public func isJoined(_ channel: String? = nil) -> Bool {
        let name = channel ?? self.channel
        return state.withLock { state in
            state.session.phase == .registered
                && state.session.joinedChannels.keys.contains(state.session.serverSupport.caseMapping.lowercased(name))
        }
    }

    /// Reply lines waiting for the pacing to let them go.
    public var queuedLineCount: Int { state.withLock { $0.queue.count } }

    /// How many connections have been established (registered) so far.
    public var connectionCount: Int { state.withLock { $0.connectionCount } }

    /// For a private reply, the budget of a `PRIVMSG` to the recipient's nick.
    public func replyByteBudget(for reply: ChatReply) -> Int {
        state.withLock { state in
            let target = Self.target(of: reply, defaultChannel: channel, support: state.session.serverSupport)
            return state.session.replyBudget(to: target ?? reply.recipient ?? channel)
        }
    }

    public func events(resumingAfter position: String?, untilCaughtUp: Bool) -> AsyncThrowingStream<ChatEvent, Error> {
        let (stream, continuation) = AsyncThrowingStream<ChatEvent, Error>.makeStream()
        if let position, let marks = IRCHistoryPosition.decode(position) {
            state.withLock { state in
                state.session.restoreHistoryMarks(marks)
                state.deliveredMarks.merge(marks)
            }
        }
        let task = Task { [self] in
            await self.run(output: continuation, untilCaughtUp: untilCaughtUp)
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    public func send(_ reply: ChatReply) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextSendID += 1
            return state.nextSendID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                enqueue(reply, id: id, continuation: continuation)
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Error>? in
                guard let waiter = state.waiters.removeValue(forKey: id) else {
                    state.cancelledSends.insert(id)
                    return nil
                }
                return waiter.continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    private func enqueue(_ reply: ChatReply, id: UInt64, continuation: CheckedContinuation<Void, Error>) {
        let result = state.withLock { state -> Result<AsyncStream<IRCTransportInput>.Continuation?, Error> in
            if state.cancelledSends.remove(id) != nil { return .failure(CancellationError()) }
            guard state.connection != nil, state.session.phase == .registered else {
                return .failure(ChatTransportError(.disconnected, "not connected to \(endpointDescription); the line stays queued"))
            }
            let support = state.session.serverSupport
            // A private reply goes to the recipient's nick, never to the channel.
            guard let target = Self.target(of: reply, defaultChannel: channel, support: support) else {
                return .failure(IRCRefusedRecipient(recipient: reply.recipient ?? ""))
            }
            if support.isChannel(target), state.session.joinedChannels[support.caseMapping.lowercased(target)] == nil {
                return .failure(ChatTransportError(.disconnected, "not in \(target) on \(endpointDescription) yet; the line stays queued"))
            }
            var lines: [[UInt8]] = []
            for message in state.session.replyMessages(reply.text, to: target) {
                var message = message
                // The message answered is in the channel: a private line does not point at it.
                if let inReplyTo = reply.inReplyTo, reply.recipient == nil, state.session.enabledCapabilities.contains("message-tags"),
                   !inReplyTo.isEmpty, inReplyTo.utf8.count <= 200
                {
                    message.tags = [IRCTag("+draft/reply", inReplyTo)]
                }
                if let bytes = try? message.serializedLine() {
                    lines.append(bytes)
                } else if let bytes = try? IRCMessage(command: message.command, parameters: message.parameters).serializedLine() {
                    lines.append(bytes)  // a reply id that cannot be a tag: send without it
                }
            }
            guard !lines.isEmpty else { return .success(nil) }
            state.waiters[id] = IRCTransportState.Waiter(continuation: continuation, remainingLines: lines.count)
            // Bulk lines (private `!log` output) wait with announcements; the bot's dispatcher
            // already hands them over one at a time, after everything else.
            let priority: IRCSendQueue<IRCTransportState.QueuedLine>.Priority = reply.priority == .reply ? .reply : .announcement
            for line in lines {
                state.queue.enqueue(IRCTransportState.QueuedLine(sendID: id, bytes: line), byteCount: line.count, priority: priority)
            }
            return .success(state.wake)
        }
        switch result {
        case .failure(let refused as IRCRefusedRecipient):
            log(.warning, "not sending a private line to \"\(ChatReply.oneLine(refused.recipient).prefix(64))\" on \(endpointDescription): not a nick; dropped")
            continuation.resume()
        case .failure(let error): continuation.resume(throwing: error)
        case .success(nil): continuation.resume()  // nothing to say (an empty line)
        case .success(let wake?): wake.yield(.wake)
        }
    }
}

/// What the connection loop waits for.
enum IRCTransportInput: Sendable {
    case bytes([UInt8])
    case ended(Error?)
    /// A line was queued or a timer fired: look at the queue and the session's timers.
    case wake
}

/// Everything mutable of one transport, behind its one lock.
struct IRCTransportState: Sendable {
    struct QueuedLine: Sendable {
        var sendID: UInt64
        var bytes: [UInt8]
    }

    struct Waiter: Sendable {
        var continuation: CheckedContinuation<Void, Error>
        var remainingLines: Int
    }

    var session: IRCSessionStateMachine
    var framer = IRCLineFramer()
    /// Parses the framer's lines, sharing the strings that repeat (sources, channel names).
    var parser = IRCMessageParser()
    var queue: IRCSendQueue<QueuedLine>
    var connection: CurlStreamConnection?
    /// Wakes the connection loop (set while a connection runs).
    var wake: AsyncStream<IRCTransportInput>.Continuation?
    var waiters: [UInt64: Waiter] = [:]
    var cancelledSends: Set<UInt64> = []
    var nextSendID: UInt64 = 0
    var connectionCount = 0
    /// The newest line yielded per channel: the position that travels with the next message.
    var deliveredMarks = IRCHistoryMarks()

    init(session: IRCSessionStateMachine, pacing: IRCPacing) {
        self.session = session
        queue = IRCSendQueue(pacing: pacing, now: .now)
    }

    /// Fails every queued line (the connection is gone): the bot keeps them queued and retries.
    mutating func failQueued() -> [CheckedContinuation<Void, Error>] {
        queue.removeAll()
        let failed = waiters.values.map(\.continuation)
        waiters = [:]
        return failed
    }
}
