import ChatTransports
import ConfigurationReading
import CurlHTTP
import Foundation
import HTTPServer
import JSON
import Testing
import ThreadpressModel
import ThreadpressTesting
@testable import WebhookTransport

/// `private_replies`: a reply with a recipient goes to `"channel": "@user"` on Mattermost and
/// Rocket.Chat, never into the channel instead; Slack refuses the key.
@Suite struct WebhookPrivateReplyTests {
    static func settings(_ flavor: WebhookFlavor, privateReplies: Bool = true, url: String = "http://127.0.0.1:1/hooks/x") -> WebhookSettings {
        WebhookSettings(listen: "127.0.0.1:0", flavor: flavor, token: Payload.mattermostToken, replyURL: url, privateReplies: privateReplies)
    }

    @Test(arguments: [
        (WebhookFlavor.mattermost, true, ChatReply(channel: "#team", text: "12 ana: @all hi", threadRoot: "p1", priority: .bulk, recipient: "ana"),
         "{\"channel\":\"@ana\",\"text\":\"12 ana: @\u{2060}all hi\"}"),
        (.mattermost, true, ChatReply(channel: "#team", text: "13", priority: .bulk, recipient: "@ana.smith"),
         #"{"channel":"@ana.smith","text":"13"}"#),
        (.rocketchat, true, ChatReply(channel: "#team", text: "14", threadRoot: "t1", priority: .bulk, recipient: "ben_2"),
         #"{"channel":"@ben_2","text":"14"}"#),
        // Without private_replies the transport says privateReplies is false; a recipient anyway
        // is posted like any reply.
        (.mattermost, false, ChatReply(channel: "#team", text: "15", threadRoot: "p1", priority: .bulk, recipient: "ana"),
         #"{"text":"15","root_id":"p1"}"#),
        (.mattermost, true, ChatReply(channel: "#team", text: "draft 1 created", threadRoot: "p1"),
         #"{"text":"draft 1 created","root_id":"p1"}"#),
    ])
    func aPrivateReplyBodyNamesTheUserAndDropsTheThread(flavor: WebhookFlavor, privateReplies: Bool, reply: ChatReply, expected: String) {
        let encoder = WebhookReplyEncoder(settings: Self.settings(flavor, privateReplies: privateReplies))
        #expect(encoder.body(for: reply) == expected)
    }

    @Test(arguments: ["#town-square", "ana smith", "ana\r\n", "ana,ben", "", "@", "@here\u{0}", String(repeating: "a", count: 65)])
    func aRecipientThatIsNotAUserNameIsRefused(recipient: String) {
        let encoder = WebhookReplyEncoder(settings: Self.settings(.mattermost))
        #expect(encoder.destination(of: ChatReply(channel: "#team", text: "x", recipient: recipient)) == .refused)
    }

    @Test func privateRepliesOnlyWhereConfigured() throws {
        let on = try WebhookChatTransport(settings: Self.settings(.rocketchat), channel: "#team", botNick: "tp")
        let off = try WebhookChatTransport(settings: Self.settings(.mattermost, privateReplies: false), channel: "#team", botNick: "tp")
        #expect(on.capabilities.privateReplies)
        #expect(!off.capabilities.privateReplies)
    }

    @Test func slackRefusesPrivateRepliesWithAConfigurationError() {
        let (configuration, problems) = WebhookChatConfigurationTests.read("""
            { "flavor": "slack", "signing_secret": "s3", "reply_url": "https://hooks.slack.com/services/T/B/secret", "private_replies": true }
            """)
        #expect(configuration == nil)
        #expect(problems == [
            "config.json: chat.webhook.private_replies: Slack incoming webhooks post only to their own channel, so the bot cannot message a person privately; remove private_replies or set it to false",
        ])
        let error = #expect(throws: ChatTransportError.self) {
            _ = try WebhookChatTransport(settings: WebhookSettings(flavor: .slack, signingSecret: "s3", replyURL: "https://h.example/x",
                                                                   privateReplies: true), channel: "#team", botNick: "tp")
        }
        #expect(error?.kind == .fatal)
    }

    @Test func theConfigurationKeyIsReadAndChecked() {
        let (mattermost, none) = WebhookChatConfigurationTests.read("""
            { "flavor": "mattermost", "reply_url": "https://chat.example/hooks/abc", "private_replies": true }
            """)
        #expect(none == [])
        #expect(mattermost?.settings.privateReplies == true)
        let (unset, _) = WebhookChatConfigurationTests.read(#"{ "flavor": "rocketchat", "reply_url": "https://chat.example/hooks/abc" }"#)
        #expect(unset?.settings.privateReplies == false)
        // A problem is reported with its path (the configuration module refuses to start on any).
        let (_, problems) = WebhookChatConfigurationTests.read("""
            { "flavor": "rocketchat", "reply_url": "https://chat.example/hooks/abc", "private_replies": "yes" }
            """)
        #expect(problems == [#"config.json: chat.webhook.private_replies: expected true or false, got "yes""#])
    }

    /// The sender's user name as Mattermost delivered it (`user_name`, stored as the nick; the
    /// user id is the account) is the recipient; the outgoing payload carries the override.
    @Test func theAskerReceivesTheReplyThroughTheIncomingWebhook() async throws {
        let sink = try ReplySink()
        let transport = try WebhookChatTransport(settings: Self.settings(.mattermost, url: sink.url), channel: "#team", botNick: "tp")
        let consumer = RecordingConsumer(transport)
        #expect(await eventually { transport.listeningPort != nil })
        let delivery = try await WebhookChatTransportTests.post(
            transport, Payload.mattermostForm(user: "u-ana-id", name: "ana.smith", post: "post-9", text: "!log 2"))
        #expect(delivery.status == 200)
        let asker = try #require(consumer.messages.withLock { $0.first }?.sender)

        try await transport.send(ChatReply(channel: "#team", text: "1 ana.smith: hello", priority: .bulk, recipient: asker.nick))
        try await transport.send(ChatReply(channel: "#team", text: "2 ben: hi", priority: .bulk, recipient: asker.nick))
        await consumer.stop()

        #expect(asker == ChatIdentity(nick: "ana.smith", account: "u-ana-id"))
        #expect(sink.requests.map { String(decoding: $0.body, as: UTF8.self) } == [
            #"{"channel":"@ana.smith","text":"1 ana.smith: hello"}"#,
            #"{"channel":"@ana.smith","text":"2 ben: hi"}"#,
        ])
    }

    /// A webhook locked to its channel (Mattermost answers 403) or an unknown user: that private
    /// line is dropped with a warning naming the likely cause, so it cannot hold up every reply
    /// behind it; a channel reply refused the same way still throws (the bot keeps it queued).
    @Test func aRefusedPrivateReplyIsDroppedAndLoggedAndNeverPostedToTheChannel() async throws {
        let sink = try ReplySink { _ in .text(403, "This webhook is not permitted to post to the requested channel") }
        let logs = Locked<[String]>([])
        let transport = try WebhookChatTransport(settings: Self.settings(.mattermost, url: sink.url), channel: "#team", botNick: "tp",
                                                 log: { line in logs.withLock { $0.append(line) } })

        try await transport.send(ChatReply(channel: "#team", text: "1 ana: hello", priority: .bulk, recipient: "ana"))
        try await transport.send(ChatReply(channel: "#team", text: "2", priority: .bulk, recipient: "#town-square"))
        let error = await #expect(throws: ChatTransportError.self) {
            try await transport.send(ChatReply(channel: "#team", text: "draft 1 created"))
        }

        #expect(error?.kind == .disconnected)
        #expect(sink.requests.map { String(decoding: $0.body, as: UTF8.self) } == [
            #"{"channel":"@ana","text":"1 ana: hello"}"#,
            #"{"text":"draft 1 created"}"#,
        ])
        #expect(logs.withLock { $0 } == [
            #"webhook: a private reply to @ana was refused (HTTP 403): the user may not exist, or the incoming webhook may not post outside its channel (Mattermost: "lock to this channel"; Rocket.Chat: "Overwrite destination channel" off); dropped"#,
            ##"webhook: not sending a private reply to "#town-square": not a user name; dropped"##,
        ])
        #expect(!logs.withLock { $0 }.joined().contains("secret-path"))
    }
}
