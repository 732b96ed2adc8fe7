/// Positions for inbound deliveries and which of them the store has committed, with no I/O.
///
/// Each new delivery gets the next position (decimal text, increasing across restarts because
/// the first comes after the saved one). A re-delivery (same channel and post id, e.g. a Slack
/// retry) gets the position it had: committed → answer 200 at once; still pending → wait for it.
/// Remembers the last `capacity` keys; an older re-delivery is yielded again and the store's
/// unique network id drops it.
struct DeliveryLedger: Sendable {
    enum Admission: Equatable {
        /// New: yield the message with this position, then wait for it.
        case new(Int64)
        /// Seen and not yet committed: wait for this position.
        case pending(Int64)
        /// Seen and committed: answer 200.
        case committed
    }

    private(set) var next: Int64 = 1
    private(set) var committedThrough: Int64 = 0
    private var positions: [String: Int64] = [:]
    private var order: [String] = []
    private var orderStart = 0
    let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// Continues after a saved position (positions from an earlier run are all committed).
    mutating func resume(after saved: String?) {
        guard let saved, let value = Int64(saved), value >= next else { return }
        next = value + 1
        committedThrough = max(committedThrough, value)
    }

    mutating func admit(_ key: String) -> Admission {
        if let position = positions[key] { return position <= committedThrough ? .committed : .pending(position) }
        let position = next
        next += 1
        positions[key] = position
        order.append(key)
        if order.count - orderStart > capacity {
            positions[order[orderStart]] = nil
            orderStart += 1
            if orderStart > capacity {
                order.removeFirst(orderStart)
                orderStart = 0
            }
        }
        return .new(position)
    }

    /// Forgets deliveries yielded but not committed (the stream they went to is gone): their
    /// re-deliveries are yielded again. Positions keep increasing.
    mutating func forgetUncommitted() {
        let committed = committedThrough
        positions = positions.filter { $0.value <= committed }
        order = order[orderStart...].filter { positions[$0] != nil }
        orderStart = 0
    }

    /// The last position handed out (`committedThrough` when none is pending).
    var lastPosition: Int64 { next - 1 }

    /// Records a commit; returns whether it moved forward.
    @discardableResult
    mutating func commit(through position: String) -> Bool {
        guard let value = Int64(position), value > committedThrough else { return false }
        committedThrough = value
        return true
    }

    func isCommitted(_ position: Int64) -> Bool { position <= committedThrough }
}
