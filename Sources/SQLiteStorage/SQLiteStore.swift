import CSQLite
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Threads

/// threadpress's durable state in one SQLite file (WAL mode): the channel log, drafts, the blog
/// and chat outboxes, comment cursors and the ledger of mirrored comments.
///
/// All access goes through ``write(_:)`` (one `BEGIN IMMEDIATE` transaction) or ``read(_:)``;
/// calls are serialised by a lock, so the store can be shared between tasks.
///
/// ```swift
/// let store = try SQLiteStore(path: "threadpress.sqlite")
/// let number = try store.write { try $0.insertMessage(message) }
/// ```
public final class SQLiteStore: @unchecked Sendable {
    private let connection: SQLiteConnection
    private let lock = ConditionLock()
    /// The store's own thread: async callers run their SQLite work here, never on Swift's
    /// cooperative pool (a busy database or a slow disk must not stall every other task).
    private let thread = DispatchQueue(label: "threadpress.store", qos: .utility)
    public let path: String
    /// The device and inode of the file opened, to notice it being deleted or replaced.
    private let fileIdentity: (device: UInt64, inode: UInt64)?

    /// Opens the store at `path`, creating it and running migrations as needed.
    ///
    /// Throws ``StoreError`` when the file belongs to a newer threadpress, is another program's
    /// database, or is damaged; it never replaces or repairs such a file.
    public init(path: String) throws {
        self.path = path
        do {
            connection = try SQLiteConnection(path: path)
        } catch let error as SQLiteError {
            throw StoreError(code: .sqlite, message: "store.path: \(error.message)", underlying: error)
        }
        do {
            try Self.prepare(connection, path: path)
        } catch let error as SQLiteError {
            if [SQLITE_NOTADB, SQLITE_CORRUPT].contains(error.code & 0xFF) {
                throw Self.notAStore(path, detail: error.message)
            }
            throw StoreError(code: .sqlite, message: "store \(path): \(error.message)", underlying: error)
        }
        fileIdentity = Self.identity(of: path)
    }

    private static func identity(of path: String) -> (device: UInt64, inode: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// Throws when the store's file was deleted or replaced under the running bot (what it writes
    /// would go to a file nobody will read again).
    public func verifyFileIdentity() throws {
        guard let fileIdentity, path != ":memory:" else { return }
        let now = Self.identity(of: path)
        if now == nil || now! != fileIdentity {
            throw StoreError(
                code: .sqlite,
                message: "store \(path) was deleted or replaced while threadpress was running; stopping so nothing is "
                    + "written to a file that is gone. Restore it (or let a restart create a new one) and start threadpress again")
        }
    }

    private static func notAStore(_ path: String, detail: String) -> StoreError {
        StoreError(
            code: .notAStore,
            message: "store \(path) is damaged or is not a threadpress store (\(detail)); "
                + "threadpress never replaces it: restore it from a backup, or move it away to start afresh")
    }

    private static func prepare(_ db: SQLiteConnection, path: String) throws {
        // Reading the header first surfaces "file is not a database" before any write.
        let version = try db.first("PRAGMA user_version") { Int($0.int64(0)) } ?? 0
        let application = try db.first("PRAGMA application_id") { Int32(truncatingIfNeeded: $0.int64(0)) } ?? 0
        let tableCount = try db.first("SELECT count(*) FROM sqlite_schema") { Int($0.int64(0)) } ?? 0
        if application != StoreSchema.applicationID && (application != 0 || tableCount > 0) {
            throw notAStore(path, detail: "it holds tables that threadpress did not create")
        }
        if version > StoreSchema.migrations.count {
            throw StoreError(
                code: .newerSchema,
                message: "store \(path) was written by a newer threadpress (schema \(version); this build knows "
                    + "up to \(StoreSchema.migrations.count)): upgrade threadpress, or point store.path at another file")
        }
        if version > 0 {
            let check = try db.first("PRAGMA quick_check") { $0.string(0) } ?? "?"
            if check != "ok" { throw notAStore(path, detail: "integrity check: \(check)") }
        }
        _ = try db.first("PRAGMA journal_mode = WAL") { $0.string(0) }
        // Migrations run with foreign keys off, so one may rebuild a table others refer to (SQLite's
        // documented way to change a constraint); each checks them before it commits.
        try db.execute("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;")
        let fresh = version == 0 && tableCount == 0
        if fresh {
            // A new store gets the current schema in one step rather than the history of migrations.
            try db.transaction {
                try db.execute(StoreSchema.current)
                try db.execute(
                    "PRAGMA application_id = \(StoreSchema.applicationID); PRAGMA user_version = \(StoreSchema.migrations.count)")
            }
        }
        for (index, migration) in StoreSchema.migrations.enumerated() where index >= version && !fresh {
            try db.transaction {
                try db.execute(migration)
                if let broken = try db.first("PRAGMA foreign_key_check", [], { $0.string(0) }) {
                    throw notAStore(path, detail: "migration \(index + 1) left a broken reference in \(broken)")
                }
                try db.execute("PRAGMA application_id = \(StoreSchema.applicationID); PRAGMA user_version = \(index + 1)")
            }
        }
        try db.execute("PRAGMA foreign_keys = ON;")
    }

    /// Runs `body` in one write transaction; everything it does is committed together or not at all.
    public func write<T: Sendable>(_ body: (StoreTransaction) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try connection.transaction { try body(StoreTransaction(connection: connection)) }
    }

    /// Runs `work` on the store's own thread and returns its result to the awaiting task.
    public func onStoreThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            thread.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// ``write(_:)`` on the store's own thread.
    public func asyncWrite<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        try await onStoreThread { try self.write(body) }
    }

    /// ``read(_:)`` on the store's own thread.
    public func asyncRead<T: Sendable>(_ body: @escaping @Sendable (StoreTransaction) throws -> T) async throws -> T {
        try await onStoreThread { try self.read(body) }
    }

    /// Runs `body` for reading (no transaction is opened for single statements).
    public func read<T: Sendable>(_ body: (StoreTransaction) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(StoreTransaction(connection: connection))
    }

    /// Frees SQLite's page cache of this connection and returns freed heap memory to the system
    /// (`malloc_trim`): called once after start-up, so a bot that idles for months does not keep
    /// the peak of its start-up resident.
    public func releaseFreeMemory() async {
        _ = try? await onStoreThread {
            try self.read { _ in }
            self.lock.lock()
            defer { self.lock.unlock() }
            try? self.connection.execute("PRAGMA shrink_memory")
            #if canImport(Glibc)
            // glibc's malloc_trim is declared in <malloc.h>, which no module map here exposes:
            // looked up once by name, called through its C type.
            if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
                typealias MallocTrim = @convention(c) (Int) -> Int32
                _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
            }
            #endif
        }
    }

    /// Moves the WAL into the main file (at clean shutdown).
    public func checkpoint() {
        lock.lock()
        defer { lock.unlock() }
        try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}
