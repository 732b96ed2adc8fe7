import ChatTransports
import Synchronization
import ThreadpressModel

/// Wraps a real chat transport and adds faults: a send that fails, a stream that ends after some
/// events (a disconnect), a byte budget that changes. Everything else goes through to the real
/// transport, and what the bot tells the transport (sends, commits) is recorded.
///
/// ```swift
/// let chat = FaultInjectingChatTransport(wrapping: LogFileTransport(...))
/// chat.failSends(atCall: 2)          // line 2 of the next reply is refused
/// chat.endStream(afterEvents: 3)     // the first stream ends after three events
/// ```
public final class FaultInjectingChatTransport: ChatTransport {
    private struct State {
        var failingSendCalls: Set<Int> = []
        var sendCalls = 0
        var sent: [ChatReply] = []
        var committed: [String] = []
        var streamsOpened = 0
        var endFirstStreamsAfter: [Int] = []
        var budget: Int?
    }

    private let wrapped: any ChatTransport
    private let state = Mutex(State())

    public init(wrapping transport: any ChatTransport) { wrapped = transport }

    public var identifier: String { wrapped.identifier }
    public var channel: String { wrapped.channel }
    public var capabilities: ChatTransportCapabilities { wrapped.capabilities }
    public var botNick: String { wrapped.botNick }

    /// Makes the `call`-th call of `send` (1-based, counted over the transport's life) throw.
    public func failSends(atCall call: Int) { state.withLock { _ = $0.failingSendCalls.insert(call) } }

    /// The next stream opened ends (without error) after `count` events.
    public func endStream(afterEvents count: Int) { state.withLock { $0.endFirstStreamsAfter.append(count) } }

    /// Overrides the reply byte budget (as IRC learns it after registration).
    public func setBudget(_ bytes: Int?) { state.withLock { $0.budget = bytes } }

    public var sent: [ChatReply] { state.withLock { $0.sent } }
    public var committedPositions: [String] { state.withLock { $0.committed } }
    public var streamsOpened: Int { state.withLock { $0.streamsOpened } }

    public struct InjectedSendFailure: Error, CustomStringConvertible {
        public var description: String { "injected send failure: connection lost" }
    }

    public func events(resumingAfter position: String?, untilCaughtUp: Bool) -> AsyncThrowingStream<ChatEvent, Error> {
        let limit = state.withLock { state -> Int? in
            state.streamsOpened += 1
            return state.endFirstStreamsAfter.isEmpty ? nil : state.endFirstStreamsAfter.removeFirst()
        }
        let inner = wrapped.events(resumingAfter: position, untilCaughtUp: untilCaughtUp)
        guard let limit else { return inner }
        return AsyncThrowingStream { continuation in
            let task = Task {
                var count = 0
                do {
                    for try await event in inner {
                        continuation.yield(event)
                        count += 1
                        if count >= limit { break }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func send(_ reply: ChatReply) async throws {
        let fail = state.withLock { state -> Bool in
            state.sendCalls += 1
            return state.failingSendCalls.contains(state.sendCalls)
        }
        if fail { throw InjectedSendFailure() }
        try await wrapped.send(reply)
        state.withLock { $0.sent.append(reply) }
    }

    public func committed(through position: String) {
        state.withLock { $0.committed.append(position) }
        wrapped.committed(through: position)
    }

    public func replyByteBudget(for reply: ChatReply) -> Int {
        state.withLock { $0.budget } ?? wrapped.replyByteBudget(for: reply)
    }
}
