#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// The store's operations, valid inside one ``SQLiteStore/write(_:)`` or ``SQLiteStore/read(_:)`` call.
public struct StoreTransaction {
    let db: SQLiteConnection

    init(connection: SQLiteConnection) { self.db = connection }
}

/// A transaction belongs to the thread that holds the store's lock: it must not escape the
/// ``SQLiteStore/write(_:)`` or ``SQLiteStore/read(_:)`` call (their results must be `Sendable`).
@available(*, unavailable)
extension StoreTransaction: Sendable {}

extension Date {
    var milliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }
    init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1000) }
}

extension SQLiteConnection.Value {
    static func optional(_ text: String?) -> Self { text.map { .text($0) } ?? .null }
    static func optional(_ number: Int64?) -> Self { number.map { .integer($0) } ?? .null }
    static func date(_ date: Date) -> Self { .integer(date.milliseconds) }
}
