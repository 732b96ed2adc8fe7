import ChatTransports
import CurlHTTP
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPServer
import Synchronization
import ThreadpressModel

/// A chat transport for Mattermost, Rocket.Chat and Slack channels: the platform POSTs each
/// message to an ``HTTPListener``; replies are POSTed back through ``CurlHTTPClient``.
///
/// ```swift
/// let transport = try WebhookChatTransport(
///     settings: WebhookSettings(flavor: .mattermost, token: token, replyURL: incomingWebhookURL),
///     channel: "town-square", botNick: "threadpress")
/// for try await event in transport.events(resumingAfter: saved, untilCaughtUp: false) { … }
/// ```
///
/// Each accepted delivery is yielded as `.message` followed by `.caughtUp`, so the bot commits it
/// at once — except while an earlier `.caughtUp` is still being committed: then the next
/// `.caughtUp` waits for that commit and covers every delivery that arrived meanwhile (group
/// commit under load, one transaction per delivery when quiet). The HTTP answer (200) is held
/// until ``committed(through:)`` covers its position, so a
/// message the platform believes delivered is always stored. If the store does not confirm within
/// ``WebhookSettings/commitTimeout`` the answer is 503 and the platform retries; the retry (same
/// channel and post id) waits for the same position instead of being yielded twice. Refused
/// requests (bad token or signature, stale timestamp, malformed body) are answered 4xx and
/// yielded nowhere.
///
/// Identity: `capabilities.trustsNicks` is false; the platform user id is `sender.account`.
public final class WebhookChatTransport: ChatTransport, Sendable {
    public let identifier: String
    public let channel: String
    public let botNick: String
    public let capabilities: ChatTransportCapabilities
    public let settings: WebhookSettings
    private let decoder: WebhookDecoder
    private let encoder: WebhookReplyEncoder
    private let client: CurlHTTPClient
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void
    private let log: @Sendable (String) -> Void
    private let state = Mutex(State())
    /// Sends are serialised so replies reach the channel in the order the bot said them.
    private let sendLock = AsyncSerialGate()

    private struct Waiter {
        var position: Int64
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct State: ~Copyable {
        var ledger = DeliveryLedger()
        /// The position the last `.caughtUp` covered; beyond the committed one, a commit is in flight.
        var caughtUpThrough: Int64 = 0
        var continuation: AsyncThrowingStream<ChatEvent, Error>.Continuation?
        var generation = 0
        var waiters: [Int: Waiter] = [:]
        /// Waiters allocated but not yet registered, and those of them cancelled meanwhile.
        var unregisteredWaiters: Set<Int> = []
        var cancelledWaiters: Set<Int> = []
        var nextWaiter = 0
        var listenerPort: UInt16?
    }

    /// Validates `settings` (every problem in one ``ChatTransportError`` of kind `.fatal`).
    /// `sleep` and `now` are injectable for tests; `log` receives one line per refused request.
    public init(
        settings: WebhookSettings, channel: String, botNick: String, client: CurlHTTPClient = CurlHTTPClient(),
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(ChatTransportError) {
        let problems = settings.validate()
        guard problems.isEmpty else {
            throw ChatTransportError(.fatal, "chat.webhook: " + problems.joined(separator: "; "))
        }
        self.settings = settings
        self.channel = channel
        self.botNick = botNick
        identifier = "webhook:\(settings.flavor.rawValue):\(settings.channelID ?? channel)"
        capabilities = ChatTransportCapabilities(trustsNicks: false, repliesReachChannel: true, maximumReplyBytes: 3_000,
                                                 privateReplies: settings.privateReplies)
        decoder = WebhookDecoder(settings: settings, channel: channel)
        encoder = WebhookReplyEncoder(settings: settings)
        self.client = client
        self.now = now
        self.sleep = sleep
        self.log = log
    }

    /// The port the listener bound while events are being read (useful with port 0 in tests).
    public var listeningPort: UInt16? { state.withLock { $0.listenerPort } }

    // MARK: - Inbound

    public func events(resumingAfter position: String?, untilCaughtUp: Bool) -> AsyncThrowingStream<ChatEvent, Error> {
        AsyncThrowingStream(ChatEvent.self, bufferingPolicy: .unbounded) { continuation in
            if untilCaughtUp {
                // A push transport has no backlog to catch up with: what the platform sent while
                // the bot was down, it retries by itself.
                continuation.yield(.caughtUp)
                continuation.finish()
                return
            }
            let (generation, previous) = state.withLock { state in
                state.ledger.resume(after: position)
                // What the old stream did not commit is lost with it: re-deliveries yield again.
                state.ledger.forgetUncommitted()
                state.caughtUpThrough = state.ledger.committedThrough
                let previous = state.continuation
                state.continuation = continuation
                state.generation += 1
                state.listenerPort = nil
                return (state.generation, previous)
            }
            // Outside the lock: finishing runs the old stream's termination handler, which locks
            // (and stops the old listener, which lets go of the port shortly after).
            previous?.finish()
            let running = Task { [weak self] in
                guard let listener = await self?.bind(generation: generation, continuation: continuation) else { return }
                await listener.run()
                continuation.finish()
            }
            continuation.onTermination = { [weak self] _ in
                running.cancel()
                self?.state.withLock { state in
                    guard state.generation == generation else { return }
                    state.continuation = nil
                    state.listenerPort = nil
                }
            }
        }
    }

    /// Binds the listener, waiting up to two seconds for an earlier stream's listener to release
    /// the port; finishes the stream with a ``ChatTransportError`` when it cannot.
    private func bind(generation: Int, continuation: AsyncThrowingStream<ChatEvent, Error>.Continuation) async -> HTTPListener? {
        var attempt = 0
        while true {
            do {
                let listener = try HTTPListener(
                    configuration: .init(
                        listen: settings.listen, authenticationConfigured: settings.isAuthenticated,
                        limits: .init(maximumBodyBytes: settings.maximumBodyBytes),
                        requestTimeout: settings.requestTimeout, maximumConnections: settings.maximumConnections),
                    handler: { [weak self] request in
                        guard let self else { return HTTPServerResponse.text(503, "shutting down") }
                        return await self.handle(request)
                    })
                state.withLock { state in
                    if state.generation == generation { state.listenerPort = listener.port }
                }
                return listener
            } catch {
                attempt += 1
                if error.isAddressInUse && attempt < 40 && !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(50))
                    continue
                }
                let kind: ChatTransportError.Kind = error.kind == .socket ? .disconnected : .fatal
                continuation.finish(throwing: ChatTransportError(kind, "chat.webhook: " + error.message))
                return nil
            }
        }
    }

    public func committed(through position: String) {
        let ready = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            guard state.ledger.commit(through: position) else { return [] }
            // Deliveries that arrived while this commit was in flight get their `.caughtUp` now.
            if state.caughtUpThrough <= state.ledger.committedThrough,
                state.ledger.lastPosition > state.caughtUpThrough, let continuation = state.continuation {
                continuation.yield(.caughtUp)
                state.caughtUpThrough = state.ledger.lastPosition
            }
            let done = state.waiters.filter { state.ledger.isCommitted($0.value.position) }
            for id in done.keys { state.waiters[id] = nil }
            return done.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume(returning: true) }
    }

    /// 200 with an empty body: Mattermost and Rocket.Chat would post a JSON answer's `text` into
    /// the channel, so the acknowledgement says nothing.
    static let acknowledged = HTTPServerResponse(status: 200)

    /// Decides, yields and waits; the listener writes what this returns.
    func handle(_ request: HTTPServerRequest) async -> HTTPServerResponse {
        switch decoder.decode(request, now: now()) {
        case .refuse(let status, let reason):
            log("webhook: refused \(request.method) \(request.path): \(status) \(reason)")
            return .text(status, reason)
        case .answer(let response):
            return response
        case .ignore:
            return Self.acknowledged
        case .message(let message, let key):
            enum Step { case wait(Int64), done, unavailable }
            let step = state.withLock { state -> Step in
                guard let continuation = state.continuation else { return .unavailable }
                switch state.ledger.admit(key) {
                case .committed: return .done
                case .pending(let position): return .wait(position)
                case .new(let position):
                    continuation.yield(.message(message, position: String(position)))
                    if state.caughtUpThrough <= state.ledger.committedThrough {
                        continuation.yield(.caughtUp)
                        state.caughtUpThrough = position
                    }
                    return .wait(position)
                }
            }
            switch step {
            case .done: return Self.acknowledged
            case .unavailable: return .text(503, "not reading messages right now; retry")
            case .wait(let position):
                return await waitForCommit(position) ? Self.acknowledged : .text(503, "not stored yet; retry")
            }
        }
    }

    /// Whether `position` is committed within the commit timeout.
    private func waitForCommit(_ position: Int64) async -> Bool {
        let timeout = settings.commitTimeout
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitCommitted(position) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func waitCommitted(_ position: Int64) async -> Bool {
        let id = state.withLock { state -> Int in
            defer { state.nextWaiter += 1 }
            state.unregisteredWaiters.insert(state.nextWaiter)
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate = state.withLock { state -> Bool? in
                    state.unregisteredWaiters.remove(id)
                    if state.cancelledWaiters.remove(id) != nil { return false }
                    if state.ledger.isCommitted(position) { return true }
                    state.waiters[id] = Waiter(position: position, continuation: continuation)
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                if let waiter = state.waiters.removeValue(forKey: id) { return waiter }
                // Cancelled before registering: the registration answers false. Cancelled after
                // being answered: nothing to do (and nothing to remember).
                if state.unregisteredWaiters.contains(id) { state.cancelledWaiters.insert(id) }
                return nil
            }
            waiter?.continuation.resume(returning: false)
        }
    }

    // MARK: - Outbound

    /// Posts one line as the flavour's JSON; 429 waits for `Retry-After`, 5xx and network
    /// failures back off (0.5 s doubling, 5 attempts); anything else throws
    /// ``ChatTransportError`` (`.disconnected`, so the bot keeps the reply queued).
    ///
    /// A private reply (``WebhookReplyEncoder/destination(of:)``) goes to `@recipient`. The
    /// platform refusing it (4xx: an unknown user, a webhook locked to its channel) drops that line
    /// with a warning instead of holding up every reply behind it; a recipient that is not a user
    /// name is dropped before posting. Neither is ever posted to the channel instead.
    public func send(_ reply: ChatReply) async throws {
        guard let urlText = encoder.url, let url = URL(string: urlText) else {
            throw ChatTransportError(.fatal, "chat.webhook: reply_url is not a URL")
        }
        let destination = encoder.destination(of: reply)
        if destination == .refused {
            log("webhook: not sending a private reply to \"\(ChatReply.oneLine(reply.recipient ?? "").prefix(64))\": not a user name; dropped")
            return
        }
        var request = HTTPRequest(method: .post, url: url, body: Data(encoder.body(for: reply).utf8),
                                  contentType: "application/json; charset=utf-8", timeout: .seconds(15))
        for (name, value) in encoder.headers { request.headers[name] = value }
        try await sendLock.run {
            var lastProblem = ""
            for attempt in 0..<5 {
                try Task.checkCancellation()
                let outcome: WebhookReplyEncoder.Outcome
                do {
                    let response = try await client.send(request)
                    outcome = encoder.outcome(status: response.status, retryAfter: response.headers["Retry-After"],
                                              body: Array(response.body), attempt: attempt)
                    lastProblem = "HTTP \(response.status)"
                } catch let error as CurlError {
                    outcome = .retry(after: .milliseconds(500 * (1 << attempt)))
                    lastProblem = error.summary.isEmpty ? "network failure" : error.summary
                }
                switch outcome {
                case .delivered: return
                case .failed(let message):
                    if case .user(let name) = destination {
                        log("webhook: a private reply to @\(name) was refused (\(lastProblem)): the user may not exist, or the incoming webhook may not post outside its channel (Mattermost: \"lock to this channel\"; Rocket.Chat: \"Overwrite destination channel\" off); dropped")
                        return
                    }
                    throw ChatTransportError(.disconnected, message)
                case .retry(let delay): if attempt < 4 { try await sleep(delay) }
                }
            }
            throw ChatTransportError(.disconnected, "chat.webhook: reply not delivered after 5 attempts (\(lastProblem))")
        }
    }
}

/// Lets one async operation run at a time, in arrival order.
final class AsyncSerialGate: Sendable {
    private let state = Mutex<(busy: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    func run<T: Sendable>(_ operation: () async throws -> T) async throws -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enter = state.withLock { state -> Bool in
                if state.busy {
                    state.waiting.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if enter { continuation.resume() }
        }
        defer {
            let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if state.waiting.isEmpty {
                    state.busy = false
                    return nil
                }
                return state.waiting.removeFirst()
            }
            next?.resume()
        }
        return try await operation()
    }
}
