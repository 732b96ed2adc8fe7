/// A SQLite call failed. `code` is SQLite's extended result code; `message` is SQLite's text plus
/// what was being done. Bound values are never part of the message (they may be chat text or secrets).
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
