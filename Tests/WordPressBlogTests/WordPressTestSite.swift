import BlogEngines
import CurlHTTP
import Foundation
import JSON
import Synchronization
import ThreadpressModel
import WordPressBlog

/// The real WordPress that `Scripts/wordpress-test-server start` runs on loopback, read from
/// `.peers/wordpress.env`.
struct WordPressTestSite: Sendable {
    struct MissingServer: Error, CustomStringConvertible {
        var description: String
    }

    let url: URL
    let prettyURL: URL
    let user: String
    let appPassword: String
    let prettyAppPassword: String
    let adminUser: String
    let adminAppPassword: String
    let prettyAdminAppPassword: String
    let root: String

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func load() throws -> WordPressTestSite {
        let path = repository.appendingPathComponent(".peers/wordpress.env").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw MissingServer(description: "\(path) is missing: run Scripts/wordpress-test-server start first")
        }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
                .trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        func value(_ name: String) throws -> String {
            guard let value = values[name], !value.isEmpty else {
                throw MissingServer(description: "\(path) has no \(name): run Scripts/wordpress-test-server start again")
            }
            return value
        }
        return WordPressTestSite(
            url: URL(string: try value("WP_URL"))!, prettyURL: URL(string: try value("WP_PRETTY_URL"))!,
            user: try value("WP_USER"), appPassword: try value("WP_APP_PASSWORD"),
            prettyAppPassword: try value("WP_PRETTY_APP_PASSWORD"), adminUser: try value("WP_ADMIN_USER"),
            adminAppPassword: try value("WP_ADMIN_APP_PASSWORD"),
            prettyAdminAppPassword: try value("WP_PRETTY_ADMIN_APP_PASSWORD"), root: try value("WP_ROOT"))
    }

    func settings(pretty: Bool = false, password: String? = nil) -> WordPressSettings {
        WordPressSettings(
            siteURL: pretty ? prettyURL : url, username: user,
            applicationPassword: password ?? (pretty ? prettyAppPassword : appPassword),
            requestTimeout: .seconds(20), userAgent: "threadpress/test")
    }

    /// The bot's engine, sending through a counting wrapper around the real curl client.
    func engine(pretty: Bool = false, password: String? = nil, now: @escaping @Sendable () -> Date = { Date() })
        -> (WordPressEngine, CountingTransport)
    {
        let settings = settings(pretty: pretty, password: password)
        let transport = CountingTransport(wrapping: CurlHTTPClient(configuration: .init(
            userAgent: settings.userAgent, acceptEncoding: "")))
        return (WordPressEngine(client: WordPressClient(settings: settings, transport: transport), now: now), transport)
    }

    /// A REST client acting as the administrator: "a person in wp-admin".
    func person(pretty: Bool = false) -> WordPressClient {
        WordPressClient(settings: WordPressSettings(
            siteURL: pretty ? prettyURL : url, username: adminUser,
            applicationPassword: pretty ? prettyAdminAppPassword : adminAppPassword))
    }

    /// Posts a reader comment through the blog's own form; returns the HTTP status (302 when accepted).
    func postCommentThroughForm(postID: String, author: String, email: String, text: String) async throws -> Int {
        func encode(_ value: String) -> String {
            value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        }
        let form = [("comment_post_ID", postID), ("author", author), ("email", email), ("url", ""), ("comment", text),
                    ("comment_parent", "0")]
            .map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&")
        let response = try await CurlHTTPClient().send(HTTPRequest(
            method: .post, url: url.appendingPathComponent("wp-comments-post.php"), body: Data(form.utf8),
            contentType: "application/x-www-form-urlencoded"))
        return response.status
    }

    /// Runs a PHP snippet inside the plain site (WordPress loaded) and returns its stdout.
    func runPHP(_ code: String) async throws -> String {
        let script = """
            <?php
            $_SERVER['HTTP_HOST'] = '\(url.host!):\(url.port!)';
            $_SERVER['REQUEST_URI'] = '/';
            require '\(root)/wp-load.php';
            \(code)
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tp-wp-\(UUID().uuidString).php")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        return try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result {
                    let process = Process()
                    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                    process.arguments = ["php", file.path]
                    process.environment = ["THREADPRESS_WP_SITE": "plain", "PATH": "/usr/bin:/bin"]
                    let output = Pipe()
                    process.standardOutput = output
                    try process.run()
                    let data = output.fileHandleForReading.readDataToEndOfFile()
                    process.waitUntilExit()
                    guard process.terminationStatus == 0 else {
                        throw MissingServer(description: "php exited with \(process.terminationStatus): \(String(decoding: data, as: UTF8.self))")
                    }
                    return String(decoding: data, as: UTF8.self)
                })
            }
        }
    }
}

/// Counts (and records) every request the engine sends, then passes it to the real client.
final class CountingTransport: WordPressHTTPTransport {
    private let wrapped: any WordPressHTTPTransport
    private let sent = Mutex<[String]>([])

    init(wrapping transport: any WordPressHTTPTransport) { wrapped = transport }

    var count: Int { sent.withLock { $0.count } }
    var requests: [String] { sent.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        sent.withLock { $0.append("\(request.method) \(request.url.absoluteString)") }
        return try await wrapped.send(request)
    }
}

/// A unique draft key and a draft built from chat lines.
func makeDraft(
    title: String = "Release planning", tags: [String] = [], lines: [(String, String)] = [("alice", "hello")],
    key: String = "tp-test-\(UUID().uuidString.lowercased())"
) -> PostDraft {
    let start = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-30T...
    let messages = lines.enumerated().map { index, line in
        ChatMessage(channel: "#team", time: start.addingTimeInterval(Double(index) * 60), sender: ChatIdentity(nick: line.0), text: line.1)
    }
    return PostDraft(
        key: key, number: 7, title: title, created: start, tags: tags, authors: Array(Set(lines.map(\.0))).sorted(),
        lines: messages, timeZone: IANATimeZone(identifier: "UTC")!)
}
