import CSQLite

/// A prepared statement owned by a ``SQLiteConnection``. Columns and parameters count from 0.
public final class SQLiteStatement {
    private let raw: OpaquePointer
    private unowned let connection: SQLiteConnection

    init(raw: OpaquePointer, connection: SQLiteConnection) {
        self.raw = raw
        self.connection = connection
    }

    deinit { sqlite3_finalize(raw) }

    func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    /// Binds `values` to parameters 1…n.
    public func bind(_ values: [SQLiteConnection.Value]) throws {
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds one value to parameter `index` (from 1); hot paths use this to avoid building arrays.
    public func bind(_ value: SQLiteConnection.Value, at index: Int32) throws {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(raw, index)
        case .integer(let v): code = sqlite3_bind_int64(raw, index, v)
        case .real(let v): code = sqlite3_bind_double(raw, index, v)
        case .text(let v):
            // An explicit length keeps text with NUL characters whole.
            var text = v
            code = text.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    guard let base = chars.baseAddress, chars.count > 0 else {
                        // An empty buffer may have no address, which SQLite would bind as NULL.
                        return sqlite3_bind_text(raw, index, "", 0, CSQLite_transient())
                    }
                    return sqlite3_bind_text(raw, index, base, Int32(chars.count), CSQLite_transient())
                }
            }
        }
        guard code == SQLITE_OK else { throw connection.error(code, "cannot bind parameter \(index)") }
    }

    /// Advances to the next row; `false` when done.
    public func step() throws -> Bool {
        let code = sqlite3_step(raw)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE:
            sqlite3_reset(raw)
            return false
        default:
            sqlite3_reset(raw)
            throw connection.error(code, "statement failed")
        }
    }

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(raw, column) == SQLITE_NULL }
    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(raw, column) }
    public func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(raw, column) else { return "" }
        let count = Int(sqlite3_column_bytes(raw, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }
    public func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }
    public func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }
}
