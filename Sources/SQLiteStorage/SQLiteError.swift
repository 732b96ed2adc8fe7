/// A SQLite call failed. `code` is SQLite's extended result code; `message` is SQLite's text plus
/// what was being done. Bound values are never part of the message (they may be chat text or secrets).
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    /// The message, with what to do for the failures an operator can fix.
    public var description: String {
        switch code & 0xFF {
        case 13:  // SQLITE_FULL
            return message + ": no space left for the store or its write-ahead log; free space on that disk "
                + "and start threadpress again (what was not committed is read again from the chat)"
        case 8:  // SQLITE_READONLY
            return message + ": the store cannot be written; check the permissions of the file and its folder"
        default:
            return message
        }
    }
}
