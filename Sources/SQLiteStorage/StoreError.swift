/// The store could not be opened or used. `description` says what to do.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        /// The file was written by a newer threadpress.
        case newerSchema
        /// The file is damaged, or is some other program's SQLite file.
        case notAStore
        /// Another process holds the store's lock.
        case inUse
        /// A SQLite call failed.
        case sqlite
        /// The store (or its lock file) cannot be created where `store.path` says: a missing or
        /// unwritable folder. A configuration problem, not a failure of the bot.
        case cannotCreate
    }

    public var code: Code
    public var message: String
    public var underlying: SQLiteError?

    public init(code: Code, message: String, underlying: SQLiteError? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }
}
