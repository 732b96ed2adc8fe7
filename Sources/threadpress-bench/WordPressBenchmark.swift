import BotRuntime
import ChatTransports
import CurlHTTP
import Foundation
import SQLiteStorage
import Workflow
import Synchronization
import ThreadpressModel
import WordPressBlog

/// `threadpress-bench wordpress [--rounds N]`: against the real WordPress of
/// `Scripts/wordpress-test-server start` (read from `.peers/wordpress.env` in the current folder),
/// measures what a comment poll costs when nothing is new (requests and time, for every post and for
/// 50 named posts) and what `publish` costs over the bare REST call that publishes a draft.
struct WordPressBenchmark {
    var rounds = 30

    init(arguments: [String]) throws {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--rounds":
                guard let value = rest.popFirst().flatMap(Int.init), value > 0 else { throw BenchmarkError("--rounds needs a positive number") }
                rounds = value
            default:
                throw BenchmarkError("unknown argument \(argument); usage: threadpress-bench wordpress [--rounds N]")
            }
        }
    }

    struct BenchmarkError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    final class Counting: WordPressHTTPTransport {
        let wrapped = CurlHTTPClient(configuration: .init(userAgent: "threadpress-bench", acceptEncoding: ""))
        let sent = Mutex(0)
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            sent.withLock { $0 += 1 }
            return try await wrapped.send(request)
        }
    }

    func run() async throws -> Int32 {
        let env = try Self.environment()
        guard let url = env["WP_URL"].flatMap(URL.init(string:)), let user = env["WP_USER"], let password = env["WP_APP_PASSWORD"] else {
            throw BenchmarkError(".peers/wordpress.env is missing or incomplete: run Scripts/wordpress-test-server start")
        }
        let settings = WordPressSettings(siteURL: url, username: user, applicationPassword: password, userAgent: "threadpress-bench")
        let transport = Counting()
        let client = WordPressClient(settings: settings, transport: transport)
        let engine = WordPressEngine(client: client)

        // Posts to name in the scoped poll and drafts to publish (not timed).
        var drafts: [(PostDraft, PostReference)] = []
        for index in 0..<(2 * rounds + 50) {
            let draft = PostDraft(
                key: "tp-bench-\(UUID().uuidString.lowercased())", number: Int64(index), title: "Benchmark \(index)",
                created: Date(), tags: [], authors: ["alice"],
                lines: [ChatMessage(channel: "#bench", time: Date(), sender: ChatIdentity(nick: "alice"), text: "line \(index)")],
                timeZone: IANATimeZone(identifier: "UTC")!)
            drafts.append((draft, try await engine.createDraft(draft)))
        }
        let future = ISO8601DateFormatter().string(from: Date().addingTimeInterval(86_400)).replacingOccurrences(of: "Z", with: "")
        _ = try await engine.comments(after: future, scope: .everyPost)  // time zone, connection warm

        func measure(_ label: String, _ body: () async throws -> Void) async throws {
            var times: [Duration] = []
            let before = transport.sent.withLock { $0 }
            for _ in 0..<rounds {
                let start = ContinuousClock.now
                try await body()
                times.append(ContinuousClock.now - start)
            }
            let requests = Double(transport.sent.withLock { $0 } - before) / Double(rounds)
            times.sort()
            func ms(_ duration: Duration) -> String { String(format: "%.1f ms", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000) }
            print("\(label.padding(toLength: 46, withPad: " ", startingAt: 0)) requests/op \(String(format: "%.2f", requests))  median \(ms(times[times.count / 2]))  p90 \(ms(times[times.count * 9 / 10]))")
        }

        print("WordPress at \(url.absoluteString), \(rounds) rounds each")
        try await measure("poll, nothing new, every post") { _ = try await engine.comments(after: future, scope: .everyPost) }
        let fifty = drafts.suffix(50).map(\.1)
        try await measure("poll, nothing new, 50 named posts") { _ = try await engine.comments(after: future, scope: .posts(fifty)) }
        var bare = drafts.prefix(rounds).makeIterator()
        try await measure("bare REST publish (one POST status=publish)") {
            let (_, reference) = bare.next()!
            _ = try await client.post("/wp/v2/posts/\(reference.remoteID)", body: .object(.init([("status", .string("publish"))])),
                                      query: [("_fields", "id,status")], operation: "publish")
        }
        var ours = drafts.dropFirst(rounds).prefix(rounds).makeIterator()
        try await measure("WordPressEngine.publish (GET + POST)") {
            let (draft, reference) = ours.next()!
            _ = try await engine.publish(draft, reference: reference, at: Date())
        }
        try await measureBotApproval(engine: engine, measure: measure)
        return 0
    }

    /// The bot's whole path for `!approve N`: the command stored and decided (`MessageIngestor`, one
    /// transaction), the publish run from the outbox (`BlogOutboxWorker`: started mark, engine
    /// publish, result and reply recorded). Against the bare REST call above, the difference is the
    /// bot's overhead. Promoting each draft first is not timed.
    func measureBotApproval(
        engine: WordPressEngine, measure: (String, () async throws -> Void) async throws -> Void
    ) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tp-wp-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try SQLiteStore(path: "\(folder)/bench.sqlite")
        let utc = IANATimeZone(identifier: "UTC")!
        let logger = BotLogger(level: .error)
        let ingestor = MessageIngestor(
            store: store, workflow: DraftWorkflow(settings: WorkflowSettings(approvers: ["clark"], trustsNicks: true, timeZone: utc)),
            transportIdentifier: "bench", logger: logger, freshness: .init(maximumAge: nil),
            rateLimit: CommandRateLimiter(burst: 1_000_000, perMinute: 6_000))
        let outbox = BlogOutboxWorker(store: store, engine: engine, tags: [], timeZone: utc, logger: logger)
        let start = Date()
        func say(_ nick: String, _ text: String, _ second: Int) -> ChatEvent {
            .message(
                ChatMessage(channel: "#bench", time: start.addingTimeInterval(Double(second)), sender: ChatIdentity(nick: nick), text: text),
                position: "\(second)")
        }
        // Drafts to approve, promoted and written first (not timed).
        var second = 0
        for _ in 0..<rounds {
            second += 2
            try ingestor.ingest([say("alice", "bench \(UUID().uuidString)", second), say("alice", "!blog last 1 Bench", second + 1)])
        }
        try await outbox.drain()
        var number: Int64 = 0
        try await measure("bot: !approve to published (store + outbox + GET + POST)") {
            number += 1
            second += 1
            try ingestor.ingest([say("clark", "!approve \(number)", second)])
            try await outbox.drain()
        }
    }

    static func environment() throws -> [String: String] {
        let path = FileManager.default.currentDirectoryPath + "/.peers/wordpress.env"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...]).trimmingCharacters(in: CharacterSet(charactersIn: "'"))
        }
        return values
    }
}
