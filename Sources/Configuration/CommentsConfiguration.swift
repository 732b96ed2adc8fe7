import ConfigurationReading
/// How blog comments are mirrored back to the chat (`comments`).
///
/// ```json
/// "comments": { "poll_seconds": 60, "excerpt_characters": 200 }
/// ```
public struct CommentsConfiguration: Sendable {
    static let pollSecondsRange = 1...86_400
    static let excerptCharactersRange = 1...2000

    /// How often the blog is asked for new comments (`poll_seconds`, default 60, 1…86400).
    public var pollSeconds: Int
    /// How much of a comment is quoted in the chat (`excerpt_characters`, default 200, 1…2000).
    public var excerptCharacters: Int

    public init(pollSeconds: Int = 60, excerptCharacters: Int = 200) {
        self.pollSeconds = pollSeconds
        self.excerptCharacters = excerptCharacters
    }
}

extension CommentsConfiguration {
    init(reading reader: ConfigurationObjectReader) {
        let poll = reader.int("poll_seconds", range: Self.pollSecondsRange) ?? 60
        let excerpt = reader.int("excerpt_characters", range: Self.excerptCharactersRange) ?? 200
        reader.finish()
        self.init(pollSeconds: poll, excerptCharacters: excerpt)
    }
}
