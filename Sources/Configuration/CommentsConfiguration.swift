import ConfigurationReading
/// How blog comments are mirrored back to the chat (`comments`).
///
/// ```json
/// "comments": { "poll_seconds": 60, "excerpt_characters": 200, "scope": "threadpress", "announce_per_poll": 5 }
/// ```
public struct CommentsConfiguration: Sendable {
    static let pollSecondsRange = 1...86_400
    static let excerptCharactersRange = 1...2000

    /// How often the blog is asked for new comments (`poll_seconds`, default 60, 1…86400).
    public var pollSeconds: Int
    /// How much of a comment is quoted in the chat (`excerpt_characters`, default 200, 1…2000).
    public var excerptCharacters: Int

    /// Whose comments are mirrored (`scope`): `"threadpress"` (default), only the posts threadpress
    /// published; `"all"`, every post on the blog.
    public var scope: Scope
    /// Comments announced one line each per poll (`announce_per_poll`, default 5, 1…100); more
    /// become one summary line.
    public var announcePerPoll: Int

    public enum Scope: String, Sendable, CaseIterable {
        case threadpress, all
    }

    public init(pollSeconds: Int = 60, excerptCharacters: Int = 200, scope: Scope = .threadpress, announcePerPoll: Int = 5) {
        self.pollSeconds = pollSeconds
        self.excerptCharacters = excerptCharacters
        self.scope = scope
        self.announcePerPoll = announcePerPoll
    }
}

extension CommentsConfiguration {
    init(reading reader: ConfigurationObjectReader) {
        let poll = reader.int("poll_seconds", range: Self.pollSecondsRange) ?? 60
        let excerpt = reader.int("excerpt_characters", range: Self.excerptCharactersRange) ?? 200
        let scope = reader.choice("scope", as: Scope.self) ?? .threadpress
        let announce = reader.int("announce_per_poll", range: 1...100) ?? 5
        reader.finish()
        self.init(pollSeconds: poll, excerptCharacters: excerpt, scope: scope, announcePerPoll: announce)
    }
}
