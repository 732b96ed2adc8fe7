import CurlHTTP
import Foundation
import Testing

/// ``CurlStreamConnection``'s ending paths and buffering, against the python fault server.
@Suite struct CurlStreamConnectionFaultTests {
    private func plain(_ server: LoopbackServer, configure: (inout CurlStreamOptions) -> Void = { _ in })
        async throws -> CurlStreamConnection
    {
        var options = CurlStreamOptions(host: "127.0.0.1", port: server.port, tls: false)
        configure(&options)
        return try await CurlStreamConnection.open(options)
    }

    @Test func peerCloseEndsInboundNormallyAfterTheLastLine() async throws {
        let server = try await LoopbackServer.streamFaults("close-after-line")
        defer { server.stop() }
        let connection = try await plain(server)
        let reader = StreamLineReader(connection)

        let line = try await reader.line { _ in true }
        let rest = try await reader.rest()

        #expect(line == "hello from the fault server")
        #expect(rest.isEmpty)
        try await eventually("owner thread ended") { connection.hasEnded }
        #expect(throws: CurlStreamError.self) { try connection.send(line: "PING :late") }
    }

    @Test func closeDuringABlockedPollEndsTheStreamAndTheThread() async throws {
        let server = try await LoopbackServer.streamFaults("silent")
        defer { server.stop() }
        let connection = try await plain(server)
        let reading = Task { try await StreamLineReader(connection).rest() }
        // The owner thread is in poll(): nothing arrives and nothing is queued.
        #expect(!connection.hasEnded)

        connection.close()

        let rest = try await reading.value
        #expect(rest.isEmpty)
        try await eventually("owner thread ended") { connection.hasEnded }
        await connection.waitUntilClosed()
        let error = try #require(throws: CurlStreamError.self) { try connection.send(line: "PING :late") }
        #expect(error.code == .closed)
        #expect(error.message == "127.0.0.1:\(server.port): the connection is closed")
    }

    @Test func cancellingTheReadingTaskClosesTheSocket() async throws {
        let server = try await LoopbackServer.streamFaults("record")
        defer { server.stop() }
        let connection = try await plain(server)
        try connection.send(line: "NICK reader")
        try await eventually("queued bytes written") { connection.queuedByteCount == 0 }
        let reading = Task { for try await _ in connection.inbound {} }

        reading.cancel()

        // The server records what it got once it sees the end of the stream: the socket closed.
        let received = server.folder.path("received.bin")
        try await eventually("server saw the connection close") { FileManager.default.fileExists(atPath: received) }
        #expect(try String(contentsOfFile: received, encoding: .utf8) == "NICK reader\r\n")
        try await eventually("owner thread ended") { connection.hasEnded }
    }

    @Test func droppingTheConnectionClosesTheSocket() async throws {
        let server = try await LoopbackServer.streamFaults("record")
        defer { server.stop() }
        var connection: CurlStreamConnection? = try await plain(server)
        try connection?.send(line: "QUIT :dropped")
        try await eventually("queued bytes written") { connection?.queuedByteCount == 0 }

        connection = nil

        let received = server.folder.path("received.bin")
        try await eventually("server saw the connection close") { FileManager.default.fileExists(atPath: received) }
        #expect(try String(contentsOfFile: received, encoding: .utf8) == "QUIT :dropped\r\n")
    }

    @Test func closeWithFlushWritesWhatWasQueuedFirst() async throws {
        let server = try await LoopbackServer.streamFaults("record")
        defer { server.stop() }
        let connection = try await plain(server)
        let lines = (1...200).map { "PRIVMSG #team :announcement \($0) of 200" }

        for line in lines { try connection.send(line: line) }
        connection.close(flushingWithin: .seconds(5))

        let received = server.folder.path("received.bin")
        try await eventually("server saw the connection close") { FileManager.default.fileExists(atPath: received) }
        #expect(try String(contentsOfFile: received, encoding: .utf8) == lines.map { $0 + "\r\n" }.joined())
    }

    @Test func largeSendArrivesWholeAndInOrderThroughPartialWrites() async throws {
        let server = try await LoopbackServer.streamFaults("echo")
        defer { server.stop() }
        let connection = try await plain(server) { $0.sendBufferLimit = 8 << 20 }
        defer { connection.close() }
        let reader = StreamLineReader(connection)
        let payload = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

        for start in stride(from: 0, to: payload.count, by: 100_000) {
            try connection.send(Array(payload[start..<min(start + 100_000, payload.count)]))
        }
        let echoed = try await reader.bytes(count: payload.count)

        #expect(echoed == payload)
    }

    @Test func sendBeyondTheLimitThrowsSendBufferFullWhenThePeerDoesNotRead() async throws {
        let server = try await LoopbackServer.streamFaults("silent")
        defer { server.stop() }
        let connection = try await plain(server) { $0.sendBufferLimit = 64 * 1024 }
        defer { connection.close() }
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 16 * 1024)
        var failure: CurlStreamError?

        let deadline = ContinuousClock.now + .seconds(20)
        while failure == nil && ContinuousClock.now < deadline {
            do {
                try connection.send(chunk)
            } catch let error as CurlStreamError {
                failure = error
            }
            await Task.yield()
        }

        let error = try #require(failure)
        #expect(error.code == .sendBufferFull)
        #expect(error.message.hasSuffix("would exceed the limit of 65536; the peer is not reading"))
        #expect(connection.queuedByteCount <= 64 * 1024)
        #expect(!connection.hasEnded)
    }

    @Test func refusedConnectionNamesTheEndpoint() async throws {
        let port = try LoopbackServer.closedPort()

        let error = try await #require(throws: CurlStreamError.self) {
            _ = try await CurlStreamConnection.open(host: "127.0.0.1", port: port, tls: false)
        }

        #expect(error.code == .connectionFailed)
        #expect(error.endpoint == "127.0.0.1:\(port)")
        // Plain TCP goes through a socket of its own (no libcurl), so the cause is the system's text.
        #expect(error.message == "127.0.0.1:\(port): could not connect; check host, port and that the server runs (Connection refused)")
    }

    @Test func anUnresolvableHostNamesTheHost() async throws {
        let error = try await #require(throws: CurlStreamError.self) {
            _ = try await CurlStreamConnection.open(host: "no-such-host.invalid", port: 6667, tls: false)
        }
        #expect(error.code == .connectionFailed)
        #expect(error.message.hasPrefix("no-such-host.invalid:6667: could not connect; check host, port and that the server runs (could not resolve no-such-host.invalid: "))
    }

    @Test func aPlainConnectionToAnAddressThatNeverAnswersTimesOut() async throws {
        // 192.0.2.0/24 is TEST-NET-1: never routed, so the SYN goes unanswered (or the route is refused at once).
        let started = ContinuousClock.now
        let error = try await #require(throws: CurlStreamError.self) {
            _ = try await CurlStreamConnection.open(host: "192.0.2.1", port: 6667, tls: false, connectTimeout: .milliseconds(300))
        }
        #expect(error.code == .connectionFailed)
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func cancellingAPlainOpenThrowsCancelled() async throws {
        let task = Task {
            try await CurlStreamConnection.open(host: "192.0.2.1", port: 6667, tls: false, connectTimeout: .seconds(30))
        }
        task.cancel()
        let error = try await #require(throws: CurlStreamError.self) { _ = try await task.value }
        // Cancelled before or during the connect; unreachable networks may refuse first.
        #expect([.cancelled, .connectionFailed].contains(error.code))
    }

    @Test func stalledTLSHandshakeFailsAtTheConnectTimeout() async throws {
        let server = try await LoopbackServer.streamFaults("silent")
        defer { server.stop() }
        let started = ContinuousClock.now

        let error = try await #require(throws: CurlStreamError.self) {
            _ = try await CurlStreamConnection.open(host: "127.0.0.1", port: server.port, tls: true,
                                                    connectTimeout: .milliseconds(300))
        }

        #expect(error.code == .connectionFailed)
        #expect(error.cause?.code == 28)  // CURLE_OPERATION_TIMEDOUT
        #expect(error.message.hasPrefix("127.0.0.1:\(server.port) (TLS): could not connect"))
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func cancellingOpenDuringAStalledTLSHandshakeThrowsCancelled() async throws {
        let server = try await LoopbackServer.streamFaults("silent")
        defer { server.stop() }
        let started = ContinuousClock.now
        let opening = Task {
            try await CurlStreamConnection.open(host: "127.0.0.1", port: server.port, tls: true,
                                                connectTimeout: .seconds(60))
        }

        opening.cancel()

        let error = try await #require(throws: CurlStreamError.self) { _ = try await opening.value }
        #expect(error.code == .cancelled)
        // Far below the 60 s connect timeout: cancellation, not the timeout, ended it.
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}
