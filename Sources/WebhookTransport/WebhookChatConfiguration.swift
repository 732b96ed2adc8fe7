import ChatTransports
import ConfigurationReading
import HTTPServer

/// The `chat.webhook` section as read from the configuration file: ``WebhookSettings`` plus the
/// channel name messages are stored under. The configuration module only dispatches on
/// `"kind": "webhook"` and calls ``init(reading:)``.
///
/// ```json
/// "webhook": { "listen": "127.0.0.1:8088", "path": "/hooks/chat", "flavor": "mattermost",
///              "channel": "town-square", "token_env": "THREADPRESS_WEBHOOK_TOKEN",
///              "reply_url_env": "THREADPRESS_INCOMING_WEBHOOK_URL" }
/// ```
public struct WebhookChatConfiguration: Sendable {
    public var settings: WebhookSettings
    /// `channel`: the name messages are stored under and commands see (default: `channel_id`, or
    /// the flavour's name). Purely local: the platform decides which channel posts.
    public var channel: String

    public init(settings: WebhookSettings, channel: String) {
        self.settings = settings
        self.channel = channel
    }
}

extension WebhookChatConfiguration {
    /// Reads and checks every key, reporting each problem with its JSON path; `nil` when any key
    /// was unusable. Secrets (`token`, `signing_secret`, `reply_url`, `bot_token`) accept the
    /// `_env` and `_file` forms and never appear in a message.
    public init?(reading reader: ConfigurationObjectReader) {
        let flavor = reader.choice("flavor", as: WebhookFlavor.self, required: true)
        let listen = reader.string("listen") ?? "127.0.0.1:8088"
        let address = ListenAddress(listen)
        if address == nil {
            reader.report("listen", "expected an IP address and port like \"127.0.0.1:8088\" or \"[::1]:8088\"")
        }
        let path = reader.string("path") ?? "/hooks/chat"
        let token = reader.secret("token")?.value
        let signingSecret = reader.secret("signing_secret")?.value
        let replyURL = reader.secret("reply_url")?.value
        let botToken = reader.secret("bot_token")?.value
        let channelID = reader.string("channel_id")
        let botUserID = reader.string("bot_user_id")
        let channel = reader.string("channel")
        let commit = reader.int("commit_timeout_ms", range: 100...60_000) ?? 2_500
        let request = reader.int("request_timeout_ms", range: 1_000...120_000) ?? 10_000
        let body = reader.int("max_body_bytes", range: 1_024...(16 << 20)) ?? (1 << 20)
        let connections = reader.int("max_connections", range: 1...4_096) ?? 256
        let privateReplies = reader.bool("private_replies") ?? false
        reader.finish()
        guard let flavor, let address else { return nil }
        let settings = WebhookSettings(
            listen: listen, path: path, flavor: flavor, token: token, signingSecret: signingSecret, replyURL: replyURL,
            botToken: botToken, channelID: channelID, botUserID: botUserID, commitTimeout: .milliseconds(commit),
            maximumBodyBytes: body, maximumConnections: connections, requestTimeout: .milliseconds(request),
            privateReplies: privateReplies)
        var valid = true
        if !address.isLoopback && !settings.isAuthenticated {
            reader.report("listen", "\(address) is reachable from other machines; set "
                + (flavor == .slack ? "signing_secret" : "token") + ", or listen on 127.0.0.1")
            valid = false
        }
        for problem in settings.validate() {
            let parts = problem.split(separator: ":", maxSplits: 1).map(String.init)
            reader.report(parts[0], parts.count > 1 ? parts[1].trimmingSpaces() : problem)
            valid = false
        }
        guard valid else { return nil }
        self.init(settings: settings, channel: channel ?? channelID ?? flavor.rawValue)
    }
}

extension WebhookChatTransport {
    /// The transport for a configuration section read by ``WebhookChatConfiguration/init(reading:)``.
    public convenience init(configuration: WebhookChatConfiguration, botNick: String, log: @escaping @Sendable (String) -> Void = { _ in }) throws(ChatTransportError) {
        try self.init(settings: configuration.settings, channel: configuration.channel, botNick: botNick, log: log)
    }
}
