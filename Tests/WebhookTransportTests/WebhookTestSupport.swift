import BlogEngines
import BotRuntime
import CurlHTTP
import Foundation
import HTTPServer
import JSON
import MessageAuthentication
import SQLiteStorage
import Synchronization
import ThreadpressModel
import ThreadpressTesting
import WebhookTransport
import Workflow

/// The incoming-webhook stand-in: a loopback listener that records every POSTed body and answers
/// what `respond` says for the n-th request (200 by default).
final class ReplySink: Sendable {
    let listener: HTTPListener
    private let received = Locked<[HTTPServerRequest]>([])
    private let task: Task<Void, Never>

    init(respond: @escaping @Sendable (Int) -> HTTPServerResponse = { _ in .text(200, "ok") }) throws {
        let received = self.received
        listener = try HTTPListener(configuration: .init(listen: "127.0.0.1:0")) { request in
            let index = received.withLock { list -> Int in
                list.append(request)
                return list.count - 1
            }
            return respond(index)
        }
        let listener = self.listener
        task = Task { await listener.run() }
    }

    deinit { task.cancel() }

    var url: String { "http://127.0.0.1:\(listener.port)/incoming/secret-path" }
    var requests: [HTTPServerRequest] { received.withLock { $0 } }
    /// The `text` of each JSON body received.
    var texts: [String] {
        requests.compactMap { request in (try? JSONParser.parse(request.body))?["text"]?.string }
    }
}

/// A real bot (SQLite store, Markdown folder engine, workflow) reading a webhook transport on
/// 127.0.0.1, replying to a ``ReplySink``; the test plays the chat platform with libcurl.
final class WebhookBot: @unchecked Sendable {
    let folder: TemporaryDirectory
    let sink: ReplySink
    let transport: WebhookChatTransport
    let client = CurlHTTPClient(configuration: .init(maximumConcurrentTransfers: 4))
    private var running: Task<Void, Error>?
    let logs = Locked<[String]>([])

    init(_ settings: (String) -> WebhookSettings, approvers: Set<String> = ["approver-id"]) async throws {
        folder = try TemporaryDirectory(prefix: "webhook-bot")
        sink = try ReplySink()
        var configured = settings(sink.url)
        configured.listen = "127.0.0.1:0"
        let logs = self.logs
        transport = try WebhookChatTransport(settings: configured, channel: "#team", botNick: "threadpress",
                                             log: { line in logs.withLock { $0.append(line) } })
        var options = ThreadpressBot.Options(commentPollInterval: .milliseconds(50), outboxInterval: .milliseconds(20))
        options.reconnectDelay = (.milliseconds(50), .milliseconds(200))
        let bot = ThreadpressBot(
            transport: transport, engine: MarkdownFolderEngine(directory: folder.path("blog")),
            store: try SQLiteStore(path: folder.path("state.sqlite")),
            settings: WorkflowSettings(approvers: approvers, trustsNicks: transport.capabilities.trustsNicks,
                                       timeZone: IANATimeZone(identifier: "UTC")!),
            options: options,
            logger: BotLogger(level: .debug) { level, line in logs.withLock { $0.append("\(level): \(line)") } })
        running = Task { try await bot.run(once: false) }
        let transport = self.transport
        guard await eventually({ transport.listeningPort != nil }) else { throw RawHTTPClient.Failure(description: "transport never listened") }
    }

    func stop() async {
        running?.cancel()
        _ = await running?.result
        folder.remove()
    }

    var port: UInt16 { transport.listeningPort ?? 0 }

    /// POSTs a body to the transport as the platform would.
    func post(_ body: String, contentType: String, headers: [(String, String)] = [], path: String = "/hooks/chat") async throws -> HTTPResponse {
        var request = HTTPRequest(method: .post, url: URL(string: "http://127.0.0.1:\(port)\(path)")!, body: Data(body.utf8),
                                  contentType: contentType, timeout: .seconds(20))
        for (name, value) in headers { request.headers[name] = value }
        return try await client.send(request)
    }

    func posts() -> [String] { folder.list("blog/_posts").filter { !$0.hasPrefix(".") } }

    func messageCount() throws -> Int { try SQLiteStore(path: folder.path("state.sqlite")).read { try $0.messageCount() } }

    /// Waits until the sink has received a text containing `fragment`.
    func sinkReceives(_ fragment: String) async -> Bool {
        await eventually(timeout: .seconds(20)) { sink.texts.contains { $0.contains(fragment) } }
    }
}

/// Platform payloads, shaped as each platform documents them (see `WebhookDecoder`).
enum Payload {
    static let mattermostToken = "mm-outgoing-token"
    static let rocketToken = "rc-outgoing-token"
    static let slackSecret = "8f742231b10e8888abcd99yyyzzz85a5"

    static func mattermostForm(user: String, name: String, post: String, text: String, token: String = mattermostToken) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._")
        func escape(_ value: String) -> String { value.addingPercentEncoding(withAllowedCharacters: allowed)! }
        return "channel_id=c-town&channel_name=town-square&team_domain=team&team_id=t1&post_id=\(escape(post))"
            + "&text=\(escape(text))&timestamp=\(Int(Date().timeIntervalSince1970))&token=\(escape(token))"
            + "&trigger_word=&user_id=\(escape(user))&user_name=\(escape(name))&file_ids="
    }

    static func rocketChat(user: String, name: String, message: String, text: String, token: String = rocketToken) -> String {
        JSONValue.object(JSONObject([
            ("token", .string(token)), ("bot", .bool(false)), ("channel_id", .string("GENERAL")),
            ("channel_name", .string("general")), ("message_id", .string(message)),
            ("timestamp", .string(ISO8601DateFormatter().string(from: Date()))), ("user_id", .string(user)),
            ("user_name", .string(name)), ("text", .string(text)), ("siteUrl", .string("https://chat.example")),
        ])).serialized()
    }

    static func slackEvent(user: String, ts: String, text: String, threadTS: String? = nil) -> String {
        var event: [(String, JSONValue)] = [
            ("type", .string("message")), ("channel", .string("C123ABC456")), ("user", .string(user)),
            ("text", .string(text)), ("ts", .string(ts)), ("event_ts", .string(ts)), ("channel_type", .string("channel")),
        ]
        if let threadTS { event.append(("thread_ts", .string(threadTS))) }
        return JSONValue.object(JSONObject([
            ("token", .string("unused")), ("team_id", .string("T123ABC456")), ("api_app_id", .string("A1")),
            ("event", .object(JSONObject(event))), ("type", .string("event_callback")),
            ("event_id", .string("Ev" + ts.replacingOccurrences(of: ".", with: ""))), ("event_time", .integer(Int(Date().timeIntervalSince1970))),
        ])).serialized()
    }

    static func slackHeaders(_ body: String, secret: String = slackSecret, timestamp: Int = Int(Date().timeIntervalSince1970)) -> [(String, String)] {
        let mac = HMACSHA256.authenticationCode(key: Array(secret.utf8), message: Array("v0:\(timestamp):\(body)".utf8))
        return [("X-Slack-Request-Timestamp", String(timestamp)), ("X-Slack-Signature", "v0=" + HMACSHA256.hexadecimal(mac))]
    }

    /// A Slack ts a few seconds in the past, unique per call.
    static func slackTS(_ index: Int) -> String { "\(Int(Date().timeIntervalSince1970) - 60 + index).\(String(format: "%06d", index))" }
}

/// A mutex in a class, so closures can share it.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}
