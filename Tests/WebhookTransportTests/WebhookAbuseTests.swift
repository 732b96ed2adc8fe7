import Foundation
import JSON
import Testing
import ThreadpressModel
import ThreadpressTesting
@testable import WebhookTransport

/// Bounded abuse on loopback: many concurrent well-formed deliveries mixed with truncated bodies,
/// 10 MB bodies, bad JSON, header floods and one slow client. The listener stays up and every
/// well-formed message is yielded exactly once.
@Suite struct WebhookAbuseTests {
    static let wellFormedCount = 1_000
    static let eachAbuseCount = 40

    static func request(_ body: String, contentType: String = "application/json", extraHeaders: String = "") -> String {
        "POST /hooks/chat HTTP/1.1\r\nHost: bot\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)"
    }

    static func wellFormed(_ index: Int) -> String {
        request(JSONValue.object(JSONObject([
            ("token", .string(Payload.mattermostToken)), ("channel_id", .string("c-town")), ("post_id", .string("ok-\(index)")),
            ("user_id", .string("u\(index % 7)")), ("user_name", .string("user\(index % 7)")), ("text", .string("message \(index)")),
            ("timestamp", .integer(Int(Date().timeIntervalSince1970))),
        ])).serialized())
    }

    /// Sends a well-formed delivery like a platform would: retried on 503 or a dropped connection.
    static func deliver(_ index: Int, port: UInt16) async -> Int {
        for _ in 0..<30 {
            do {
                let client = try RawHTTPClient(port: port)
                try client.send(wellFormed(index))
                let response = try await client.readResponse(timeout: 20)
                if response.status == 200 { return 200 }
            } catch {}
            try? await Task.sleep(for: .milliseconds(50))
        }
        return 0
    }

    /// This process's resident memory (`VmRSS`).
    static func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1_024
    }

    @Test(.timeLimit(.minutes(2)))
    func listenerSurvivesMixedAbuseAndYieldsEveryGoodMessageOnce() async throws {
        let settings = WebhookSettings(listen: "127.0.0.1:0", flavor: .mattermost, token: Payload.mattermostToken,
                                       replyURL: "http://127.0.0.1:9/unused", requestTimeout: .seconds(1))
        let transport = try WebhookChatTransport(settings: settings, channel: "#team", botNick: "tp")
        let consumer = RecordingConsumer(transport)
        #expect(await eventually { transport.listeningPort != nil })
        let port = transport.listeningPort!

        let residentBefore = Self.residentBytes()
        // One slow client: a byte a second, never finishing its request.
        let slow = try RawHTTPClient(port: port)
        let slowTask = Task { () -> Int in
            let text = Array(Self.wellFormed(99_999).utf8)
            for byte in text.prefix(15) {
                try? slow.send([byte])
                try? await Task.sleep(for: .seconds(1))
            }
            return (try? await slow.readResponse(timeout: 10).status) ?? 0
        }

        let statuses = await withTaskGroup(of: (String, Int).self) { group -> [(String, Int)] in
            for index in 0..<Self.wellFormedCount {
                group.addTask { ("good", await Self.deliver(index, port: port)) }
            }
            for index in 0..<Self.eachAbuseCount {
                group.addTask {
                    // Truncated: promises 100 bytes, sends 10, hangs up.
                    guard let client = try? RawHTTPClient(port: port) else { return ("truncated", -1) }
                    try? client.send("POST /hooks/chat HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"token\":\"")
                    return ("truncated", 0)
                }
                group.addTask {
                    // 10 MB announced; the answer comes before the body.
                    guard let client = try? RawHTTPClient(port: port) else { return ("oversize", -1) }
                    try? client.send("POST /hooks/chat HTTP/1.1\r\nHost: b\r\nContent-Length: 10485760\r\n\r\n" + String(repeating: "x", count: 65_536))
                    return ("oversize", (try? await client.readResponse().status) ?? -1)
                }
                group.addTask {
                    guard let client = try? RawHTTPClient(port: port) else { return ("bad json", -1) }
                    try? client.send(Self.request("{\"token\": \"\(Payload.mattermostToken)\", \"post_id\": \"bad-\(index)\", oops"))
                    return ("bad json", (try? await client.readResponse().status) ?? -1)
                }
                group.addTask {
                    guard let client = try? RawHTTPClient(port: port) else { return ("header flood", -1) }
                    let flood = (0..<500).map { "X-Flood-\($0): \(String(repeating: "f", count: 40))\r\n" }.joined()
                    try? client.send("POST /hooks/chat HTTP/1.1\r\nHost: b\r\n" + flood + "\r\n")
                    return ("header flood", (try? await client.readResponse().status) ?? -1)
                }
            }
            var all: [(String, Int)] = []
            for await result in group { all.append(result) }
            return all
        }

        #expect(statuses.filter { $0.0 == "good" }.allSatisfy { $0.1 == 200 })
        // Refused by status (503 past the connection cap), unless the server closed first (-1 then).
        #expect(statuses.filter { $0.0 == "oversize" }.allSatisfy { $0.1 == 413 || $0.1 == 503 || $0.1 == -1 })
        #expect(statuses.filter { $0.0 == "bad json" }.allSatisfy { $0.1 == 400 || $0.1 == 503 })
        #expect(statuses.filter { $0.0 == "header flood" }.allSatisfy { $0.1 == 431 || $0.1 == 503 || $0.1 == -1 })
        #expect(await slowTask.value == 408)

        let ids = consumer.messages.withLock { $0.compactMap(\.networkID) }
        #expect(ids.count == Self.wellFormedCount)
        #expect(Set(ids) == Set((0..<Self.wellFormedCount).map { "ok-\($0)" }))

        // Memory stayed bounded: 40 announced 10 MB bodies and 1,000 deliveries cost far less than
        // their bodies would (refused before they are read; each delivery freed once stored).
        let grown = Self.residentBytes() - residentBefore
        #expect(grown < 128 * 1_048_576, "resident memory grew by \(grown / 1_048_576) MiB")

        // Once the crowd is gone, a 10 MB body on its own is refused for its size, before it is read.
        let oversize = try RawHTTPClient(port: port)
        try oversize.send("POST /hooks/chat HTTP/1.1\r\nHost: b\r\nContent-Length: 10485760\r\n\r\n" + String(repeating: "x", count: 65_536))
        #expect(try await oversize.readResponse().status == 413)

        // Still up.
        let health = try RawHTTPClient(port: port)
        try health.send("GET /healthz HTTP/1.1\r\nHost: b\r\n\r\n")
        #expect(try await health.readResponse().status == 200)
        await consumer.stop()
    }
}
