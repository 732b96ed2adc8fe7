/// One IRCv3 message tag; `value` is unescaped (`\s` is a space, `\:` a semicolon…).
public struct IRCTag: Hashable, Sendable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String = "") {
        self.key = key
        self.value = value
    }
}
