#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
import Threads

/// A long-lived byte stream (plain TCP or TLS) through libcurl's connect-only mode, for line
/// protocols such as IRC.
///
/// One owner thread does all the I/O: it connects, then `poll()`s the socket and a wake-up pipe,
/// reads until libcurl says "again" (TLS holds data `poll` cannot see), and writes what
/// ``send(_:)`` queued, keeping the tail of partial sends. Inbound bytes arrive as chunks on
/// ``inbound``; the stream ends normally when the peer closes or ``close(flushingWithin:)`` is
/// called, and with a ``CurlStreamError`` when the connection fails. Cancelling the task that
/// iterates ``inbound`` closes the connection, and so does dropping the last reference.
///
/// ```swift
/// let connection = try await CurlStreamConnection.open(host: "127.0.0.1", port: 6697, tls: true,
///                                                      caFile: "/path/ca.pem")
/// try connection.send(Array("NICK threadpress\r\nUSER threadpress 0 * :threadpress\r\n".utf8))
/// for try await chunk in connection.inbound { framer.feed(chunk) }
/// ```
///
/// Traps handled (see docs/PEERS.md): ALPN off (an https handle could otherwise negotiate h2),
/// `CURLOPT_PROXY ""` (no `http_proxy` hijack), `CURLOPT_NOSIGNAL`, SIGPIPE ignored.
public final class CurlStreamConnection: Sendable {
    /// "host:port" of the peer.
    public let endpoint: String
    /// Inbound bytes in the order received; iterate from one task only.
    public let inbound: AsyncThrowingStream<[UInt8], Error>
    let core: CurlStreamCore

    private init(core: CurlStreamCore, inbound: AsyncThrowingStream<[UInt8], Error>) {
        self.core = core
        self.endpoint = core.endpoint
        self.inbound = inbound
    }

    deinit {
        core.requestClose(flushingWithin: .zero)
    }

    /// Connects (on the connection's own thread) and returns once the TCP connection and, with
    /// `tls`, the TLS handshake are done. Cancelling the calling task abandons the attempt.
    public static func open(_ options: CurlStreamOptions) async throws -> CurlStreamConnection {
        let core = try CurlStreamCore(options: options)
        let (inbound, continuation) = AsyncThrowingStream<[UInt8], Error>.makeStream()
        continuation.onTermination = { [weak core] termination in
            if case .cancelled = termination { core?.requestClose(flushingWithin: .zero) }
        }
        let connection = CurlStreamConnection(core: core, inbound: inbound)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (opened: CheckedContinuation<Void, Error>) in
                DedicatedThread.start(name: "curl-stream \(options.endpoint)") {
                    CurlStreamOwner.run(core: core, options: options, inbound: continuation, opened: opened)
                }
            }
        } onCancel: {
            core.cancelOpening()
        }
        return connection
    }

    /// ``open(_:)`` with the common options spelled out.
    public static func open(
        host: String, port: Int, tls: Bool, verify: Bool = true, caFile: String? = nil,
        pinnedSHA256: [String] = [], clientCertificate: CurlStreamOptions.ClientCertificate? = nil,
        connectTimeout: Duration = .seconds(15)
    ) async throws -> CurlStreamConnection {
        var options = CurlStreamOptions(host: host, port: port, tls: tls)
        options.verifyPeer = verify
        options.caFile = caFile
        options.pinnedPublicKeys = pinnedSHA256
        options.clientCertificate = clientCertificate
        options.connectTimeout = connectTimeout
        return try await open(options)
    }

    /// Queues `bytes` for sending and returns at once. Throws ``CurlStreamError/Code/sendBufferFull``
    /// when more than `sendBufferLimit` bytes would wait (nothing of `bytes` is queued then), and
    /// ``CurlStreamError/Code/closed`` after the connection ended or began closing.
    public func send(_ bytes: [UInt8]) throws {
        try core.enqueue(bytes)
    }

    /// Bytes queued by ``send(_:)`` and not yet written to the socket.
    public var queuedByteCount: Int { core.queuedByteCount }

    /// Closes the connection: the owner thread first writes what is queued, for at most `flushingWithin`
    /// (zero: drop it), then closes the socket and ends ``inbound`` normally. Safe to call from
    /// any thread, any number of times.
    public func close(flushingWithin timeout: Duration = .zero) {
        core.requestClose(flushingWithin: timeout)
    }

    /// True once the owner thread has closed the socket and ended (after a close, end of stream or error).
    public var hasEnded: Bool { core.hasEnded }

    /// Returns once the owner thread has closed the socket and ended.
    public func waitUntilClosed() async {
        await core.waitUntilEnded()
    }
}

/// State shared between the owner thread and everyone else; the libcurl handle is not in here.
final class CurlStreamCore: Sendable {
    struct State {
        var outbound: [UInt8] = []
        var queuedBytes = 0
        var closeDeadline: ContinuousClock.Instant?
        var openCancelled = false
        var ended = false
        var endWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let endpoint: String
    let label: String
    let sendBufferLimit: Int
    let wake: CurlStreamWakePipe
    private let state = Mutex(State())

    init(options: CurlStreamOptions) throws {
        endpoint = options.endpoint
        label = CurlStreamError.label(options)
        sendBufferLimit = options.sendBufferLimit
        wake = try CurlStreamWakePipe(endpoint: options.endpoint)
    }

    func enqueue(_ bytes: [UInt8]) throws {
        try state.withLock { state in
            guard !state.ended, state.closeDeadline == nil else {
                throw CurlStreamError(code: .closed, endpoint: endpoint, message: "\(label): the connection is closed")
            }
            guard state.queuedBytes + bytes.count <= sendBufferLimit else {
                throw CurlStreamError(
                    code: .sendBufferFull, endpoint: endpoint,
                    message: "\(label): \(state.queuedBytes) bytes already wait to be sent and \(bytes.count) more would exceed the limit of \(sendBufferLimit); the peer is not reading")
            }
            state.outbound.append(contentsOf: bytes)
            state.queuedBytes += bytes.count
        }
        wake.signal()
    }

    var queuedByteCount: Int { state.withLock { $0.queuedBytes } }

    /// Owner thread: takes what was queued since the last call, and the close deadline if any.
    func takeOutbound() -> (bytes: [UInt8], closeDeadline: ContinuousClock.Instant?) {
        state.withLock { state in
            let bytes = state.outbound
            state.outbound = []
            return (bytes, state.closeDeadline)
        }
    }

    /// Owner thread: `count` queued bytes reached the socket.
    func didSend(_ count: Int) {
        state.withLock { $0.queuedBytes -= count }
    }

    func requestClose(flushingWithin timeout: Duration) {
        let requested = state.withLock { state -> Bool in
            guard !state.ended else { return false }
            let deadline = ContinuousClock.now + max(timeout, .zero)
            state.closeDeadline = min(state.closeDeadline ?? deadline, deadline)
            return true
        }
        if requested { wake.signal() }
    }

    func cancelOpening() {
        state.withLock { $0.openCancelled = true }
    }

    var hasEnded: Bool { state.withLock { $0.ended } }

    var isOpeningCancelled: Bool { state.withLock { $0.openCancelled } }

    /// Owner thread, last thing it does: the socket is closed.
    func markEnded() {
        let waiters = state.withLock { state in
            state.ended = true
            state.outbound = []
            state.queuedBytes = 0
            let waiters = state.endWaiters
            state.endWaiters = []
            return waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func waitUntilEnded() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ended = state.withLock { state in
                if !state.ended { state.endWaiters.append(continuation) }
                return state.ended
            }
            if ended { continuation.resume() }
        }
    }
}
