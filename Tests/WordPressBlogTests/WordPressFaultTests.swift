import BlogEngines
import CurlHTTP
import Foundation
import Testing
import ThreadpressModel
@testable import WordPressBlog

/// Faults a real WordPress cannot be made to produce on demand, from a python3 stand-in.
@Suite("WordPress engine when the blog is in trouble")
struct WordPressFaultTests {
    static func engine(_ url: URL, timeout: Duration = .seconds(10)) -> WordPressEngine {
        WordPressEngine(settings: WordPressSettings(
            siteURL: url, username: "author", applicationPassword: "abcd efgh ijkl", requestTimeout: timeout))
    }

    static func failure(_ body: () async throws -> Void) async -> BlogEngineError? {
        do {
            try await body()
            return nil
        } catch let error as BlogEngineError {
            return error
        } catch {
            Issue.record("expected a BlogEngineError, got \(error)")
            return nil
        }
    }

    @Test func aBusyBlogIsTransientWithItsRetryAfter() async throws {
        let server = try await FaultingWordPress.start(mode: "busy")
        defer { server.stop() }
        let error = await Self.failure { _ = try await Self.engine(server.url("/")).createDraft(makeDraft()) }
        #expect(error?.kind == .transient)
        #expect(error?.httpStatus == 503)
        #expect(error?.retryAfter == 30)
        #expect(error?.message == "blog unreachable: 127.0.0.1 answered HTTP 503 on create the draft for draft 7, asked to wait 30 s; queued, will retry")
    }

    @Test func aStallingBlogTimesOutAsTransient() async throws {
        let server = try await FaultingWordPress.start(mode: "stall")
        defer { server.stop() }
        let started = ContinuousClock.now
        let error = await Self.failure {
            _ = try await Self.engine(server.url("/"), timeout: .seconds(1)).comments(after: nil, scope: .everyPost)
        }
        #expect(error?.kind == .transient)
        #expect(error?.message == "blog unreachable: list comments at 127.0.0.1 timed out; queued, will retry")
        #expect(ContinuousClock.now - started < .seconds(8))
    }

    @Test func aBlogThatIsDownIsTransient() async throws {
        let server = try await FaultingWordPress.start(mode: "busy")
        let url = server.url("/")
        server.stop()
        // Poll until the port refuses (the kill is asynchronous), with a deadline.
        let deadline = ContinuousClock.now + .seconds(5)
        var error: BlogEngineError?
        repeat {
            error = await Self.failure { _ = try await Self.engine(url).find(key: "tp-1") }
            if error?.message.contains("could not connect") == true { break }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        #expect(error?.kind == .transient)
        #expect(error?.message == "blog unreachable: read the front page at 127.0.0.1 could not connect; queued, will retry")
    }

    @Test func aSiteWithoutTheRESTAPIIsPermanentAndSaysSo() async throws {
        let server = try await FaultingWordPress.start(mode: "no-api")
        defer { server.stop() }
        let error = await Self.failure { _ = try await Self.engine(server.url("/")).createDraft(makeDraft()) }
        #expect(error?.kind == .permanent)
        #expect(error?.message == "the WordPress REST API looks disabled at http://127.0.0.1:\(server.port)/ (HTTP 404 on read the REST API root): enable it, or check blog.wordpress.url")
    }

    @Test func aRedirectToAnotherHostIsNotFollowed() async throws {
        let server = try await FaultingWordPress.start(mode: "away")
        defer { server.stop() }
        let error = await Self.failure { _ = try await Self.engine(server.url("/")).createDraft(makeDraft()) }
        #expect(error?.kind == .permanent)
        #expect(error?.message == "WordPress redirected read the front page to elsewhere.invalid, outside 127.0.0.1: set blog.wordpress.url to the address the site really uses")
    }

    @Test func answersAreAskedForAndDecodedGzipped() async throws {
        let server = try await FaultingWordPress.start(mode: "gzip")
        defer { server.stop() }
        #expect(try await Self.engine(server.url("/")).find(key: "tp-1") == nil)
    }
}
