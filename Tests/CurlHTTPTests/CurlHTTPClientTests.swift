import CurlHTTP
import Foundation
import Testing

/// Against `python3 -m http.server` on loopback: the plain, successful path.
@Suite struct CurlHTTPClientTests {
    @Test func getsAFileFromARealHTTPServer() async throws {
        let contents = "hello from threadpress\nline two ✓\n"
        let server = try await LoopbackServer.staticFiles(["hello.txt": contents])
        defer { server.stop() }

        let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/hello.txt")))

        #expect(response.status == 200)
        #expect(response.isSuccess)
        #expect(response.text == contents)
        #expect(response.headers["CONTENT-LENGTH"] == String(contents.utf8.count))
        #expect(response.headers["content-type"]?.hasPrefix("text/plain") == true)
    }

    @Test func missingFileIsA404ResponseNotAnError() async throws {
        let server = try await LoopbackServer.staticFiles(["present.txt": "x"])
        defer { server.stop() }

        let response = try await CurlHTTPClient().send(HTTPRequest(url: server.url("/absent.txt")))

        #expect(response.status == 404)
        #expect(!response.isSuccess)
    }

    @Test func headRequestReturnsHeadersWithoutBody() async throws {
        let server = try await LoopbackServer.staticFiles(["page.html": "<p>twelve b</p>"])
        defer { server.stop() }

        let response = try await CurlHTTPClient().send(HTTPRequest(method: .head, url: server.url("/page.html")))

        #expect(response.status == 200)
        #expect(response.headers["Content-Length"] == "15")
        #expect(response.body.isEmpty)
    }

    @Test func oneClientServesSequentialRequestsOnItsWorkerHandle() async throws {
        let server = try await LoopbackServer.staticFiles(["a.txt": "A", "b.txt": "BB"])
        defer { server.stop() }
        let client = CurlHTTPClient()

        let first = try await client.send(HTTPRequest(url: server.url("/a.txt")))
        let second = try await client.send(HTTPRequest(url: server.url("/b.txt")))
        let third = try await client.send(HTTPRequest(url: server.url("/a.txt")))

        #expect([first.text, second.text, third.text] == ["A", "BB", "A"])
    }

    @Test func connectionRefusedThrowsCurlErrorNamingHostAndPath() async throws {
        let port = try LoopbackServer.closedPort()
        let url = URL(string: "http://127.0.0.1:\(port)/feed/latest?token=q-secret-123")!

        let error = try await #require(throws: CurlError.self) {
            try await CurlHTTPClient().send(HTTPRequest(url: url, timeout: .seconds(2)))
        }

        #expect(error.isConnectionFailure)
        #expect(error.code == 7)  // CURLE_COULDNT_CONNECT
        #expect(error.message.contains("GET http://127.0.0.1:\(port)/feed/latest"))
        #expect(error.message.contains("Couldn't connect to server"))
        #expect(!error.description.contains("q-secret-123"))
        #expect(!error.description.contains("token="))
    }

    @Test func nonHTTPSchemesAreRefused() async throws {
        let error = try await #require(throws: CurlError.self) {
            try await CurlHTTPClient().send(HTTPRequest(url: URL(string: "file:///etc/passwd")!))
        }
        #expect(error.code == 1)  // CURLE_UNSUPPORTED_PROTOCOL
    }
}
