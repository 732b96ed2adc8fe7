import BlogEngines
import CurlHTTP
import Foundation
import ThreadpressModel
import ConfigurationReading
import JSON
import Testing
@testable import WordPressBlog

@Suite("WordPress failure classification")
struct WordPressFailureTests {
    static let http = WordPressSettings(siteURL: URL(string: "http://blog.test")!, username: "author", applicationPassword: "secret pass")
    static let https = WordPressSettings(siteURL: URL(string: "https://blog.test")!, username: "author", applicationPassword: "secret pass")
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    struct Case: Sendable, CustomStringConvertible {
        var status: Int
        var body: String
        var headers: [(String, String)] = []
        var https = false
        var isAPIRoot = false
        var kind: BlogEngineError.Kind
        var message: String
        var retryAfter: TimeInterval?
        var description: String { "HTTP \(status) \(body.prefix(30))" }
    }

    static let cases: [Case] = [
        Case(status: 401, body: #"{"code":"rest_not_logged_in","message":"You are not currently logged in.","data":{"status":401}}"#,
             kind: .permanent, message: "WordPress at blog.test rejected user \"author\" or its application password (HTTP 401 on publish post 3): check blog.wordpress.username and the application password; over plain http WordPress accepts application passwords only when its WP_ENVIRONMENT_TYPE is local (use https)"),
        Case(status: 401, body: "", https: true,
             kind: .permanent, message: "WordPress at blog.test rejected user \"author\" or its application password (HTTP 401 on publish post 3): check blog.wordpress.username and the application password"),
        Case(status: 403, body: #"{"code":"rest_cannot_publish","message":"Sorry,\nnot allowed."}"#,
             kind: .permanent, message: "WordPress user \"author\" may not publish post 3 (HTTP 403 (rest_cannot_publish: Sorry, not allowed.)): give it the Editor or Administrator role"),
        Case(status: 404, body: "<html>Not Found</html>",
             kind: .permanent, message: "the WordPress REST API looks disabled at http://blog.test (HTTP 404 on publish post 3): enable it, or check blog.wordpress.url"),
        Case(status: 404, body: #"{"code":"rest_no_route"}"#, isAPIRoot: true,
             kind: .permanent, message: "the WordPress REST API looks disabled at http://blog.test (HTTP 404 on publish post 3): enable it, or check blog.wordpress.url"),
        Case(status: 404, body: #"{"code":"rest_post_invalid_id","message":"Invalid post ID."}"#,
             kind: .conflict, message: "publish post 3: it was deleted or trashed in WordPress (HTTP 404 (rest_post_invalid_id: Invalid post ID.))"),
        Case(status: 409, body: #"{"code":"comment_duplicate","message":"Duplicate comment"}"#,
             kind: .conflict, message: "publish post 3: WordPress refused because of the current state (HTTP 409 (comment_duplicate: Duplicate comment))"),
        Case(status: 503, body: "maintenance", headers: [("Retry-After", "120")],
             kind: .transient, message: "blog unreachable: blog.test answered HTTP 503 on publish post 3, asked to wait 120 s; queued, will retry", retryAfter: 120),
        Case(status: 429, body: "", headers: [("retry-after", "Mon, 30 Nov 2026 00:54:20 GMT")],
             kind: .transient, message: "blog unreachable: blog.test answered HTTP 429 on publish post 3, asked to wait 60 s; queued, will retry", retryAfter: 60),
        Case(status: 500, body: "<b>Fatal error</b>", headers: [("Retry-After", "soon")],
             kind: .transient, message: "blog unreachable: blog.test answered HTTP 500 on publish post 3; queued, will retry"),
        Case(status: 301, body: "", headers: [("Location", "https://blog.test/wp-json/wp/v2/posts/3")],
             kind: .permanent, message: "WordPress redirected publish post 3 (HTTP 301 to blog.test): set blog.wordpress.url to the address the site really uses"),
        Case(status: 400, body: #"{"code":"rest_invalid_param","message":"Invalid parameter(s): status"}"#,
             kind: .permanent, message: "WordPress refused to publish post 3 (HTTP 400 (rest_invalid_param: Invalid parameter(s): status))"),
    ]

    @Test(arguments: cases)
    func classifiesHTTPAnswers(_ example: Case) {
        let error = WordPressFailure.classify(
            status: example.status, headers: HTTPHeaders(example.headers.map { HTTPHeaders.Field(name: $0.0, value: $0.1) }),
            body: Data(example.body.utf8), operation: "publish post 3", settings: example.https ? Self.https : Self.http,
            isAPIRoot: example.isAPIRoot, now: Self.now)
        #expect(error.kind == example.kind)
        #expect(error.message == example.message)
        #expect(error.httpStatus == example.status)
        #expect(error.retryAfter == example.retryAfter)
        #expect(!error.message.contains("secret"))
    }

    @Test(arguments: [
        (CurlError(code: 28, message: "GET http://blog.test/: Timeout was reached", summary: "Timeout was reached"),
         BlogEngineError.Kind.transient, "blog unreachable: list comments at blog.test timed out; queued, will retry"),
        (CurlError(code: 7, message: "GET http://blog.test/: Couldn't connect to server", summary: "Couldn't connect to server"),
         .transient, "blog unreachable: list comments at blog.test could not connect; queued, will retry"),
        (CurlError(code: 56, message: "x", summary: "Failure when receiving data from the peer"),
         .transient, "blog unreachable: list comments at blog.test Failure when receiving data from the peer; queued, will retry"),
        (CurlError(code: 60, message: "x", summary: "SSL peer certificate or SSH remote key was not OK"),
         .permanent, "the TLS certificate of blog.test is not trusted (SSL peer certificate or SSH remote key was not OK): fix the certificate or blog.wordpress.url"),
    ])
    func classifiesTransportFailures(error: CurlError, kind: BlogEngineError.Kind, message: String) {
        let classified = WordPressFailure.classify(transportError: error, operation: "list comments", settings: Self.http)
        #expect(classified.kind == kind)
        #expect(classified.message == message)
    }

    @Test(arguments: [
        (#"<http://a.test/wp-json/>; rel="https://api.w.org/""#, "http://a.test/wp-json/"),
        (#"<http://a.test/?p=1>; rel=shortlink, <http://a.test/index.php?rest_route=/>; rel="https://api.w.org/""#, "http://a.test/index.php?rest_route=/"),
        (#"<http://a.test/x>; rel="alternate""#, nil),
        (#"http://a.test/wp-json/; rel="https://api.w.org/""#, nil),
    ])
    func findsTheAPIRootInALinkHeader(header: String, expected: String?) {
        #expect(WordPressClient.apiLink(header) == expected)
    }

    @Test(arguments: [
        ("http://a.test/wp-json/", "/wp/v2/posts/12", [("context", "edit")], "http://a.test/wp-json/wp/v2/posts/12?context=edit"),
        ("http://a.test/index.php?rest_route=/", "/wp/v2/posts", [("search", "threadpress:tp-1"), ("status", "draft,publish")],
         "http://a.test/index.php?rest_route=%2Fwp%2Fv2%2Fposts&search=threadpress%3Atp-1&status=draft%2Cpublish"),
        ("http://a.test/blog/?rest_route=/", "/wp/v2/comments", [], "http://a.test/blog/?rest_route=%2Fwp%2Fv2%2Fcomments"),
        ("https://a.test/wp-json", "/wp/v2/tags", [("search", "a b&c")], "https://a.test/wp-json/wp/v2/tags?search=a%20b%26c"),
    ])
    func buildsEndpointURLsForBothRootStyles(root: String, route: String, query: [(String, String)], expected: String) {
        #expect(WordPressClient.endpoint(root: URL(string: root)!, route: route, query: query).absoluteString == expected)
    }

    @Test func settingsNeverShowThePasswordAndNameEveryProblem() {
        #expect(!Self.http.description.contains("secret"))
        #expect(Self.http.validationProblems().isEmpty)
        let bad = WordPressSettings(
            siteURL: URL(string: "ftp://u:p@blog.test/?x=1")!, username: " ", applicationPassword: "  ",
            requestTimeout: .milliseconds(10), commentExcerptLimit: 5)
        #expect(bad.validationProblems() == [
            "url: expected an http(s) URL such as https://blog.example.com",
            "url: give the site's address without ?query or #fragment",
            "url: put no credentials in the URL; use username and app_password_env",
            "username: expected the WordPress login name the bot writes as",
            "app_password_env: the application password is empty",
            "request_timeout_seconds: expected 1…300",
            "comment_excerpt_characters: expected 20…2000",
        ])
    }

    @Test(arguments: [
        ("2026-12-02T06:00:00", "Europe/Berlin", 1.0),
        ("2026-10-25T00:30:00", "Europe/Berlin", 3601.0),  // Berlin falls back at 01:00 UTC
        ("2026-10-25T01:30:00", "Europe/Berlin", 3601.0),
        ("2026-10-25T03:00:00", "Europe/Berlin", 1.0),
        ("2026-10-25T00:30:00", "UTC", 1.0),
        ("2026-10-25T00:30:00", "", 1.0),  // a fixed offset: no time zone name
    ])
    func theCursorMarginWidensOnlyAroundADaylightSavingChange(cursor: String, zone: String, expected: Double) {
        let date = WordPressEngine.parseGMT(cursor)!
        #expect(WordPressEngine.cursorMargin(at: date, siteZone: IANATimeZone(identifier: zone)) == expected)
    }

    static func read(_ json: String, environment: [String: String] = [:]) -> (WordPressSettings?, [String]) {
        let context = ConfigurationContext(sourceName: "config.json", baseDirectory: "/tmp", environment: environment)
        let value = try! JSONParser.parse(Array(json.utf8))
        let settings = ConfigurationObjectReader.root(value, path: "blog.wordpress", context: context)
            .flatMap { WordPressSettings(reading: $0) }
        return (settings, context.problems.map { "\($0.path): \($0.message)" })
    }

    @Test func readsTheConfigurationSection() throws {
        let (settings, problems) = Self.read("""
            {"url": "https://blog.example.com", "username": "author", "app_password_env": "WP_PW",
             "request_timeout_seconds": 12}
            """, environment: ["WP_PW": "abcd efgh ijkl"])
        #expect(problems == [])
        let read = try #require(settings)
        #expect(read.siteURL.absoluteString == "https://blog.example.com")
        #expect(read.username == "author")
        #expect(read.applicationPassword == "abcd efgh ijkl")
        #expect(read.requestTimeout == .seconds(12))
        // Scope and excerpt length are the general comments.* settings, set by the assembly.
        #expect(read.commentScope == .everyPost)
        #expect(read.commentExcerptLimit == 300)
    }

    @Test func namesEveryBadKeyWithoutShowingThePassword() {
        let (settings, problems) = Self.read("""
            {"url": "blog.example.com", "app_password": "hunter2 secret", "comment_scope": "every_post",
             "request_timeout_seconds": 0, "colour": "blue"}
            """)
        #expect(settings == nil)
        #expect(problems == [
            "blog.wordpress.url: expected an http(s) URL such as \"https://blog.example.com\", got \"blog.example.com\"",
            "blog.wordpress.username: required but missing; give the WordPress login the bot writes as",
            "blog.wordpress.request_timeout_seconds: expected a whole number from 1 to 300, got 0",
            "blog.wordpress.comment_scope: not a WordPress setting; use comments.scope, which applies to every blog engine",
            "blog.wordpress.colour: unknown key; expected one of \"url\", \"username\", \"app_password\", \"app_password_env\", "
                + "\"app_password_file\", \"request_timeout_seconds\" or \"comment_scope\"",
        ])
        #expect(!problems.joined().contains("hunter2"))
    }

    @Test func reportsWhatOnlyTheSettingsKnowOnTheSamePaths() {
        let (settings, problems) = Self.read("""
            {"url": "https://blog.example.com/?p=1", "username": " ", "app_password_file_missing": 1, "app_password": "x"}
            """)
        #expect(settings == nil)
        #expect(problems == [
            "blog.wordpress.url: give the site's address without ?query or #fragment",
            "blog.wordpress.username: expected the WordPress login name the bot writes as",
            "blog.wordpress.app_password_file_missing: unknown key; did you mean \"app_password\"?",
        ])
    }
}
