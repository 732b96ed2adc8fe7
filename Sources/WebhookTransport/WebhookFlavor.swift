/// Which platform sends and receives: each has its own inbound payload, authentication and reply shape.
public enum WebhookFlavor: String, Sendable, Hashable, CaseIterable {
    /// Mattermost outgoing webhook (form-urlencoded or JSON, `token` in the body); replies to an
    /// incoming webhook.
    case mattermost
    /// Rocket.Chat outgoing integration (JSON, `token` in the body); replies to an incoming webhook.
    case rocketchat
    /// Slack Events API (`url_verification`, `event_callback` message events, `v0` request
    /// signatures); replies to an incoming webhook or `chat.postMessage` with a bot token.
    case slack
}
