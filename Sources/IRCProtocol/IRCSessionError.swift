/// A session failure; `message` says what to do and never contains a password.
public struct IRCSessionError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case saslFailed
        case saslUnavailable
        case banned
        case passwordMismatch
        case noUsableNick
    }

    public var code: Code
    public var message: String
    /// `true` when reconnecting with the same configuration cannot help.
    public var isPermanent: Bool

    public init(_ code: Code, _ message: String, isPermanent: Bool) {
        self.code = code
        self.message = message
        self.isPermanent = isPermanent
    }

    public var description: String { message }
}
