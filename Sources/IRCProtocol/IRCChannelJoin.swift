/// A channel to join, with its key if it has one.
public struct IRCChannelJoin: Hashable, Sendable {
    public var name: String
    public var key: String?

    public init(_ name: String, key: String? = nil) {
        self.name = name
        self.key = key
    }
}
