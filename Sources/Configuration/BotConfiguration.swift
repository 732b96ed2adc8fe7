import ConfigurationReading
/// The bot's own identity (`bot`).
///
/// ```json
/// "bot": { "nick": "threadpress" }
/// ```
public struct BotConfiguration: Sendable {
    /// The nick the bot speaks as (`nick`, default `threadpress`); its own lines are never
    /// treated as commands or put into drafts.
    public var nick: String

    public init(nick: String = "threadpress") {
        self.nick = nick
    }
}

extension BotConfiguration {
    init(reading reader: ConfigurationObjectReader) {
        var nick = "threadpress"
        if let given = reader.string("nick") {
            if given.isEmpty || given.contains(where: \.isWhitespace) || UntrustedText.containsControlCharacters(given) {
                reader.report("nick", "expected a nick without spaces, such as \"threadpress\", got \(UntrustedText.quoted(given))")
            } else {
                nick = given
            }
        }
        reader.finish()
        self.init(nick: nick)
    }
}
