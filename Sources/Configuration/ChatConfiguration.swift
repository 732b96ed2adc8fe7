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
        let kind = reader.string("kind", required: true, hint: "set it to \"logfile\"")
        reader.allow(contentsOf: Self.availableKinds + Self.plannedKinds)
        var result: ChatConfiguration?
        switch kind {
        case nil:
            break
        case "logfile":
            result = reader.object("logfile", required: true, hint: "add \"logfile\": { \"path\": …, \"channel\": … }")
                .flatMap(LogFileChatConfiguration.init(reading:))
                .map(ChatConfiguration.logfile)
        case let kind? where Self.plannedKinds.contains(kind):
            reader.report("kind", "the \"\(kind)\" transport is not available in this version; use \"logfile\"")
        case let kind?:
            reader.report(
                "kind",
                "unknown chat transport \(UntrustedText.quoted(kind)); this version supports \"logfile\""
                    + UntrustedText.didYouMean(
                        ClosestMatch.suggestion(for: kind, among: Self.availableKinds + Self.plannedKinds)))
        }
        for planned in Self.plannedKinds where planned != kind {
            reader.ignoreObject(planned)
        }
        reader.finish()
        guard let result else { return nil }
        self = result
    }
}
