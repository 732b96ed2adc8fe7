import ChatTransports
import CurlHTTP
import Foundation
import HTTPServer
import Testing
import ThreadpressModel
import ThreadpressTesting
@testable import WebhookTransport

/// The transport alone, with a consumer standing in for the bot: it records what is yielded and
/// acknowledges commits only when told to.
final class RecordingConsumer: Sendable {
    let messages = Locked<[ChatMessage]>([])
    let positions = Locked<[String]>([])
    let caughtUps = Locked(0)
    let autoCommit: Locked<Bool>
    private let task: Task<Void, Never>
    let ended = Locked<String?>(nil)

    init(_ transport: WebhookChatTransport, autoCommit: Bool = true, resumingAfter: String? = nil) {
        let messages = self.messages, positions = self.positions, ended = self.ended, caughtUps = self.caughtUps
        let commit = Locked(autoCommit)
        self.autoCommit = commit
        task = Task {
            var last: String?
            do {
                for try await event in transport.events(resumingAfter: resumingAfter, untilCaughtUp: false) {
                    switch event {
                    case .message(let message, let position):
                        messages.withLock { $0.append(message) }
                        positions.withLock { $0.append(position ?? "") }
                        last = position
                    case .caughtUp:
                        caughtUps.withLock { $0 += 1 }
                        if commit.withLock({ $0 }), let last { transport.committed(through: last) }
                    case .skipped: break
                    }
                }
                ended.withLock { $0 = "finished" }
            } catch {
                ended.withLock { $0 = "\(error)" }
            }
        }
    }

    func stop() async {
        task.cancel()
        await task.value
    }
}

@Suite struct WebhookChatTransportTests {
    static func settings(_ sinkURL: String = "http://127.0.0.1:9/unused", timeout: Duration = .milliseconds(2500)) -> WebhookSettings {
        WebhookSettings(listen: "127.0.0.1:0", flavor: .mattermost, token: Payload.mattermostToken, replyURL: sinkURL,
                        commitTimeout: timeout)
    }

    static func post(_ transport: WebhookChatTransport, _ body: String) async throws -> HTTPResponse {
        try await CurlHTTPClient().send(HTTPRequest(
            method: .post, url: URL(string: "http://127.0.0.1:\(transport.listeningPort!)/hooks/chat")!,
            body: Data(body.utf8), contentType: "application/x-www-form-urlencoded"))
    }

    @Test func answers200OnlyAfterTheCommitAnd503WhenItDoesNotCome() async throws {
        let transport = try WebhookChatTransport(settings: Self.settings(timeout: .milliseconds(300)), channel: "#team", botNick: "tp")
        let consumer = RecordingConsumer(transport, autoCommit: false, resumingAfter: "41")
        #expect(await eventually { transport.listeningPort != nil })
        let body = Payload.mattermostForm(user: "u1", name: "alice", post: "post-1", text: "hello")

        let first = try await Self.post(transport, body)
        #expect(first.status == 503)
        #expect(consumer.positions.withLock { $0 } == ["42"])

        // The platform retries the same post while the store is still behind: not yielded again.
        consumer.autoCommit.withLock { $0 = true }
        let waiting = Task { try await Self.post(transport, body) }
        #expect(await eventually { consumer.positions.withLock { $0.count } == 1 })
        try await Task.sleep(for: .milliseconds(50))
        transport.committed(through: "42")
        #expect(try await waiting.value.status == 200)
        // And once committed, a third delivery is answered at once.
        #expect(try await Self.post(transport, body).status == 200)
        #expect(consumer.messages.withLock { $0.map(\.networkID) } == ["post-1"])
        await consumer.stop()
    }

    @Test func deliveriesDuringACommitShareTheNextCaughtUp() async throws {
        let transport = try WebhookChatTransport(settings: Self.settings(), channel: "#team", botNick: "tp")
        let consumer = RecordingConsumer(transport, autoCommit: false)
        #expect(await eventually { transport.listeningPort != nil })
        let first = Task { try await Self.post(transport, Payload.mattermostForm(user: "u1", name: "a", post: "A", text: "a")) }
        #expect(await eventually { consumer.caughtUps.withLock { $0 } == 1 })
        let second = Task { try await Self.post(transport, Payload.mattermostForm(user: "u1", name: "a", post: "B", text: "b")) }
        let third = Task { try await Self.post(transport, Payload.mattermostForm(user: "u1", name: "a", post: "C", text: "c")) }
        #expect(await eventually { consumer.positions.withLock { $0.count } == 3 })
        #expect(consumer.caughtUps.withLock { $0 } == 1)
        transport.committed(through: "1")
        #expect(try await first.value.status == 200)
        // The commit of A releases one .caughtUp for B and C together.
        #expect(await eventually { consumer.caughtUps.withLock { $0 } == 2 })
        transport.committed(through: "3")
        #expect(try await second.value.status == 200)
        #expect(try await third.value.status == 200)
        #expect(consumer.caughtUps.withLock { $0 } == 2)
        await consumer.stop()
    }

    @Test func aDeliveryLostWithItsStreamIsYieldedAgainToTheNextOne() async throws {
        let transport = try WebhookChatTransport(settings: Self.settings(timeout: .milliseconds(300)), channel: "#team", botNick: "tp")
        let lost = RecordingConsumer(transport, autoCommit: false)
        #expect(await eventually { transport.listeningPort != nil })
        let body = Payload.mattermostForm(user: "u1", name: "a", post: "lost-1", text: "hello")
        #expect(try await Self.post(transport, body).status == 503)
        await lost.stop()
        let next = RecordingConsumer(transport)
        #expect(await eventually { transport.listeningPort != nil })
        #expect(try await Self.post(transport, body).status == 200)
        #expect(next.messages.withLock { $0.map(\.networkID) } == ["lost-1"])
        #expect(next.positions.withLock { $0 } == ["2"])
        await next.stop()
    }

    @Test func refusedRequestsAreNeverYielded() async throws {
        let transport = try WebhookChatTransport(settings: Self.settings(), channel: "#team", botNick: "tp")
        let consumer = RecordingConsumer(transport)
        #expect(await eventually { transport.listeningPort != nil })
        let wrong = Payload.mattermostForm(user: "approver-id", name: "clark", post: "x", text: "!approve 1", token: "guess")
        #expect(try await Self.post(transport, wrong).status == 403)
        #expect(try await Self.post(transport, "user_id=a&post_id=b&text=c").status == 401)
        let good = Payload.mattermostForm(user: "u1", name: "alice", post: "ok-1", text: "hi")
        #expect(try await Self.post(transport, good).status == 200)
        #expect(consumer.messages.withLock { $0.map(\.text) } == ["hi"])
        await consumer.stop()
    }

    @Test func aNonLoopbackAddressWithoutATokenEndsTheStreamWithAFatalError() async throws {
        var settings = Self.settings()
        settings.listen = "0.0.0.0:0"
        settings.token = nil
        let transport = try WebhookChatTransport(settings: settings, channel: "#team", botNick: "tp")
        do {
            for try await _ in transport.events(resumingAfter: nil, untilCaughtUp: false) {}
            Issue.record("the stream should fail")
        } catch let error as ChatTransportError {
            #expect(error.kind == .fatal)
            #expect(error.message.contains("no token or signing secret"))
        }
    }

    @Test func aNewStreamReplacesTheOldOneAndPositionsKeepIncreasing() async throws {
        let transport = try WebhookChatTransport(settings: Self.settings(), channel: "#team", botNick: "tp")
        let first = RecordingConsumer(transport, resumingAfter: "10")
        #expect(await eventually { transport.listeningPort != nil })
        #expect(try await Self.post(transport, Payload.mattermostForm(user: "u1", name: "a", post: "one", text: "1")).status == 200)
        let firstPort = transport.listeningPort
        // The bot reconnects (calls events again) while the old stream is still open.
        let second = RecordingConsumer(transport, resumingAfter: "3")
        #expect(await eventually { first.ended.withLock { $0 } == "finished" })
        #expect(await eventually { transport.listeningPort != nil && transport.listeningPort != firstPort })
        #expect(try await Self.post(transport, Payload.mattermostForm(user: "u1", name: "a", post: "two", text: "2")).status == 200)
        #expect(first.positions.withLock { $0 } == ["11"])
        #expect(second.positions.withLock { $0 } == ["12"])
        await second.stop()
        await first.stop()
    }

    @Test func reconnectingOnAFixedPortWaitsForTheOldListenerToLetGo() async throws {
        let port = try HTTPListener(configuration: .init(listen: "127.0.0.1:0"), handler: { _ in .text(200, "") }).port
        var settings = Self.settings()
        settings.listen = "127.0.0.1:\(port)"
        let transport = try WebhookChatTransport(settings: settings, channel: "#team", botNick: "tp")
        let first = RecordingConsumer(transport)
        #expect(await eventually { transport.listeningPort == port })
        #expect(try await Self.post(transport, Payload.mattermostForm(user: "u1", name: "a", post: "before", text: "1")).status == 200)
        let second = RecordingConsumer(transport)
        #expect(await eventually { first.ended.withLock { $0 } == "finished" })
        #expect(await eventually { transport.listeningPort == port })
        #expect(try await Self.post(transport, Payload.mattermostForm(user: "u1", name: "a", post: "after", text: "2")).status == 200)
        #expect(second.messages.withLock { $0.map(\.networkID) } == ["after"])
        #expect(second.ended.withLock { $0 } == nil)
        await second.stop()
        await first.stop()
    }

    @Test func acknowledgementsHaveAnEmptyBodySoPlatformsPostNothing() async throws {
        let transport = try WebhookChatTransport(settings: Self.settings(), channel: "#team", botNick: "tp")
        let consumer = RecordingConsumer(transport)
        #expect(await eventually { transport.listeningPort != nil })
        let response = try await Self.post(transport, Payload.mattermostForm(user: "u1", name: "a", post: "quiet", text: "hi"))
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        await consumer.stop()
    }

    @Test func onceModeIsCaughtUpAtOnce() async throws {
        let transport = try WebhookChatTransport(settings: Self.settings(), channel: "#team", botNick: "tp")
        var events: [ChatEvent] = []
        for try await event in transport.events(resumingAfter: nil, untilCaughtUp: true) { events.append(event) }
        #expect(events == [.caughtUp])
    }

    @Test func invalidSettingsAreOneFatalErrorNamingEachKey() {
        #expect(throws: ChatTransportError.self) {
            _ = try WebhookChatTransport(settings: WebhookSettings(path: "x", flavor: .mattermost), channel: "#t", botNick: "tp")
        }
    }

    @Test func repliesHonour429RetryAfterAndArriveNeutralised() async throws {
        let sink = try ReplySink { index in
            index == 0 ? HTTPServerResponse(status: 429, fields: [.init(name: "Retry-After", value: "3")]) : .text(200, "ok")
        }
        let sleeps = Locked<[Duration]>([])
        let settings = WebhookSettings(listen: "127.0.0.1:0", flavor: .slack, signingSecret: "s", replyURL: sink.url)
        let transport = try WebhookChatTransport(settings: settings, channel: "#team", botNick: "tp",
                                                 sleep: { duration in sleeps.withLock { $0.append(duration) } })
        try await transport.send(ChatReply(channel: "#team", text: "new comment: <!channel> @here <https://x.example|y>", threadRoot: "1.5"))
        #expect(sleeps.withLock { $0 } == [.seconds(3)])
        let bodies = sink.requests.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies.count == 2)
        #expect(bodies.last == "{\"text\":\"new comment: &lt;!channel&gt; @\u{2060}here &lt;https://x.example|y&gt;\",\"thread_ts\":\"1.5\",\"link_names\":false,\"unfurl_links\":false}")
        #expect(sink.requests.last?.header("Content-Type") == "application/json; charset=utf-8")
    }

    @Test func slackBotTokenRepliesAreChatPostMessageCalls() async throws {
        let sink = try ReplySink { index in
            index == 0 ? HTTPServerResponse(status: 200, body: Array(#"{"ok":false,"error":"ratelimited"}"#.utf8), contentType: "application/json")
                : HTTPServerResponse(status: 200, body: Array(#"{"ok":true,"ts":"9.9"}"#.utf8), contentType: "application/json")
        }
        let sleeps = Locked<[Duration]>([])
        let settings = WebhookSettings(listen: "127.0.0.1:0", flavor: .slack, signingSecret: "s", replyURL: sink.url,
                                       botToken: "xoxb-test-token", channelID: "C123ABC456")
        let transport = try WebhookChatTransport(settings: settings, channel: "#team", botNick: "tp",
                                                 sleep: { duration in sleeps.withLock { $0.append(duration) } })
        try await transport.send(ChatReply(channel: "#team", text: "published draft 1", threadRoot: "1.5"))
        #expect(sleeps.withLock { $0 } == [.milliseconds(500)])
        #expect(sink.requests.count == 2)
        #expect(sink.requests.last?.header("Authorization") == "Bearer xoxb-test-token")
        #expect(sink.requests.last.map { String(decoding: $0.body, as: UTF8.self) }
            == #"{"channel":"C123ABC456","text":"published draft 1","thread_ts":"1.5","link_names":false,"unfurl_links":false}"#)
    }

    @Test func aDeletedIncomingWebhookIsADisconnectedErrorNotACrash() async throws {
        let sink = try ReplySink { _ in .text(404, "no such hook") }
        let transport = try WebhookChatTransport(settings: Self.settings(sink.url), channel: "#team", botNick: "tp")
        do {
            try await transport.send(ChatReply(channel: "#team", text: "hello"))
            Issue.record("no error")
        } catch let error as ChatTransportError {
            #expect(error.kind == .disconnected)
            #expect(!error.message.contains("secret-path"))
        }
    }

    @Test func persistentServerErrorsGiveUpAfterFiveAttempts() async throws {
        let sink = try ReplySink { _ in .text(502, "bad gateway") }
        let sleeps = Locked<[Duration]>([])
        let transport = try WebhookChatTransport(settings: Self.settings(sink.url), channel: "#team", botNick: "tp",
                                                 sleep: { duration in sleeps.withLock { $0.append(duration) } })
        await #expect(throws: ChatTransportError.self) { try await transport.send(ChatReply(channel: "#team", text: "hello")) }
        #expect(sink.requests.count == 5)
        #expect(sleeps.withLock { $0 } == [.milliseconds(500), .milliseconds(1000), .milliseconds(2000), .milliseconds(4000)])
    }
}
