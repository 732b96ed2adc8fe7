import ConfigurationReading
/// How the channel's lines are grouped into conversations (`conversation`).
///
/// ```json
/// "conversation": { "gap_minutes": 15, "maximum_messages": 200 }
/// ```
public struct ConversationConfiguration: Sendable {
    static let gapMinutesRange = 1...1440
    static let maximumMessagesRange = 1...5000

    /// A silence this long ends a conversation (`gap_minutes`, default 15, 1…1440).
    public var gapMinutes: Int
    /// The most messages one draft takes (`maximum_messages`, default 200, 1…5000).
    public var maximumMessages: Int

    public init(gapMinutes: Int = 15, maximumMessages: Int = 200) {
        self.gapMinutes = gapMinutes
        self.maximumMessages = maximumMessages
    }
}

extension ConversationConfiguration {
    init(reading reader: ConfigurationObjectReader) {
        let gap = reader.int("gap_minutes", range: Self.gapMinutesRange) ?? 15
        let maximum = reader.int("maximum_messages", range: Self.maximumMessagesRange) ?? 200
        reader.finish()
        self.init(gapMinutes: gap, maximumMessages: maximum)
    }
}
