/// How the bot recognises commands in the channel (`commands`).
///
/// ```json
/// "commands": { "prefix": "!" }
/// ```
public struct CommandsConfiguration: Sendable {
    /// The characters a command starts with (`prefix`, default `!`): one to three characters,
    /// none of them a letter, digit, space or control character (`!`, `.`, `@@`, `>>`).
    public var prefix: String

    public init(prefix: String = "!") {
        self.prefix = prefix
    }
}

extension CommandsConfiguration {
    init(reading reader: ConfigurationObjectReader) {
        var prefix = "!"
        if let given = reader.string("prefix") {
            if Self.isValidPrefix(given) {
                prefix = given
            } else {
                reader.report("prefix", "expected 1 to 3 symbols such as \"!\" or \".\", got \(UntrustedText.quoted(given))")
            }
        }
        reader.finish()
        self.init(prefix: prefix)
    }

    static func isValidPrefix(_ prefix: String) -> Bool {
        (1...3).contains(prefix.count)
            && prefix.allSatisfy { character in
                !character.isLetter && !character.isNumber && !character.isWhitespace
                    && !UntrustedText.containsControlCharacters(String(character))
            }
    }
}
