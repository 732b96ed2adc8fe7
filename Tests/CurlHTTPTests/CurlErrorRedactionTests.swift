import CurlHTTP
import Foundation
import Testing

/// Credentials never reach descriptions or errors.
@Suite struct CurlErrorRedactionTests {
    static let password = "hunter2-Secret!"

    static func authorizedRequest(_ url: URL, timeout: Duration = .seconds(2)) -> HTTPRequest {
        var request = HTTPRequest(method: .post, url: url, body: Data("{}".utf8), contentType: "application/json",
                                  timeout: timeout)
        request.headers["Authorization"] = HTTPRequest.basicAuthorization(user: "bot", password: password)
        return request
    }

    static func leaks(_ text: String) -> Bool {
        let token = Data("bot:\(password)".utf8).base64EncodedString()
        return text.contains(password) || text.contains(token) || text.contains("q-secret")
    }

    @Test func basicAuthorizationIsStandardBase64() {
        #expect(HTTPRequest.basicAuthorization(user: "Aladdin", password: "open sesame")
            == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    }

    @Test func requestDescriptionAndMirrorHideCredentials() {
        let url = URL(string: "https://bot:\(Self.password)@blog.example/wp-json/wp/v2/posts?key=q-secret")!
        let request = Self.authorizedRequest(url)
        var dumped = ""
        dump(request, to: &dumped)

        for text in [String(describing: request), String(reflecting: request), dumped,
                     String(describing: request.headers)] {
            #expect(!Self.leaks(text), "leaked in: \(text)")
        }
        #expect(String(describing: request) == "POST https://blog.example/wp-json/wp/v2/posts")
        #expect(String(describing: request.headers).contains("Authorization"))
    }

    @Test func connectionErrorNeverContainsThePassword() async throws {
        let port = try LoopbackServer.closedPort()
        let url = URL(string: "http://bot:\(Self.password)@127.0.0.1:\(port)/wp-json?key=q-secret")!

        let error = try await #require(throws: CurlError.self) {
            try await CurlHTTPClient().send(Self.authorizedRequest(url))
        }

        #expect(error.message.contains("127.0.0.1"))
        for text in [error.description, error.message, error.detail, String(reflecting: error)] {
            #expect(!Self.leaks(text), "leaked in: \(text)")
        }
    }

    @Test func timeoutErrorNeverContainsThePassword() async throws {
        let server = try await LoopbackServer.faults()
        defer { server.stop() }

        let error = try await #require(throws: CurlError.self) {
            try await CurlHTTPClient().send(Self.authorizedRequest(server.url("/stall?seconds=3&key=q-secret"),
                                                                   timeout: .milliseconds(200)))
        }

        #expect(error.isTimeout)
        for text in [error.description, error.message, error.detail, String(reflecting: error)] {
            #expect(!Self.leaks(text), "leaked in: \(text)")
        }
    }

    @Test func invalidHeaderErrorNeverContainsTheValue() async throws {
        var request = HTTPRequest(url: URL(string: "http://127.0.0.1:1/")!)
        request.headers["Authorization"] = "Bearer \(Self.password)\n"

        let error = try await #require(throws: CurlError.self) { try await CurlHTTPClient().send(request) }

        #expect(!Self.leaks(error.description))
    }
}
