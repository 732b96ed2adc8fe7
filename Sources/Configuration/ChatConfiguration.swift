import ChatTransports
import ConfigurationReading
import IRCTransport
/// Which chat transport threadpress reads from, with its settings (`chat.kind` in the file).
///
/// The log-file tailer and the IRC client exist in this version; `"webhook"` is recognised and
/// rejected with a message saying so.
public enum ChatConfiguration: Sendable {
    /// Tail a chat client's log file (`"kind": "logfile"`).
    case logfile(LogFileChatConfiguration)
    /// Be a client in IRC channels (`"kind": "irc"`).
    case irc(IRCChatConfiguration)
}

extension ChatConfiguration {
    /// Kinds this version can run.
    static let availableKinds = ["logfile", "irc"]
    /// Kinds planned for later versions: accepted as keys (so an operator can keep their settings
    /// around) but refused as the selected kind.
    static let plannedKinds = ["webhook"]

    init?(reading reader: ConfigurationObjectReader) {
        let kinds = [
            ConfigurationObjectReader.Kind(
                name: "logfile", hint: "add \"logfile\": { \"path\": …, \"channel\": … }",
                read: { LogFileChatConfiguration(reading: $0).map(ChatConfiguration.logfile) }),
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
