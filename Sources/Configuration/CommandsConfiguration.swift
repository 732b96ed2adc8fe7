import ConfigurationReading
/// How the bot recognises commands in the channel (`commands`).
///
/// ```json
/// "commands": { "prefix": "!", "max_age_minutes": 15, "per_person_burst": 5, "per_person_per_minute": 10 }
/// ```
public struct CommandsConfiguration: Sendable {
    /// The characters a command starts with (`prefix`, default `!`): one to three characters,
    /// none of them a letter, digit, space or control character (`!`, `.`, `@@`, `>>`).
    public var prefix: String
    /// A command older than this when the bot reads it is stored but not answered
    /// (`max_age_minutes`, default 15, 0…10080; 0 answers commands of any age).
    public var maximumAgeMinutes: Int
    /// Commands one person may send at once (`per_person_burst`, default 5, 1…1000).
    public var perPersonBurst: Int
    /// Commands one person may sustain per minute (`per_person_per_minute`, default 10, 1…6000).
    public var perPersonPerMinute: Int

    public init(prefix: String = "!", maximumAgeMinutes: Int = 15, perPersonBurst: Int = 5, perPersonPerMinute: Int = 10) {
        self.prefix = prefix
        self.maximumAgeMinutes = maximumAgeMinutes
        self.perPersonBurst = perPersonBurst
        self.perPersonPerMinute = perPersonPerMinute
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
        let age = reader.int("max_age_minutes", range: 0...10_080) ?? 15
        let burst = reader.int("per_person_burst", range: 1...1_000) ?? 5
        let perMinute = reader.int("per_person_per_minute", range: 1...6_000) ?? 10
        reader.finish()
        self.init(prefix: prefix, maximumAgeMinutes: age, perPersonBurst: burst, perPersonPerMinute: perMinute)
    }

    static func isValidPrefix(_ prefix: String) -> Bool {
        (1...3).contains(prefix.count)
            && prefix.allSatisfy { character in
                !character.isLetter && !character.isNumber && !character.isWhitespace
                    && !UntrustedText.containsControlCharacters(String(character))
            }
    }
}
