import BotRuntime
import ChatTransports
import Foundation
import HTTPServer
import JSON
import SQLiteStorage
import Synchronization
import ThreadpressModel
import WebhookTransport
import Workflow
#if canImport(Glibc)
import Glibc
#endif

/// `--webhook`: sustained inbound messages per second through the webhook transport into a real
/// SQLite store, and request→stored latency (the 200 is only sent after the commit).
///
/// Load: `--connections` keep-alive client connections (one blocking thread each, outside Swift's
/// cooperative pool), each POSTing Mattermost JSON deliveries back to back until `--messages` are
/// sent. The consumer is the bot's own ingest path (`MessageIngestor` on the store's thread, one transaction per
/// delivery because the transport says `.caughtUp` after each) followed by `committed(through:)`.
/// Yardstick: the same client against an `HTTPListener` whose handler answers 200 at once.
struct WebhookBenchmark {
    static let usage = "usage: threadpress-bench --webhook [--messages N] [--connections N]"
    static let targetRate = 5_000.0
    var messages = 20_000
    var connections = 32

    init(arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--webhook": index += 1
            case "--messages" where index + 1 < arguments.count:
                guard let count = Int(arguments[index + 1]), count > 0 else { throw BenchError(Self.usage) }
                messages = count
                index += 2
            case "--connections" where index + 1 < arguments.count:
                guard let count = Int(arguments[index + 1]), count > 0, count <= 200 else { throw BenchError(Self.usage) }
                connections = count
                index += 2
            default:
                throw BenchError("unknown argument '\(arguments[index])'\n\(Self.usage)")
            }
        }
    }

    func run() async throws -> Int32 {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("threadpress-bench-webhook-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        // Yardstick: a trivial loopback server on the same listener.
        let trivial = try HTTPListener(configuration: .init(listen: "127.0.0.1:0")) { _ in .text(200, "ok") }
        let trivialTask = Task { await trivial.run() }
        let yardstick = LoadClient.run(port: trivial.port, messages: messages, connections: connections)
        trivialTask.cancel()
        await trivialTask.value

        // The transport into a real store.
        let token = "bench-token"
        let settings = WebhookSettings(
            listen: "127.0.0.1:0", flavor: .mattermost, token: token, replyURL: "http://127.0.0.1:9/unused",
            commitTimeout: .seconds(30))
        let transport = try WebhookChatTransport(settings: settings, channel: "#team", botNick: "threadpress")
        let store = try SQLiteStore(path: "\(folder)/bench.sqlite")
        let ingestor = MessageIngestor(
            store: store,
            workflow: DraftWorkflow(settings: WorkflowSettings(approvers: ["u0"], trustsNicks: false, timeZone: IANATimeZone(identifier: "UTC")!)),
            transportIdentifier: transport.identifier, logger: BotLogger(level: .error))
        let consumer = Task {
            var batch: [ChatEvent] = []
            for try await event in transport.events(resumingAfter: nil, untilCaughtUp: false) {
                batch.append(event)
                if batch.count >= 2_000 || ingestor.isUrgent(event) {
                    let events = batch
                    let summary = try await store.onStoreThread { try ingestor.ingest(events) }
                    batch.removeAll(keepingCapacity: true)
                    if let position = summary.position { transport.committed(through: position) }
                }
            }
        }
        var port: UInt16?
        for _ in 0..<500 where port == nil {
            port = transport.listeningPort
            if port == nil { try await Task.sleep(for: .milliseconds(10)) }
        }
        guard let port else { throw BenchError("the webhook transport did not start listening") }
        let result = LoadClient.run(port: port, messages: messages, connections: connections, token: token)
        consumer.cancel()
        _ = await consumer.result
        let stored = try store.read { try $0.messageCount() }

        print("webhook benchmark (release build expected)")
        print("  load:          \(messages) Mattermost JSON deliveries over \(connections) keep-alive connections")
        print("  yardstick:     \(yardstick.summary) (trivial 200 handler on the same listener)")
        print("  webhook:       \(result.summary), request→stored")
        print("  stored:        \(stored) messages; \(result.failures) failed requests")
        let passed = result.rate >= Self.targetRate && stored == messages && result.failures == 0
        print(passed ? "  result:        PASS (target ≥ \(Int(Self.targetRate)) messages/s)" : "  result:        FAIL (target ≥ \(Int(Self.targetRate)) messages/s)")
        return passed ? 0 : 2
    }
}

/// Blocking keep-alive HTTP clients on their own threads; latency per request in nanoseconds.
enum LoadClient {
    struct Result {
        var rate: Double
        var p50: Double
        var p99: Double
        var failures: Int
        var summary: String {
            String(format: "%.0f requests/s, p50 %.2f ms, p99 %.2f ms", rate, p50, p99)
        }
    }

    static func run(port: UInt16, messages: Int, connections: Int, token: String = "") -> Result {
        let latencies = Mutex<[UInt64]>([])
        let failures = Mutex(0)
        let group = DispatchGroup()
        let start = DispatchTime.now().uptimeNanoseconds
        for connection in 0..<connections {
            let share = messages / connections + (connection < messages % connections ? 1 : 0)
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                var mine: [UInt64] = []
                mine.reserveCapacity(share)
                var failed = 0
                var socket = connect(port: port)
                for index in 0..<share {
                    let body = JSONValue.object(JSONObject([
                        ("token", .string(token)), ("channel_id", .string("c1")), ("post_id", .string("p\(connection)-\(index)")),
                        ("user_id", .string("u\(index % 8)")), ("user_name", .string("user\(index % 8)")),
                        ("text", .string("benchmark message \(index) from connection \(connection)")),
                        ("timestamp", .integer(Int(Date().timeIntervalSince1970))),
                    ])).serialized()
                    let request = Array(("POST /hooks/chat HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body).utf8)
                    let begin = DispatchTime.now().uptimeNanoseconds
                    if socket < 0 || !exchange(socket, request) {
                        failed += 1
                        if socket >= 0 { close(socket) }
                        socket = connect(port: port)
                        continue
                    }
                    mine.append(DispatchTime.now().uptimeNanoseconds - begin)
                }
                if socket >= 0 { close(socket) }
                latencies.withLock { $0 += mine }
                failures.withLock { $0 += failed }
            }
            thread.start()
        }
        group.wait()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let sorted = latencies.withLock { $0.sorted() }
        func percentile(_ p: Double) -> Double {
            sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
        }
        return Result(rate: Double(sorted.count) / elapsed, p50: percentile(0.5), p99: percentile(0.99),
                      failures: failures.withLock { $0 })
    }

    static func connect(port: UInt16) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var one: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if result != 0 {
            close(descriptor)
            return -1
        }
        return descriptor
    }

    /// Sends one request and reads one response; `true` for a 200.
    static func exchange(_ descriptor: Int32, _ request: [UInt8]) -> Bool {
        var sent = 0
        while sent < request.count {
            let count = request.withUnsafeBytes { send(descriptor, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return false }
            sent += count
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return false }
            buffer += chunk[0..<count]
            guard let end = headEnd(buffer) else { continue }
            let head = String(decoding: buffer[0..<end], as: UTF8.self)
            let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            if buffer.count >= end + 4 + length { return head.hasPrefix("HTTP/1.1 200") }
        }
    }

    static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
