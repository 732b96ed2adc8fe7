#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
import Threads
#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on POSIX sockets: one owner thread polls every connection, parses with
/// ``HTTPRequestParser`` and hands each complete request to an async handler; the response is
/// written when the handler answers (which may take a while: a webhook holds its 200 until the
/// message is stored). `GET /healthz` is answered by the listener itself.
///
/// ```swift
/// let listener = try HTTPListener(configuration: .init(listen: "127.0.0.1:8088")) { request in
///     HTTPServerResponse.text(200, "thanks")
/// }
/// print("listening on port", listener.port)
/// try await listener.run()          // until the task is cancelled or shutdown() is called
/// ```
///
/// Defences: header, header-count and body limits (431/413), malformed requests 400 then close;
/// a whole request must arrive within ``Configuration/requestTimeout`` (slow-loris: 408 then
/// close); idle keep-alive connections close after ``Configuration/idleTimeout``; a peer that does
/// not read its response is dropped after ``Configuration/writeTimeout``; past
/// ``Configuration/maximumConnections`` new connections get 503 and are closed. A connection
/// whose handler is running is not read from (the kernel's buffers push back on a pipelining peer).
/// SIGPIPE is ignored and every send passes MSG_NOSIGNAL.
///
/// The socket is bound in `init` (so ``port`` is known before ``run()``); a listener runs once.
public final class HTTPListener: Sendable {
    public typealias Handler = @Sendable (HTTPServerRequest) async -> HTTPServerResponse

    /// Where and how to listen.
    public struct Configuration: Sendable {
        /// `address:port`; port 0 picks a free port (see ``HTTPListener/port``).
        public var listen: String
        /// Whether requests are authenticated (a token or signature). Without it only a loopback
        /// address may be used.
        public var authenticationConfigured: Bool
        public var limits: HTTPRequestParser.Limits
        /// The longest a request may take to arrive, from its first byte.
        public var requestTimeout: Duration
        /// How long an idle keep-alive connection stays open.
        public var idleTimeout: Duration
        /// How long a response may take to be read by the peer.
        public var writeTimeout: Duration
        /// Open connections at most; more are answered 503 and closed.
        public var maximumConnections: Int
        /// Answered `200 ok` for `GET`/`HEAD` by the listener; `nil` passes it to the handler.
        public var healthPath: String?

        public init(
            listen: String, authenticationConfigured: Bool = false, limits: HTTPRequestParser.Limits = .init(),
            requestTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(30),
            writeTimeout: Duration = .seconds(10), maximumConnections: Int = 256, healthPath: String? = "/healthz"
        ) {
            self.listen = listen
            self.authenticationConfigured = authenticationConfigured
            self.limits = limits
            self.requestTimeout = requestTimeout
            self.idleTimeout = idleTimeout
            self.writeTimeout = writeTimeout
            self.maximumConnections = maximumConnections
            self.healthPath = healthPath
        }
    }

    /// State shared between the loop thread, handler tasks and callers of ``shutdown()``.
    private struct Shared: ~Copyable {
        var completions: [(Int, HTTPServerResponse)] = []
        var stopping = false
        var closed = false
        var started = false
        var finished: CheckedContinuation<Void, Never>?
        var loopEnded = false
    }

    public let configuration: Configuration
    /// The bound address.
    public let address: ListenAddress
    /// The port actually bound (useful with port 0).
    public let port: UInt16
    private let listenDescriptor: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let handler: Handler
    private let shared = Mutex(Shared())

    /// Binds the socket. Throws ``HTTPListenerError`` for an unparsable address, a non-loopback
    /// address without authentication, or a failed bind.
    public init(configuration: Configuration, handler: @escaping Handler) throws(HTTPListenerError) {
        Socket.ignoreSIGPIPE
        guard let address = ListenAddress(configuration.listen) else {
            throw HTTPListenerError(.invalidAddress,
                "listen: expected an IP address and port like \"127.0.0.1:8088\" or \"[::1]:8088\", got \"\(configuration.listen)\"")
        }
        guard address.isLoopback || configuration.authenticationConfigured else {
            throw HTTPListenerError(.refusedAddress,
                "listen: \(address) is reachable from other machines, but no token or signing secret is configured; set one, or listen on 127.0.0.1")
        }
        guard let (wakeRead, wakeWrite) = Socket.pipe() else {
            throw HTTPListenerError(.socket, "cannot create the listener's wake-up pipe: \(Socket.errorText(errno))", systemError: errno)
        }
        switch Socket.listen(on: address, backlog: 1024) {
        case .failure(let error):
            close(wakeRead)
            close(wakeWrite)
            throw error
        case .success(let (descriptor, port)):
            listenDescriptor = descriptor
            self.port = port
        }
        self.address = address
        self.wakeRead = wakeRead
        self.wakeWrite = wakeWrite
        self.configuration = configuration
        self.handler = handler
    }

    deinit {
        let neverRan = shared.withLock { !$0.started }
        if neverRan {
            close(listenDescriptor)
            close(wakeRead)
            close(wakeWrite)
        }
    }

    /// Serves until ``shutdown()`` is called or the calling task is cancelled; then closes every
    /// connection (running handlers are cancelled) and returns.
    public func run() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let alreadyRan = shared.withLock { state -> Bool in
                    if state.started { return true }
                    state.started = true
                    state.finished = continuation
                    return false
                }
                if alreadyRan {
                    continuation.resume()
                    return
                }
                DedicatedThread.start(name: "HTTPListener \(address.description)") { [self] in
                    var loop = ListenerLoop(listener: self)
                    loop.run()
                    let waiter = shared.withLock { state -> CheckedContinuation<Void, Never>? in
                        state.loopEnded = true
                        defer { state.finished = nil }
                        return state.finished
                    }
                    waiter?.resume()
                }
            }
        } onCancel: {
            shutdown()
        }
    }

    /// Stops the listener (from any thread); ``run()`` returns once every connection is closed.
    public func shutdown() {
        shared.withLock { state in
            state.stopping = true
            wakeLocked(&state)
        }
    }

    // MARK: - For the loop

    fileprivate func post(_ connection: Int, _ response: HTTPServerResponse) {
        shared.withLock { state in
            guard !state.closed else { return }
            state.completions.append((connection, response))
            wakeLocked(&state)
        }
    }

    /// Writes one byte to the wake pipe; under the lock so it never races the pipe's closing.
    private func wakeLocked(_ state: inout Shared) {
        guard !state.closed else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    fileprivate func takeCompletions() -> (completions: [(Int, HTTPServerResponse)], stopping: Bool) {
        var drain = [UInt8](repeating: 0, count: 256)
        while read(wakeRead, &drain, drain.count) > 0 {}
        return shared.withLock { state in
            defer { state.completions = [] }
            return (state.completions, state.stopping)
        }
    }

    fileprivate func closeDescriptors() {
        close(listenDescriptor)
        shared.withLock { state in
            state.closed = true
            close(wakeRead)
            close(wakeWrite)
        }
    }

    fileprivate var descriptors: (listen: Int32, wake: Int32) { (listenDescriptor, wakeRead) }
    fileprivate var requestHandler: Handler { handler }
}

/// One connection, owned by the loop thread.
private struct Connection {
    enum Phase {
        case reading
        /// The handler runs; `keepAlive` and whether the body is omitted (HEAD) are remembered.
        case awaiting(keepAlive: Bool, omitBody: Bool)
        /// Flush what is queued, then close.
        case closing
    }

    let descriptor: Int32
    var parser: HTTPRequestParser
    var phase: Phase = .reading
    var output: [UInt8] = []
    var outputOffset = 0
    var requestStarted: ContinuousClock.Instant?
    var writeStarted: ContinuousClock.Instant?
    var lastActivity: ContinuousClock.Instant
    var task: Task<Void, Never>?

    var hasOutput: Bool { outputOffset < output.count }
}

/// The poll loop: runs on the listener's thread, owns every socket.
private struct ListenerLoop {
    let listener: HTTPListener
    let configuration: HTTPListener.Configuration
    var connections: [Int: Connection] = [:]
    var nextID = 0
    var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    let clock = ContinuousClock()

    init(listener: HTTPListener) {
        self.listener = listener
        configuration = listener.configuration
    }

    mutating func run() {
        let (listenDescriptor, wakeDescriptor) = listener.descriptors
        var order: [Int] = []
        var descriptors: [pollfd] = []
        while true {
            order.removeAll(keepingCapacity: true)
            descriptors.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0))
            descriptors.append(pollfd(fd: listenDescriptor, events: Int16(POLLIN), revents: 0))
            for (id, connection) in connections {
                var events: Int16 = 0
                if connection.hasOutput {
                    events = Int16(POLLOUT)
                } else if case .reading = connection.phase {
                    events = Int16(POLLIN)
                }
                order.append(id)
                descriptors.append(pollfd(fd: connection.descriptor, events: events, revents: 0))
            }
            let timeout = pollTimeout()
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if ready < 0 && errno != EINTR { break }

            let (completions, stopping) = listener.takeCompletions()
            if stopping { break }
            // Deadlines first: a connection past its deadline is dealt with before it gets more I/O.
            enforceDeadlines()
            for (id, response) in completions { complete(id, response) }

            if descriptors[1].revents & Int16(POLLIN) != 0 { acceptAll(listenDescriptor) }
            for (index, id) in order.enumerated() {
                let revents = descriptors[index + 2].revents
                guard revents != 0, connections[id] != nil else { continue }
                if revents & Int16(POLLOUT) != 0 {
                    flush(id)
                } else if revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                    if case .reading = connections[id]!.phase { readAvailable(id) } else if revents & Int16(POLLERR | POLLHUP) != 0 { drop(id) }
                }
            }
        }
        for id in Array(connections.keys) { drop(id) }
        listener.closeDescriptors()
    }

    /// Milliseconds until the nearest deadline, at most one second.
    func pollTimeout() -> Int32 {
        let now = clock.now
        var nearest = now.advanced(by: .seconds(1))
        for connection in connections.values {
            for deadline in deadlines(of: connection) where deadline < nearest { nearest = deadline }
        }
        let wait = now.duration(to: nearest)
        let (seconds, attoseconds) = wait.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(max(0, min(milliseconds + 1, 1000)))
    }

    func deadlines(of connection: Connection) -> [ContinuousClock.Instant] {
        var result: [ContinuousClock.Instant] = []
        if let started = connection.writeStarted, connection.hasOutput { result.append(started + configuration.writeTimeout) }
        if case .reading = connection.phase {
            if let started = connection.requestStarted {
                result.append(started + configuration.requestTimeout)
            } else if !connection.hasOutput {
                result.append(connection.lastActivity + configuration.idleTimeout)
            }
        }
        return result
    }

    mutating func enforceDeadlines() {
        let now = clock.now
        for id in Array(connections.keys) {
            guard let connection = connections[id] else { continue }
            if let started = connection.writeStarted, connection.hasOutput, started + configuration.writeTimeout <= now {
                drop(id)
                continue
            }
            guard case .reading = connection.phase, !connection.hasOutput else { continue }
            if let started = connection.requestStarted, started + configuration.requestTimeout <= now {
                queue(id, HTTPServerResponse.text(408, "request not received in time"), keepAlive: false)
                connections[id]?.phase = .closing
                flush(id)
            } else if connection.requestStarted == nil, connection.lastActivity + configuration.idleTimeout <= now {
                drop(id)
            }
        }
    }

    mutating func acceptAll(_ listenDescriptor: Int32) {
        for _ in 0..<64 {
            guard let descriptor = Socket.accept(listenDescriptor) else { return }
            if connections.count >= configuration.maximumConnections {
                let busy = HTTPServerResponse.text(503, "too many connections, try again").serialized(keepAlive: false)
                _ = Socket.send(descriptor, busy, from: 0)
                close(descriptor)
                continue
            }
            let id = nextID
            nextID += 1
            connections[id] = Connection(descriptor: descriptor, parser: HTTPRequestParser(limits: configuration.limits),
                                         lastActivity: clock.now)
        }
    }

    mutating func readAvailable(_ id: Int) {
        var total = 0
        while total < 256 * 1024 {
            switch Socket.receive(connections[id]!.descriptor, into: &readBuffer) {
            case .bytes(let count):
                total += count
                connections[id]!.parser.append(readBuffer[0..<count])
                connections[id]!.lastActivity = clock.now
                if count < readBuffer.count { return advance(id) }
            case .wouldBlock:
                return advance(id)
            case .closed:
                return drop(id)
            }
        }
        advance(id)
    }

    /// Takes what the parser has while the connection may take a request.
    mutating func advance(_ id: Int) {
        while var connection = connections[id], case .reading = connection.phase, !connection.hasOutput {
            guard let output = connection.parser.next() else {
                if connection.parser.hasPartialRequest {
                    if connection.requestStarted == nil { connection.requestStarted = clock.now }
                } else {
                    connection.requestStarted = nil
                }
                connections[id] = connection
                return
            }
            switch output {
            case .continueRequested:
                connections[id] = connection
                queueRaw(id, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            case .failure(let failure):
                connections[id] = connection
                queue(id, HTTPServerResponse.text(failure.status, failure.reason), keepAlive: false)
                connections[id]!.phase = .closing
            case .request(let request):
                connection.requestStarted = nil
                let omitBody = request.method == "HEAD"
                if let health = configuration.healthPath, request.path == health,
                    request.method == "GET" || request.method == "HEAD" {
                    connections[id] = connection
                    queue(id, HTTPServerResponse.text(200, "ok"), keepAlive: request.keepAlive, omitBody: omitBody)
                    if !request.keepAlive { connections[id]!.phase = .closing }
                } else {
                    connection.phase = .awaiting(keepAlive: request.keepAlive, omitBody: omitBody)
                    let handler = listener.requestHandler
                    let listener = self.listener
                    connection.task = Task {
                        let response = await handler(request)
                        listener.post(id, response)
                    }
                    connections[id] = connection
                }
            }
            write(id)
        }
    }

    mutating func complete(_ id: Int, _ response: HTTPServerResponse) {
        guard let connection = connections[id], case .awaiting(let keepAlive, let omitBody) = connection.phase else { return }
        connections[id]!.task = nil
        connections[id]!.phase = keepAlive ? .reading : .closing
        connections[id]!.lastActivity = clock.now
        queue(id, response, keepAlive: keepAlive, omitBody: omitBody)
        flush(id)
    }

    mutating func queue(_ id: Int, _ response: HTTPServerResponse, keepAlive: Bool, omitBody: Bool = false) {
        queueRaw(id, response.serialized(keepAlive: keepAlive, includeBody: !omitBody))
    }

    mutating func queueRaw(_ id: Int, _ bytes: [UInt8]) {
        guard connections[id] != nil else { return }
        if connections[id]!.hasOutput {
            connections[id]!.output += bytes
        } else {
            connections[id]!.output = bytes
            connections[id]!.outputOffset = 0
            connections[id]!.writeStarted = clock.now
        }
    }

    /// Writes what is queued, then (all written) takes the next pipelined request.
    mutating func flush(_ id: Int) {
        write(id)
        if let connection = connections[id], case .reading = connection.phase, !connection.hasOutput { advance(id) }
    }

    /// Writes what is queued; closes after a final response.
    mutating func write(_ id: Int) {
        guard var connection = connections[id] else { return }
        while connection.hasOutput {
            guard let sent = Socket.send(connection.descriptor, connection.output, from: connection.outputOffset) else {
                return drop(id)
            }
            if sent == 0 { break }
            connection.outputOffset += sent
            connection.lastActivity = clock.now
        }
        if connection.hasOutput {
            connections[id] = connection
            return
        }
        connection.output = []
        connection.outputOffset = 0
        connection.writeStarted = nil
        connections[id] = connection
        if case .closing = connection.phase { drop(id) }
    }

    mutating func drop(_ id: Int) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        connection.task?.cancel()
        close(connection.descriptor)
    }
}
