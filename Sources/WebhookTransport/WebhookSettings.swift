/// The `chat.webhook` configuration section. The configuration module reads the JSON (secrets
/// through `X`, `X_env` or `X_file`) and builds this; ``validate()`` names every problem.
///
/// ```json
/// "chat": { "kind": "webhook",
///           "webhook": { "listen": "127.0.0.1:8088", "path": "/hooks/chat", "flavor": "mattermost",
///                        "token_env": "THREADPRESS_WEBHOOK_TOKEN",
///                        "reply_url_env": "THREADPRESS_INCOMING_WEBHOOK_URL" } }
/// ```
public struct WebhookSettings: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// `listen`: the `address:port` the listener binds (IP literal; `[::1]:8088` for IPv6). Default
    /// `127.0.0.1:8088`. A non-loopback address requires `token` or `signing_secret`.
    public var listen: String
    /// `path`: the request path the platform posts to (default `/hooks/chat`); other paths get 404,
    /// except `GET /healthz`, which the listener answers for monitoring.
    public var path: String
    /// `flavor`: `mattermost`, `rocketchat` or `slack`.
    public var flavor: WebhookFlavor
    /// `token` (secret): the outgoing webhook's token (Mattermost, Rocket.Chat), compared in
    /// constant time with the payload's `token`; wrong → 403, missing → 401. For Slack, the legacy
    /// verification token, used only when no `signing_secret` is set.
    public var token: String?
    /// `signing_secret` (secret, Slack): verifies `X-Slack-Signature` (`v0=` HMAC-SHA256 of
    /// `v0:timestamp:body`) and refuses timestamps more than 5 minutes off (401).
    public var signingSecret: String?
    /// `reply_url` (secret: it embeds a credential): the incoming webhook URL replies are POSTed
    /// to. With `bot_token` (Slack), the Web API method URL; default
    /// `https://slack.com/api/chat.postMessage`.
    public var replyURL: String?
    /// `bot_token` (secret, Slack): post replies with `chat.postMessage` as this bot
    /// (`Authorization: Bearer`); needs `channel_id`.
    public var botToken: String?
    /// `channel_id`: the platform's id of the watched channel. When set, messages from other
    /// channels are acknowledged and dropped; `chat.postMessage` posts there.
    public var channelID: String?
    /// `bot_user_id`: the platform user id (or Slack `bot_id`) the bot posts as; its own lines are
    /// stored as the bot's (never commands, never promoted).
    public var botUserID: String?
    /// `commit_timeout_ms`: how long a delivery waits for the store before answering 503 so the
    /// platform retries (default 2,500 ms: Slack retries after 3 s without an answer).
    public var commitTimeout: Duration
    /// `max_body_bytes`: the largest request body accepted (default 1 MiB; larger → 413).
    public var maximumBodyBytes: Int
    /// `max_connections`: open connections at most (default 256; more → 503).
    public var maximumConnections: Int
    /// `request_timeout_ms`: the longest one request may take to arrive, from its first byte
    /// (default 10,000 ms; slower → 408 and the connection closes).
    public var requestTimeout: Duration
    /// `private_replies` (Mattermost, Rocket.Chat): long output (`!log`, `!preview`) goes to the
    /// asker as a direct message, posted through the same incoming webhook with
    /// `"channel": "@username"`. Needs a webhook that may post outside its channel (Mattermost:
    /// not "locked to this channel"; Rocket.Chat: "Overwrite destination channel" on). Default
    /// false. Slack incoming webhooks are fixed to one channel, so Slack refuses it.
    public var privateReplies: Bool

    public init(
        listen: String = "127.0.0.1:8088", path: String = "/hooks/chat", flavor: WebhookFlavor,
        token: String? = nil, signingSecret: String? = nil, replyURL: String? = nil, botToken: String? = nil,
        channelID: String? = nil, botUserID: String? = nil, commitTimeout: Duration = .milliseconds(2500),
        maximumBodyBytes: Int = 1 << 20, maximumConnections: Int = 256, requestTimeout: Duration = .seconds(10),
        privateReplies: Bool = false
    ) {
        self.privateReplies = privateReplies
        self.listen = listen
        self.path = path
        self.flavor = flavor
        self.token = token
        self.signingSecret = signingSecret
        self.replyURL = replyURL
        self.botToken = botToken
        self.channelID = channelID
        self.botUserID = botUserID
        self.commitTimeout = commitTimeout
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumConnections = maximumConnections
        self.requestTimeout = requestTimeout
    }

    /// Whether inbound requests are authenticated (required for a non-loopback `listen`).
    public var isAuthenticated: Bool {
        switch flavor {
        case .slack: return nonEmpty(signingSecret) || nonEmpty(token)
        case .mattermost, .rocketchat: return nonEmpty(token)
        }
    }

    /// Every problem with these settings, as `key: what is wrong and what to do` lines.
    public func validate() -> [String] {
        var problems: [String] = []
        if !path.hasPrefix("/") || path.contains("?") || path.contains(" ") {
            problems.append("path: expected an absolute path like \"/hooks/chat\", got \"\(path)\"")
        }
        if botToken != nil && flavor != .slack {
            problems.append("bot_token: only the slack flavor posts with a bot token; use reply_url for \(flavor.rawValue)")
        }
        if flavor == .slack, nonEmpty(botToken), !nonEmpty(channelID) {
            problems.append("channel_id: chat.postMessage needs the channel id (like \"C0123ABCD\") when bot_token is set")
        }
        if !nonEmpty(botToken), !nonEmpty(replyURL) {
            problems.append("reply_url: set the incoming webhook URL the bot posts its replies to")
        }
        if let replyURL, !(replyURL.hasPrefix("http://") || replyURL.hasPrefix("https://")) {
            problems.append("reply_url: expected an http(s) URL")
        }
        if privateReplies, flavor == .slack {
            problems.append("private_replies: Slack incoming webhooks post only to their own channel, so the bot cannot message a person privately; remove private_replies or set it to false")
        }
        if commitTimeout <= .zero { problems.append("commit_timeout_ms: must be positive") }
        if maximumBodyBytes < 1024 { problems.append("max_body_bytes: at least 1024") }
        if maximumConnections < 1 { problems.append("max_connections: at least 1") }
        if requestTimeout <= .zero { problems.append("request_timeout_ms: must be positive") }
        return problems
    }

    /// Never shows a secret (tokens, the signing secret, the reply URL, which embeds a credential).
    public var description: String {
        "webhook \(flavor.rawValue) on \(listen)\(path)" + (isAuthenticated ? " (authenticated)" : " (unauthenticated)")
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["listen": listen, "path": path, "flavor": flavor.rawValue,
                                "token": token == nil ? "nil" : "<redacted>",
                                "signingSecret": signingSecret == nil ? "nil" : "<redacted>",
                                "replyURL": replyURL == nil ? "nil" : "<redacted>",
                                "botToken": botToken == nil ? "nil" : "<redacted>"])
    }
}

func nonEmpty(_ text: String?) -> Bool { !(text ?? "").isEmpty }
