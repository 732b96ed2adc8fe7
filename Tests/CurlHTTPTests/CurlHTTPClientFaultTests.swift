import CurlHTTP
import Foundation
import Testing

/// Against the fault-injecting python server: errors, stalls, echoes of what was sent.
@Suite struct CurlHTTPClientFaultTests {
    private func echo(_ response: HTTPResponse) throws -> Echo {
        try JSONDecoder().decode(Echo.self, from: response.body)
    }

    @Test func serverErrorIsAResponseWithStatusAndBody() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }

        let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/status/500")))

        #expect(response.status == 500)
        #expect(response.text == "boom")
        #expect(response.headers["content-type"] == "text/plain")
    }

    @Test func stalledServerFailsWithTimeoutErrorInTime() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }
        let started = ContinuousClock.now

        let error = try await #require(throws: CurlError.self) {
            try await CurlHTTPClient().send(HTTPRequest(url: server.url("/stall?seconds=5"), timeout: .milliseconds(300)))
        }

        let elapsed = ContinuousClock.now - started
        #expect(error.isTimeout)
        #expect(error.code == 28)  // CURLE_OPERATION_TIMEDOUT
        #expect(error.message.contains("http://127.0.0.1:\(server.port)/stall"))
        // The server would answer after 5 s; failing well before that proves the timeout acted.
        #expect(elapsed < .seconds(4))
    }

    @Test func postSendsBodyWithGivenContentType() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }
        let json = #"{"title":"Release notes","draft":true}"#

        let response = try await CurlHTTPClient().send(HTTPRequest(
            method: .post, url: server.url("/echo"), body: Data(json.utf8), contentType: "application/json"))

        let echo = try echo(response)
        #expect(echo.method == "POST")
        #expect(echo.body == json)
        #expect(echo.values("Content-Type") == ["application/json"])
        #expect(echo.values("Content-Length") == [String(json.utf8.count)])
    }

    @Test func largeBodyIsSentWholeWithoutExpectHeader() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }
        let body = Data((0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        let checksum = body.reduce(0) { ($0 + Int($1)) % 1_000_003 }

        let response = try await CurlHTTPClient().send(HTTPRequest(
            method: .put, url: server.url("/upload"), body: body, contentType: "application/octet-stream"))

        let echo = try echo(response)
        #expect(echo.method == "PUT")
        #expect(echo.values("Expect").isEmpty)
        #expect(echo.bodyLength == 2 << 20)
        #expect(echo.bodyChecksum == checksum)
    }

    @Test func customHeadersAreSentAndBodyGetsExplicitContentType() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }
        var request = HTTPRequest(method: .patch, url: server.url("/posts/7"), body: Data("x=1".utf8))
        request.headers["X-Threadpress-Trace"] = "trace-42"
        request.headers.add("Accept", "application/json")

        let echo = try echo(try await CurlHTTPClient().send(request))

        #expect(echo.method == "PATCH")
        #expect(echo.path == "/posts/7")
        #expect(echo.values("x-threadpress-trace") == ["trace-42"])
        #expect(echo.values("Accept") == ["application/json"])
        // Not libcurl's form default.
        #expect(echo.values("Content-Type") == ["application/octet-stream"])
        #expect(echo.values("User-Agent") == ["threadpress"])
    }

    @Test func deleteWithoutBodySendsMethodAndNoContentType() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }

        let echo = try echo(try await CurlHTTPClient().send(HTTPRequest(method: .delete, url: server.url("/posts/9"))))

        #expect(echo.method == "DELETE")
        #expect(echo.values("Content-Type").isEmpty)
        #expect(echo.bodyLength == 0)
    }

    @Test func redirectsAreReturnedNotFollowed() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }

        let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/redirect")))

        #expect(response.status == 302)
        #expect(response.headers["location"] == "/echo")
    }

    @Test func responseHeadersKeepRepeatsAndLookUpAnyCase() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }

        let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/headers")))

        #expect(response.headers.values(for: "x-multi") == ["one", "two"])
        #expect(response.headers["x-threadpress-answer"] == "42")
        #expect(response.headers.contains("X-THREADPRESS-ANSWER"))
    }

    @Test func responseBodyOverTheLimitFails() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }
        let client = CurlHTTPClient(configuration: .init(maximumResponseBodySize: 1000))

        let small = try await client.send(HTTPRequest(url: server.url("/bytes?count=1000")))
        #expect(small.body.count == 1000)

        let error = try await #require(throws: CurlError.self) {
            try await client.send(HTTPRequest(url: server.url("/bytes?count=1001")))
        }
        #expect(error.code == 23)  // CURLE_WRITE_ERROR
        #expect(error.message.contains("larger than the limit of 1000 bytes"))
    }

    @Test func headerValueWithLineBreakIsRejectedBeforeSending() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }
        var request = HTTPRequest(url: server.url("/echo"))
        request.headers["X-Note"] = "fine\r\nX-Injected: gotcha"

        let error = try await #require(throws: CurlError.self) { try await CurlHTTPClient().send(request) }

        #expect(error.code == 43)  // CURLE_BAD_FUNCTION_ARGUMENT
        #expect(error.message.contains("X-Note"))
        #expect(!error.message.contains("gotcha"))
    }

    @Test func cancellingTheTaskAbortsAStalledTransfer() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }
        let client = CurlHTTPClient()
        let url = server.url("/stall?seconds=5")
        let started = ContinuousClock.now

        let task = Task {
            try await client.send(HTTPRequest(url: url, timeout: .seconds(5)))
        }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()

        await #expect(throws: CancellationError.self) { try await task.value }
        // Not a speed check: the server answers after 5 s, so ending well before proves the abort.
        #expect(ContinuousClock.now - started < .seconds(4))
    }

    @Test func blockingTransfersRunOffTheCooperativePool() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }
        // More blocked transfers than this machine has cores (and so cooperative-pool threads).
        let transfers = ProcessInfo.processInfo.activeProcessorCount + 2
        let client = CurlHTTPClient(configuration: .init(maximumConcurrentTransfers: transfers))
        let url = server.url("/stall?seconds=2")

        // Ordering, not timing: with more blocked transfers than this machine has cores, async work
        // must still run to completion while every transfer is still waiting on the server.
        enum Finished: Equatable { case transfer, asyncWork }
        let order = try await withThrowingTaskGroup(of: Finished.self) { group in
            for _ in 0..<transfers {
                group.addTask {
                    let response = try await client.send(HTTPRequest(url: url))
                    #expect(response.text == "late")
                    return .transfer
                }
            }
            group.addTask {
                for _ in 0..<5 { try await Task.sleep(for: .milliseconds(10)) }
                return .asyncWork
            }
            var order: [Finished] = []
            for try await finished in group { order.append(finished) }
            return order
        }
        #expect(order == [.asyncWork] + Array(repeating: .transfer, count: transfers))
    }
}
