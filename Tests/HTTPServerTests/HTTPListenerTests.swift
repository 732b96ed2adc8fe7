import CurlHTTP
import Foundation
import Synchronization
import Testing
import ThreadpressTesting
@testable import HTTPServer

/// The listener on 127.0.0.1 with real sockets: a raw client for exact bytes, libcurl as a real peer.
@Suite struct HTTPListenerTests {
    /// Echoes `METHOD path body` for every request.
    static let echo: HTTPListener.Handler = { request in
        HTTPServerResponse.text(200, "\(request.method) \(request.path) \(String(decoding: request.body, as: UTF8.self))")
    }

    /// Runs `body` with a started listener; stops it afterwards and waits for `run()` to return.
    static func withListener(
        _ configuration: HTTPListener.Configuration = .init(listen: "127.0.0.1:0"),
        handler: @escaping HTTPListener.Handler = echo,
        _ body: (HTTPListener) async throws -> Void
    ) async throws {
        let listener = try HTTPListener(configuration: configuration, handler: handler)
        let running = Task { await listener.run() }
        do {
            try await body(listener)
        } catch {
            running.cancel()
            await running.value
            throw error
        }
        running.cancel()
        await running.value
    }

    @Test func answersHealthzItself() async throws {
        try await Self.withListener(handler: { _ in HTTPServerResponse.text(500, "handler should not run") }) { listener in
            let client = try RawHTTPClient(port: listener.port)
            try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.body == "ok\n")
        }
    }

    @Test func servesSeveralRequestsOnOneKeptAliveConnection() async throws {
        try await Self.withListener { listener in
            let client = try RawHTTPClient(port: listener.port)
            try client.send("POST /one HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nfirst")
            let first = try await client.readResponse()
            try client.send("POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nsecond")
            let second = try await client.readResponse()
            #expect(first.status == 200 && first.body == "POST /one first\n")
            #expect(second.status == 200 && second.body == "POST /two second\n")
            #expect(second.headers["connection"] == "keep-alive")
        }
    }

    @Test func answersPipelinedRequestsInOrder() async throws {
        try await Self.withListener { listener in
            let client = try RawHTTPClient(port: listener.port)
            try client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\nPOST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nConnection: close\r\n\r\nz")
            #expect(try await client.readResponse().body == "GET /a \n")
            #expect(try await client.readResponse().body == "ok\n")
            let last = try await client.readResponse()
            #expect(last.body == "POST /c z\n")
            #expect(last.headers["connection"] == "close")
            #expect(await client.waitForClose())
        }
    }

    @Test func decodesAChunkedBody() async throws {
        try await Self.withListener { listener in
            let client = try RawHTTPClient(port: listener.port)
            try client.send("POST /chunks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n")
            #expect(try await client.readResponse().body == "POST /chunks Wikipedia\n")
        }
    }

    @Test func refusesAnOversizeBodyWith413AndCloses() async throws {
        try await Self.withListener { listener in
            let client = try RawHTTPClient(port: listener.port)
            try client.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n")
            #expect(try await client.readResponse().status == 413)
            #expect(await client.waitForClose())
        }
    }

    @Test func answersMalformedRequestsWith400AndCloses() async throws {
        try await Self.withListener { listener in
            let client = try RawHTTPClient(port: listener.port)
            try client.send("GARBAGE\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.headers["connection"] == "close")
            #expect(await client.waitForClose())
            // And the listener still serves others.
            let next = try RawHTTPClient(port: listener.port)
            try next.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await next.readResponse().status == 200)
        }
    }

    @Test func closesASlowLorisWith408AfterTheRequestTimeout() async throws {
        let configuration = HTTPListener.Configuration(listen: "127.0.0.1:0", requestTimeout: .milliseconds(500))
        try await Self.withListener(configuration) { listener in
            let client = try RawHTTPClient(port: listener.port)
            let started = ContinuousClock.now
            try client.send("POST /slow HTTP/1.1\r\nHost: x\r\n")
            // One more byte now and then does not extend the deadline.
            try? await Task.sleep(for: .milliseconds(200))
            try? client.send("X")
            let response = try await client.readResponse(timeout: 5)
            #expect(response.status == 408)
            #expect(await client.waitForClose())
            #expect(ContinuousClock.now - started < .seconds(8))
        }
    }

    @Test func closesAnIdleKeptAliveConnection() async throws {
        let configuration = HTTPListener.Configuration(listen: "127.0.0.1:0", idleTimeout: .milliseconds(300))
        try await Self.withListener(configuration) { listener in
            let client = try RawHTTPClient(port: listener.port)
            try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
            #expect(await client.waitForClose(timeout: 5))
        }
    }

    @Test func aSlowHandlerDoesNotBlockOtherConnections() async throws {
        let release = Mutex(false)
        let handler: HTTPListener.Handler = { request in
            if request.path == "/slow" {
                while !release.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
            }
            return HTTPServerResponse.text(200, request.path)
        }
        try await Self.withListener(handler: handler) { listener in
            let slow = try RawHTTPClient(port: listener.port)
            try slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            for index in 0..<5 {
                let fast = try RawHTTPClient(port: listener.port)
                try fast.send("GET /fast\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await fast.readResponse().body == "/fast\(index)\n")
            }
            release.withLock { $0 = true }
            #expect(try await slow.readResponse().body == "/slow\n")
        }
    }

    @Test func answers503PastTheConnectionLimit() async throws {
        let configuration = HTTPListener.Configuration(listen: "127.0.0.1:0", maximumConnections: 2)
        try await Self.withListener(configuration) { listener in
            let first = try RawHTTPClient(port: listener.port)
            let second = try RawHTTPClient(port: listener.port)
            try first.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            try second.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await first.readResponse().status == 200)
            #expect(try await second.readResponse().status == 200)
            let third = try RawHTTPClient(port: listener.port)
            #expect(try await third.readResponse().status == 503)
        }
    }

    @Test func servesIPv6Loopback() async throws {
        try await Self.withListener(.init(listen: "[::1]:0")) { listener in
            let response = try await CurlHTTPClient().send(HTTPRequest(url: URL(string: "http://[::1]:\(listener.port)/healthz")!))
            #expect(response.status == 200)
            #expect(response.text == "ok\n")
        }
    }

    @Test func dropsAPeerThatDoesNotReadItsResponse() async throws {
        let configuration = HTTPListener.Configuration(listen: "127.0.0.1:0", writeTimeout: .milliseconds(300))
        let big = [UInt8](repeating: 0x61, count: 16 << 20)
        try await Self.withListener(configuration, handler: { _ in HTTPServerResponse(status: 200, body: big) }) { listener in
            let client = try RawHTTPClient(port: listener.port, receiveBufferSize: 16 * 1024)
            try client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            // Not reading: the kernel buffers fill, the listener gives up after the write timeout.
            try await Task.sleep(for: .seconds(1))
            #expect(await client.waitForClose(timeout: 10))
            let next = try RawHTTPClient(port: listener.port)
            try next.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await next.readResponse().status == 200)
        }
    }

    @Test func refusesANonLoopbackAddressWithoutAuthentication() throws {
        #expect(throws: HTTPListenerError.self) {
            _ = try HTTPListener(configuration: .init(listen: "0.0.0.0:0"), handler: Self.echo)
        }
        do {
            _ = try HTTPListener(configuration: .init(listen: "0.0.0.0:0"), handler: Self.echo)
        } catch {
            #expect(error.kind == .refusedAddress)
            #expect(error.message.contains("token or signing secret"))
        }
        let allowed = try HTTPListener(configuration: .init(listen: "0.0.0.0:0", authenticationConfigured: true), handler: Self.echo)
        #expect(allowed.port != 0)
        do {
            _ = try HTTPListener(configuration: .init(listen: "localhost:80"), handler: Self.echo)
        } catch {
            #expect(error.kind == .invalidAddress)
        }
    }

    @Test func reportsAPortInUse() throws {
        let first = try HTTPListener(configuration: .init(listen: "127.0.0.1:0"), handler: Self.echo)
        do {
            _ = try HTTPListener(configuration: .init(listen: "127.0.0.1:\(first.port)"), handler: Self.echo)
            Issue.record("bound a port already in use")
        } catch {
            #expect(error.kind == .socket)
            #expect(error.message.contains("127.0.0.1:\(first.port)"))
        }
    }

    @Test func cancellingRunClosesTheListeningSocket() async throws {
        let listener = try HTTPListener(configuration: .init(listen: "127.0.0.1:0"), handler: Self.echo)
        let port = listener.port
        let running = Task { await listener.run() }
        let client = try RawHTTPClient(port: port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try await client.readResponse().status == 200)
        running.cancel()
        await running.value
        #expect(await client.waitForClose())
        #expect(throws: RawHTTPClient.Failure.self) { _ = try RawHTTPClient(port: port) }
    }

    @Test func cancellationReachesARunningHandler() async throws {
        let sawCancellation = Mutex(false)
        let started = Mutex(false)
        let handler: HTTPListener.Handler = { _ in
            started.withLock { $0 = true }
            while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
            sawCancellation.withLock { $0 = true }
            return HTTPServerResponse.text(503, "stopping")
        }
        let listener = try HTTPListener(configuration: .init(listen: "127.0.0.1:0"), handler: handler)
        let running = Task { await listener.run() }
        let client = try RawHTTPClient(port: listener.port)
        try client.send("POST /wait HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        #expect(await eventually { started.withLock { $0 } })
        listener.shutdown()
        await running.value
        #expect(await eventually { sawCancellation.withLock { $0 } })
    }

    @Test func servesLibcurlWithKeepAliveAndExpectContinue() async throws {
        try await Self.withListener { listener in
            let client = CurlHTTPClient(configuration: .init(maximumConcurrentTransfers: 1))
            let url = URL(string: "http://127.0.0.1:\(listener.port)/curl")!
            for index in 0..<3 {
                let response = try await client.send(HTTPRequest(method: .post, url: url, body: Data("body\(index)".utf8), contentType: "text/plain"))
                #expect(response.status == 200)
                #expect(response.text == "POST /curl body\(index)\n")
            }
            // The curl tool sends Expect: 100-continue when asked; the listener answers it.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = ["-s", "--noproxy", "*", "-H", "Expect: 100-continue", "--data-binary", "expect-me", url.absoluteString]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            process.waitUntilExit()
            #expect(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "POST /curl expect-me\n")
        }
    }
}
