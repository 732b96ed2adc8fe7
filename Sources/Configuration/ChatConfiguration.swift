import ChatTransports
import WebhookTransport
import ConfigurationReading
import IRCTransport
/// Which chat transport threadpress reads from, with its settings (`chat.kind` in the file).
///
/// `"logfile"`, `"webhook"` and `"irc"`.
public enum ChatConfiguration: Sendable {
    /// Tail a chat client's log file (`"kind": "logfile"`).
    case logfile(LogFileChatConfiguration)
    /// Receive a Mattermost, Rocket.Chat or Slack channel as webhooks (`"kind": "webhook"`).
    case webhook(WebhookChatConfiguration)
    /// Be a client in IRC channels (`"kind": "irc"`).
    case irc(IRCChatConfiguration)
}

extension ChatConfiguration {
    /// Kinds this version can run.
    static let availableKinds = ["logfile", "webhook", "irc"]
    /// Kinds planned for later versions: accepted as keys (so an operator can keep their settings
    /// around) but refused as the selected kind.
    static let plannedKinds: [String] = []

    init?(reading reader: ConfigurationObjectReader) {
        let kinds = [
            ConfigurationObjectReader.Kind(
                name: "logfile", hint: "add \"logfile\": { \"path\": …, \"channel\": … }",
                read: { LogFileChatConfiguration(reading: $0).map(ChatConfiguration.logfile) }),
            ConfigurationObjectReader.Kind(
                name: "webhook", hint: "add \"webhook\": { \"listen\": \"127.0.0.1:8088\", \"flavor\": \"mattermost\", … }",
                read: { WebhookChatConfiguration(reading: $0).map(ChatConfiguration.webhook) }),
            ConfigurationObjectReader.Kind(
                name: "irc", hint: "add \"irc\": { \"host\": …, \"channels\": [\"#team\"] }",
                read: { IRCChatConfiguration(reading: $0).map(ChatConfiguration.irc) }),
        ]
        guard let result = reader.selectKind("chat transport", available: kinds, planned: Self.plannedKinds) else {
            return nil
        }
        self = result
    }
}
