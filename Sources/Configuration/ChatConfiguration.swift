import ChatTransports
import ConfigurationReading
/// Which chat transport threadpress reads from, with its settings (`chat.kind` in the file).
///
/// Only the log-file tailer exists in this version; `"irc"` and `"webhook"` are recognised and
/// rejected with a message saying so.
public enum ChatConfiguration: Sendable {
    /// Tail a chat client's log file (`"kind": "logfile"`).
    case logfile(LogFileChatConfiguration)
}

extension ChatConfiguration {
    /// Kinds this version can run.
    static let availableKinds = ["logfile"]
    /// Kinds planned for later versions: accepted as keys (so an operator can keep their settings
    /// around) but refused as the selected kind.
    static let plannedKinds = ["irc", "webhook"]

    init?(reading reader: ConfigurationObjectReader) {
        let kinds = [
            ConfigurationObjectReader.Kind(
                name: "logfile", hint: "add \"logfile\": { \"path\": …, \"channel\": … }",
                read: { LogFileChatConfiguration(reading: $0).map(ChatConfiguration.logfile) }),
        ]
        guard let result = reader.selectKind("chat transport", available: kinds, planned: Self.plannedKinds) else {
            return nil
        }
        self = result
    }
}
