#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPServer
import JSON
import MessageAuthentication
import ThreadpressModel

/// What to do with one inbound request.
public enum WebhookDecision: Sendable, Hashable {
    /// A chat line to store; `deliveryKey` identifies it across re-deliveries (channel and post id).
    case message(ChatMessage, deliveryKey: String)
    /// Acknowledge with 200 and store nothing (an edit, a join, another channel); `reason` is for logs.
    case ignore(reason: String)
    /// Answer with this response and store nothing (Slack's `url_verification` challenge).
    case answer(HTTPServerResponse)
    /// Refuse: 400 (unreadable), 401 (no or bad credentials), 403 (wrong token), 404, 405, 415.
    case refuse(status: Int, reason: String)
}

/// Turns a platform's request into a ``WebhookDecision``, with no I/O: authentication first
/// (constant-time token compare, Slack `v0` signature with a 5-minute window), then the flavour's
/// payload. The sender's identity is the platform **user id** (`account`); the display name is only
/// the nick and never decides anything.
///
/// Payload shapes, from the platforms' documentation:
/// - Mattermost outgoing webhooks, https://developers.mattermost.com/integrate/webhooks/outgoing/ :
///   `token, team_id, team_domain, channel_id, channel_name, timestamp, user_id, user_name,
///   post_id, text, trigger_word, file_ids`, form-urlencoded or JSON. No thread root is
///   documented; a `root_id`, when a server sends one, is used.
/// - Rocket.Chat outgoing integrations, https://docs.rocket.chat/use-rocket.chat/workspace-administration/integrations :
///   JSON `token, bot, channel_id, channel_name, message_id, timestamp (ISO 8601), user_id,
///   user_name, text, siteUrl`, and `tmid` for a thread reply.
/// - Slack Events API, https://api.slack.com/apis/events-api and https://api.slack.com/events/message :
///   `{"type":"url_verification","challenge":…}` and `{"type":"event_callback","event_id":…,
///   "event":{"type":"message","channel","user","text","ts","thread_ts"?,"subtype"?,"bot_id"?}}`;
///   signatures per https://api.slack.com/authentication/verifying-requests-from-slack .
public struct WebhookDecoder: Sendable {
    public var settings: WebhookSettings
    /// The channel name messages are stored under (the transport's ``WebhookChatTransport/channel``).
    public var channel: String
    /// Slack's replay window.
    public static let signatureWindow: TimeInterval = 300

    public init(settings: WebhookSettings, channel: String) {
        self.settings = settings
        self.channel = channel
    }

    public func decode(_ request: HTTPServerRequest, now: Date) -> WebhookDecision {
        guard request.path == settings.path else { return .refuse(status: 404, reason: "no webhook at this path") }
        guard request.method == "POST" else { return .refuse(status: 405, reason: "webhooks are POSTed") }
        switch settings.flavor {
        case .mattermost: return decodeMattermost(request, now: now)
        case .rocketchat: return decodeRocketChat(request, now: now)
        case .slack: return decodeSlack(request, now: now)
        }
    }

    // MARK: - Authentication

    /// Compares the payload's token with the configured one; `nil` when it matches or none is set.
    private func checkToken(_ sent: String?) -> WebhookDecision? {
        guard let expected = settings.token, !expected.isEmpty else { return nil }
        guard let sent, !sent.isEmpty else { return .refuse(status: 401, reason: "missing token") }
        return ConstantTime.equals(expected, sent) ? nil : .refuse(status: 403, reason: "wrong token")
    }

    /// Slack request signing: `X-Slack-Signature: v0=hex(HMAC-SHA256(secret, "v0:" + ts + ":" + body))`.
    func checkSlackSignature(_ request: HTTPServerRequest, secret: String, now: Date) -> WebhookDecision? {
        guard let timestampText = request.header("X-Slack-Request-Timestamp"),
            let signature = request.header("X-Slack-Signature") else {
            return .refuse(status: 401, reason: "missing Slack signature headers")
        }
        guard let timestamp = Int64(timestampText), abs(now.timeIntervalSince1970 - Double(timestamp)) <= Self.signatureWindow else {
            return .refuse(status: 401, reason: "stale or invalid request timestamp")
        }
        let base = Array("v0:\(timestampText):".utf8) + request.body
        let expected = "v0=" + HMACSHA256.hexadecimal(HMACSHA256.authenticationCode(key: Array(secret.utf8), message: base))
        return ConstantTime.equals(expected, signature) ? nil : .refuse(status: 401, reason: "bad signature")
    }

    // MARK: - Mattermost

    private func decodeMattermost(_ request: HTTPServerRequest, now: Date) -> WebhookDecision {
        let fields: [String: String]
        let contentType = request.header("Content-Type")?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") || (contentType.isEmpty && request.body.first == UInt8(ascii: "{")) {
            guard let object = try? JSONParser.parse(request.body), object.object != nil else {
                return .refuse(status: 400, reason: "body is not a JSON object")
            }
            var collected: [String: String] = [:]
            for member in object.object!.members where collected[member.key] == nil {
                if let text = member.value.identifier { collected[member.key] = text }
            }
            fields = collected
        } else if contentType.hasPrefix("application/x-www-form-urlencoded") || contentType.isEmpty {
            var collected: [String: String] = [:]
            for (key, value) in FormURLEncoding.decode(request.body) where collected[key] == nil { collected[key] = value }
            fields = collected
        } else {
            return .refuse(status: 415, reason: "expected a form or JSON body")
        }
        if let refusal = checkToken(fields["token"]) { return refusal }
        return message(
            userID: fields["user_id"], userName: fields["user_name"], postID: fields["post_id"], text: fields["text"],
            channelID: fields["channel_id"], threadRoot: fields["root_id"], time: Self.epochTime(fields["timestamp"]) ?? now,
            isBot: false, kind: .message)
    }

    // MARK: - Rocket.Chat

    private func decodeRocketChat(_ request: HTTPServerRequest, now: Date) -> WebhookDecision {
        guard let payload = try? JSONParser.parse(request.body), payload.object != nil else {
            return .refuse(status: 400, reason: "body is not a JSON object")
        }
        if let refusal = checkToken(payload["token"]?.string) { return refusal }
        let bot = payload["bot"]
        let isBot = bot.map { $0.bool ?? ($0.object != nil) } ?? false
        let time = payload["timestamp"]?.string.flatMap(Self.isoTime) ?? now
        return message(
            userID: payload["user_id"]?.identifier, userName: payload["user_name"]?.string,
            postID: payload["message_id"]?.identifier, text: payload["text"]?.string,
            channelID: payload["channel_id"]?.identifier, threadRoot: payload["tmid"]?.identifier, time: time,
            isBot: isBot, kind: .message)
    }

    // MARK: - Slack

    private func decodeSlack(_ request: HTTPServerRequest, now: Date) -> WebhookDecision {
        if let secret = settings.signingSecret, !secret.isEmpty {
            if let refusal = checkSlackSignature(request, secret: secret, now: now) { return refusal }
        }
        guard let payload = try? JSONParser.parse(request.body), payload.object != nil else {
            return .refuse(status: 400, reason: "body is not a JSON object")
        }
        if !nonEmpty(settings.signingSecret), let refusal = checkToken(payload["token"]?.string) { return refusal }
        switch payload["type"]?.string {
        case "url_verification":
            guard let challenge = payload["challenge"]?.string else { return .refuse(status: 400, reason: "challenge missing") }
            return .answer(HTTPServerResponse(status: 200, body: Array(challenge.utf8), contentType: "text/plain"))
        case "event_callback":
            break
        default:
            return .ignore(reason: "Slack payload type \(payload["type"]?.string ?? "none")")
        }
        guard let event = payload["event"], event.object != nil else { return .refuse(status: 400, reason: "event missing") }
        guard event["type"]?.string == "message" else { return .ignore(reason: "event \(event["type"]?.string ?? "none")") }
        let kind: ChatMessageKind
        switch event["subtype"]?.string {
        case nil, "thread_broadcast", "file_share", "bot_message": kind = .message
        case "me_message": kind = .action
        case let other?: return .ignore(reason: "message subtype \(other)")
        }
        let botID = event["bot_id"]?.identifier
        let userID = event["user"]?.identifier ?? botID
        let ts = event["ts"]?.string
        let isOwnBot = botID != nil && botID == settings.botUserID
        return message(
            userID: userID, userName: event["username"]?.string, postID: ts, text: event["text"]?.string.map(Self.slackUnescape),
            channelID: event["channel"]?.identifier, threadRoot: event["thread_ts"]?.string,
            time: ts.flatMap(Double.init).map { Date(timeIntervalSince1970: $0) } ?? now,
            isBot: botID != nil && !isOwnBot, kind: kind, forceOwn: isOwnBot)
    }

    // MARK: - Shared

    private func message(
        userID: String?, userName: String?, postID: String?, text: String?, channelID: String?, threadRoot: String?,
        time: Date, isBot: Bool, kind: ChatMessageKind, forceOwn: Bool = false
    ) -> WebhookDecision {
        if let wanted = settings.channelID, !wanted.isEmpty, let channelID, channelID != wanted {
            return .ignore(reason: "another channel")
        }
        guard let userID, !userID.isEmpty else { return .refuse(status: 400, reason: "user id missing") }
        guard let postID, !postID.isEmpty else { return .refuse(status: 400, reason: "post id missing") }
        guard let text, !text.isEmpty else { return .ignore(reason: "no text") }
        let isOwn = forceOwn || (settings.botUserID.map { !$0.isEmpty && $0 == userID } ?? false)
        let nick = ChatReply.oneLine(userName ?? "").isEmpty ? userID : ChatReply.oneLine(userName!)
        let root = threadRoot.flatMap { $0.isEmpty || $0 == postID ? nil : $0 }
        let stored = ChatMessage(
            channel: channel, time: time, sender: ChatIdentity(nick: nick, account: userID),
            kind: isBot && !isOwn ? .notice : kind, text: text, networkID: postID, replyTo: nil, threadRoot: root,
            isOwn: isOwn)
        return .message(stored, deliveryKey: (channelID ?? "") + "/" + postID)
    }

    /// Seconds (or milliseconds, as newer Mattermost servers send) since 1970.
    static func epochTime(_ text: String?) -> Date? {
        guard let text, let value = Double(text), value > 0 else { return nil }
        return Date(timeIntervalSince1970: value > 100_000_000_000 ? value / 1000 : value)
    }

    static func isoTime(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: .iso8601)
    }

    /// Slack escapes `&`, `<` and `>` in message text; stored text is what the person typed.
    static func slackUnescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacing("&lt;", with: "<").replacing("&gt;", with: ">")
            .replacing("&amp;", with: "&")
    }
}
