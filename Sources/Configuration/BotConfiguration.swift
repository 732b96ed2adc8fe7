import ConfigurationReading
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel
/// The bot's own identity (`bot`).
///
/// ```json
/// "bot": { "nick": "threadpress", "timezone": "Europe/Paris" }
/// ```
public struct BotConfiguration: Sendable {
    /// The nick the bot speaks as (`nick`, default `threadpress`); its own lines are never
    /// treated as commands or put into drafts.
    public var nick: String
    /// The zone message times are shown in, in posts and replies (`timezone`, an IANA name;
    /// default the system's zone). A log-file channel uses its own `timezone` instead.
    public var timeZone: IANATimeZone

    public init(nick: String = "threadpress", timeZone: IANATimeZone = .current) {
        self.nick = nick
        self.timeZone = timeZone
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
        var zone = IANATimeZone.current
        if let name = reader.string("timezone") {
            if !name.isEmpty, !UntrustedText.containsControlCharacters(name), let given = IANATimeZone(identifier: name) {
                zone = given
            } else {
                reader.report(
                    "timezone",
                    "unknown time zone \(UntrustedText.quoted(name)); use an IANA name such as \"Europe/Paris\" or \"UTC\""
                        + UntrustedText.didYouMean(ClosestMatch.suggestion(for: name, among: IANATimeZone.knownIdentifiers)))
            }
        }
        reader.finish()
        self.init(nick: nick, timeZone: zone)
    }
}
