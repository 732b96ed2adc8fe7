/// Why a line could not be parsed or a message could not be serialised.
///
/// Descriptions name the part at fault and what to do, never the content (a parameter may carry a
/// password: `PASS`, `AUTHENTICATE`).
public struct IRCMessageError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        /// The line holds no command (empty, only spaces, only tags or a source).
        case missingCommand
        /// The command is not letters or three digits.
        case invalidCommand
        /// CR, LF or NUL in a parameter, tag or source: it would end the line and start another command.
        case lineBreakOrNUL
        /// A parameter other than the last is empty, contains a space or starts with `:`.
        case invalidMiddleParameter
        /// A tag key is empty, repeated, or contains a space, `=`, `;`, CR, LF or NUL.
        case invalidTagKey
        /// The source is empty or contains a space.
        case invalidSource
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
