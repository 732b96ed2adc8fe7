import Foundation
import HTTPServer
import MessageAuthentication
import Testing
import ThreadpressModel
@testable import WebhookTransport

/// Real payload shapes (from each platform's documentation, cited in `WebhookDecoder`) in, stored
/// messages or refusals out. Every request is framed by the HTTP parser fed whole, byte by byte and
/// split at every offset, and must decode the same.
@Suite struct WebhookDecoderTests {
    static let now = Date(timeIntervalSince1970: 1_764_650_000)

    /// The request as the listener would see it, framed from raw bytes in the given pieces.
    static func frame(_ raw: [UInt8], pieces: [Range<Int>]) -> HTTPServerRequest? {
        var parser = HTTPRequestParser()
        var result: HTTPServerRequest?
        for piece in pieces {
            parser.append(raw[piece])
            while let output = parser.next() {
                if case .request(let request) = output { result = request }
            }
        }
        return result
    }

    static func raw(path: String = "/hooks/chat", contentType: String, headers: [(String, String)] = [], body: String) -> [UInt8] {
        var head = "POST \(path) HTTP/1.1\r\nHost: bot.example\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        return Array((head + "\r\n" + body).utf8)
    }

    /// Decodes `raw` whole, byte by byte and split at every offset; all must agree.
    static func decode(_ raw: [UInt8], settings: WebhookSettings, now: Date = now) -> WebhookDecision? {
        let decoder = WebhookDecoder(settings: settings, channel: "#team")
        let whole = frame(raw, pieces: [0..<raw.count]).map { decoder.decode($0, now: now) }
        let byteByByte = frame(raw, pieces: raw.indices.map { $0..<($0 + 1) }).map { decoder.decode($0, now: now) }
        #expect(byteByByte == whole)
        for split in stride(from: 0, through: raw.count, by: 1) {
            let pieces = frame(raw, pieces: [0..<split, split..<raw.count]).map { decoder.decode($0, now: now) }
            #expect(pieces == whole, "split at \(split)")
        }
        return whole
    }

    static let mattermost = WebhookSettings(flavor: .mattermost, token: "zmigewsanbbsdf59xnmduzypjc", replyURL: "http://127.0.0.1:1/in")
    static let rocketchat = WebhookSettings(flavor: .rocketchat, token: "rc-secret-token", replyURL: "http://127.0.0.1:1/in")
    static let slack = WebhookSettings(flavor: .slack, signingSecret: "8f742231b10e8888abcd99yyyzzz85a5", replyURL: "http://127.0.0.1:1/in")

    // From developers.mattermost.com/integrate/webhooks/outgoing (form encoding).
    static let mattermostForm = "channel_id=hawos4dqtby53pd64o4a4cmeoo&channel_name=town-square&team_domain=someteam&team_id=kwoknj9nwpypzgzy78wkw516qe&post_id=axdygg1957njfe5pu38saikdho&text=some+text+here%3A+caf%C3%A9+%26+more&timestamp=1445532266&token=zmigewsanbbsdf59xnmduzypjc&trigger_word=some&user_id=rnina9994bde8mua79zqcg5hmo&user_name=somename&file_ids=znana9194bde8mua70zqcg5hmo"

    @Test func mattermostFormPayloadBecomesAMessageFromTheUserID() {
        let decision = Self.decode(Self.raw(contentType: "application/x-www-form-urlencoded", body: Self.mattermostForm), settings: Self.mattermost)
        let expected = ChatMessage(
            channel: "#team", time: Date(timeIntervalSince1970: 1_445_532_266),
            sender: ChatIdentity(nick: "somename", account: "rnina9994bde8mua79zqcg5hmo"),
            text: "some text here: café & more", networkID: "axdygg1957njfe5pu38saikdho")
        #expect(decision == .message(expected, deliveryKey: "hawos4dqtby53pd64o4a4cmeoo/axdygg1957njfe5pu38saikdho"))
    }

    @Test func mattermostJSONPayloadWithMillisecondTimestampAndThreadRoot() {
        let body = """
            {"channel_id":"hawos4dqtby53pd64o4a4cmeoo","channel_name":"town-square","team_domain":"someteam",\
            "team_id":"kwoknj9nwpypzgzy78wkw516qe","post_id":"p2","root_id":"p1","text":"!blog Release notes",\
            "timestamp":1445532266123,"token":"zmigewsanbbsdf59xnmduzypjc","trigger_word":"","user_id":"u1","user_name":"alice","file_ids":""}
            """
        let decision = Self.decode(Self.raw(contentType: "application/json", body: body), settings: Self.mattermost)
        let expected = ChatMessage(
            channel: "#team", time: Date(timeIntervalSince1970: 1_445_532_266.123),
            sender: ChatIdentity(nick: "alice", account: "u1"), text: "!blog Release notes", networkID: "p2", threadRoot: "p1")
        #expect(decision == .message(expected, deliveryKey: "hawos4dqtby53pd64o4a4cmeoo/p2"))
    }

    @Test(arguments: [
        ("token=wrong&user_id=u&post_id=p&text=hi", 403),
        ("user_id=u&post_id=p&text=hi", 401),
        ("token=&user_id=u&post_id=p&text=hi", 401),
        ("token=zmigewsanbbsdf59xnmduzypjcX&user_id=u&post_id=p&text=hi", 403),
    ])
    func mattermostRefusesAWrongOrMissingToken(body: String, status: Int) {
        let decision = Self.decode(Self.raw(contentType: "application/x-www-form-urlencoded", body: body), settings: Self.mattermost)
        guard case .refuse(let refused, _) = decision else {
            Issue.record("not refused: \(String(describing: decision))")
            return
        }
        #expect(refused == status)
    }

    @Test func aUserNameEqualToTheApproversIsOnlyANick() {
        // "clark" approves; someone else renames themselves "clark". The account stays their id.
        let body = "token=zmigewsanbbsdf59xnmduzypjc&user_id=imposter-id&user_name=clark&post_id=p9&text=%21approve+1&channel_id=c"
        let decision = Self.decode(Self.raw(contentType: "application/x-www-form-urlencoded", body: body), settings: Self.mattermost)
        guard case .message(let message, _) = decision else {
            Issue.record("no message")
            return
        }
        #expect(message.sender.account == "imposter-id")
        #expect(message.sender.principal(trustingNicks: false) == "imposter-id")
    }

    @Test(arguments: [
        ("{\"token\":\"zmigewsanbbsdf59xnmduzypjc\",\"user_id\":\"u\",\"text\":\"hi\"}", 400),
        ("{\"token\":\"zmigewsanbbsdf59xnmduzypjc\",\"post_id\":\"p\",\"text\":\"hi\"}", 400),
        ("{not json", 400),
        ("[1,2]", 400),
    ])
    func mattermostRefusesUnusableBodies(body: String, status: Int) {
        let decision = Self.decode(Self.raw(contentType: "application/json", body: body), settings: Self.mattermost)
        guard case .refuse(let refused, _) = decision else {
            Issue.record("not refused: \(String(describing: decision))")
            return
        }
        #expect(refused == status)
    }

    @Test func wrongPathAndMethodAreRefused() {
        #expect(Self.decode(Self.raw(path: "/other", contentType: "application/json", body: "{}"), settings: Self.mattermost)
            == .refuse(status: 404, reason: "no webhook at this path"))
        let get = WebhookDecoder(settings: Self.mattermost, channel: "#team")
            .decode(HTTPServerRequest(method: "GET", target: "/hooks/chat"), now: Self.now)
        #expect(get == .refuse(status: 405, reason: "webhooks are POSTed"))
    }

    @Test func botsOwnLinesAreMarkedOwn() {
        var settings = Self.mattermost
        settings.botUserID = "bot-user"
        let body = "token=zmigewsanbbsdf59xnmduzypjc&user_id=bot-user&user_name=threadpress&post_id=p3&text=draft+1+created"
        guard case .message(let message, _) = Self.decode(Self.raw(contentType: "application/x-www-form-urlencoded", body: body), settings: settings) else {
            Issue.record("no message")
            return
        }
        #expect(message.isOwn)
    }

    @Test func messagesFromAnotherChannelAreAcknowledgedAndDropped() {
        var settings = Self.mattermost
        settings.channelID = "the-right-one"
        let decision = Self.decode(Self.raw(contentType: "application/x-www-form-urlencoded", body: Self.mattermostForm), settings: settings)
        #expect(decision == .ignore(reason: "another channel"))
    }

    // Rocket.Chat outgoing integration.
    @Test func rocketChatPayloadWithThreadBecomesAMessage() {
        let body = """
            {"token":"rc-secret-token","bot":false,"channel_id":"GENERAL","channel_name":"general","message_id":"XpGz8hCrcRp4bEA4c",\
            "timestamp":"2026-12-02T06:10:00.250Z","user_id":"rB3xRzJq9CFf2kYeS","user_name":"rocket.alice",\
            "text":"we should write this up","siteUrl":"https://chat.example","tmid":"Hu4rtLqZHTR4c2PfD"}
            """
        let decision = Self.decode(Self.raw(contentType: "application/json", body: body), settings: Self.rocketchat)
        let expected = ChatMessage(
            channel: "#team", time: Date(timeIntervalSince1970: 1_796_191_800.25),
            sender: ChatIdentity(nick: "rocket.alice", account: "rB3xRzJq9CFf2kYeS"), text: "we should write this up",
            networkID: "XpGz8hCrcRp4bEA4c", threadRoot: "Hu4rtLqZHTR4c2PfD")
        #expect(decision == .message(expected, deliveryKey: "GENERAL/XpGz8hCrcRp4bEA4c"))
    }

    @Test func rocketChatBotPostsAreNoticesNeverCommands() {
        let body = #"{"token":"rc-secret-token","bot":{"i":"integration"},"channel_id":"GENERAL","message_id":"m1","user_id":"other-bot","user_name":"ci","text":"!approve 1"}"#
        guard case .message(let message, _) = Self.decode(Self.raw(contentType: "application/json", body: body), settings: Self.rocketchat) else {
            Issue.record("no message")
            return
        }
        #expect(message.kind == .notice)
    }

    @Test func rocketChatRefusesAWrongToken() {
        let body = #"{"token":"nope","channel_id":"GENERAL","message_id":"m1","user_id":"u","text":"hi"}"#
        #expect(Self.decode(Self.raw(contentType: "application/json", body: body), settings: Self.rocketchat)
            == .refuse(status: 403, reason: "wrong token"))
    }

    // Slack Events API.
    static func slackHeaders(_ body: String, timestamp: Int, secret: String = "8f742231b10e8888abcd99yyyzzz85a5") -> [(String, String)] {
        let mac = HMACSHA256.authenticationCode(key: Array(secret.utf8), message: Array("v0:\(timestamp):\(body)".utf8))
        return [("X-Slack-Request-Timestamp", String(timestamp)), ("X-Slack-Signature", "v0=" + HMACSHA256.hexadecimal(mac))]
    }

    static let slackMessage = """
        {"token":"XXYYZZ","team_id":"T123ABC456","api_app_id":"A123ABC456","event":{"type":"message","channel":"C123ABC456",\
        "user":"U123ABC456","text":"Live long &amp; prosper &lt;3","ts":"1355517523.000005","event_ts":"1355517523.000005",\
        "channel_type":"channel","thread_ts":"1355517500.000001"},"type":"event_callback","event_id":"Ev123ABC456","event_time":1355517523}
        """

    @Test func slackSignedMessageEventBecomesAMessage() {
        let timestamp = Int(Self.now.timeIntervalSince1970) - 20
        let raw = Self.raw(contentType: "application/json", headers: Self.slackHeaders(Self.slackMessage, timestamp: timestamp), body: Self.slackMessage)
        let expected = ChatMessage(
            channel: "#team", time: Date(timeIntervalSince1970: 1_355_517_523.000005),
            sender: ChatIdentity(nick: "U123ABC456", account: "U123ABC456"), text: "Live long & prosper <3",
            networkID: "1355517523.000005", threadRoot: "1355517500.000001")
        #expect(Self.decode(raw, settings: Self.slack) == .message(expected, deliveryKey: "C123ABC456/1355517523.000005"))
    }

    @Test func slackURLVerificationAnswersTheChallenge() {
        let body = #"{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}"#
        let timestamp = Int(Self.now.timeIntervalSince1970)
        let raw = Self.raw(contentType: "application/json", headers: Self.slackHeaders(body, timestamp: timestamp), body: body)
        #expect(Self.decode(raw, settings: Self.slack) == .answer(HTTPServerResponse(
            status: 200, body: Array("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P".utf8), contentType: "text/plain")))
    }

    @Test func slackRefusesABadSignature() {
        let timestamp = Int(Self.now.timeIntervalSince1970)
        let raw = Self.raw(contentType: "application/json",
                           headers: Self.slackHeaders(Self.slackMessage, timestamp: timestamp, secret: "not-the-secret"), body: Self.slackMessage)
        #expect(Self.decode(raw, settings: Self.slack) == .refuse(status: 401, reason: "bad signature"))
    }

    @Test func slackRefusesATamperedBody() {
        let timestamp = Int(Self.now.timeIntervalSince1970)
        let tampered = Self.slackMessage.replacingOccurrences(of: "U123ABC456", with: "U999APPROV")
        let raw = Self.raw(contentType: "application/json", headers: Self.slackHeaders(Self.slackMessage, timestamp: timestamp), body: tampered)
        #expect(Self.decode(raw, settings: Self.slack) == .refuse(status: 401, reason: "bad signature"))
    }

    @Test(arguments: [-301, 301, 100_000])
    func slackRefusesAStaleTimestamp(offset: Int) {
        let timestamp = Int(Self.now.timeIntervalSince1970) + offset
        let raw = Self.raw(contentType: "application/json", headers: Self.slackHeaders(Self.slackMessage, timestamp: timestamp), body: Self.slackMessage)
        #expect(Self.decode(raw, settings: Self.slack) == .refuse(status: 401, reason: "stale or invalid request timestamp"))
    }

    @Test func slackRefusesMissingSignatureHeaders() {
        #expect(Self.decode(Self.raw(contentType: "application/json", body: Self.slackMessage), settings: Self.slack)
            == .refuse(status: 401, reason: "missing Slack signature headers"))
    }

    @Test(arguments: [
        (#"{"type":"message","subtype":"message_changed","channel":"C1","ts":"1.2","message":{"text":"x"}}"#, "message subtype message_changed"),
        (#"{"type":"message","subtype":"channel_join","channel":"C1","user":"U1","ts":"1.2","text":"joined"}"#, "message subtype channel_join"),
        (#"{"type":"app_mention","channel":"C1","user":"U1","ts":"1.2","text":"hi"}"#, "event app_mention"),
    ])
    func slackIgnoresEventsThatAreNotNewMessages(event: String, reason: String) {
        let body = #"{"type":"event_callback","event_id":"Ev1","event":"# + event + "}"
        let timestamp = Int(Self.now.timeIntervalSince1970)
        let raw = Self.raw(contentType: "application/json", headers: Self.slackHeaders(body, timestamp: timestamp), body: body)
        #expect(Self.decode(raw, settings: Self.slack) == .ignore(reason: reason))
    }

    @Test func slackMeMessageIsAnActionAndOwnBotIsOwn() {
        var settings = Self.slack
        settings.botUserID = "B0BOT"
        let timestamp = Int(Self.now.timeIntervalSince1970)
        let me = #"{"type":"event_callback","event_id":"Ev2","event":{"type":"message","subtype":"me_message","channel":"C1","user":"U1","ts":"2.0","text":"waves"}}"#
        guard case .message(let action, _) = Self.decode(
            Self.raw(contentType: "application/json", headers: Self.slackHeaders(me, timestamp: timestamp), body: me), settings: settings) else {
            Issue.record("no action")
            return
        }
        #expect(action.kind == .action)
        let own = #"{"type":"event_callback","event_id":"Ev3","event":{"type":"message","subtype":"bot_message","channel":"C1","bot_id":"B0BOT","ts":"3.0","text":"draft 1 created"}}"#
        guard case .message(let line, _) = Self.decode(
            Self.raw(contentType: "application/json", headers: Self.slackHeaders(own, timestamp: timestamp), body: own), settings: settings) else {
            Issue.record("no own line")
            return
        }
        #expect(line.isOwn)
        #expect(line.kind == .message)
    }
}
