import ConfigurationReading
/// What the bot logs (`logging`).
///
/// ```json
/// "logging": { "level": "info" }
/// ```
public struct LoggingConfiguration: Sendable {
    /// The most detailed level logged (`level`: `error`, `warning`, `info` or `debug`; default
    /// `info`).
    public var level: LogLevel

    public init(level: LogLevel = .info) {
        self.level = level
    }
}

extension LoggingConfiguration {
    init(reading reader: ConfigurationObjectReader) {
        let level = reader.choice("level", as: LogLevel.self) ?? .info
        reader.finish()
        self.init(level: level)
    }
}
