/// The outbound queue of one IRC connection: two priorities, paced by ``IRCPacing``.
///
/// Sans-I/O and clock-driven: enqueue lines, then ask ``dequeue(now:)`` which may leave now and
/// ``nextDeparture(now:)`` when to ask again. Command replies (``Priority/reply``) leave before any
/// waiting announcement; within a priority, lines keep their order. `Element` is whatever the
/// driver needs to write and record a line (e.g. the serialised bytes plus the outbox row and line
/// number, so a line is marked sent once and never sent again).
///
/// ```swift
/// var queue = IRCSendQueue<[UInt8]>(pacing: .inspIRCd, now: clock.now)
/// queue.enqueue(line, byteCount: line.count, priority: .reply)
/// for line in queue.dequeue(now: clock.now) { try connection.write(line) }
/// let wake = queue.nextDeparture(now: clock.now)   // sleep until then (or until new input)
/// ```
public struct IRCSendQueue<Element> {
    public enum Priority: Int, Comparable, CaseIterable, Sendable {
        /// Answers to commands: they go first.
        case reply = 0
        /// Bulk announcements (new comments, published posts).
        case announcement = 1

        public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var pacing: IRCPacing
    private var lineTokens: Double
    private var byteTokens: Double
    private var refilledAt: ContinuousClock.Instant
    private var queues: [[(element: Element, byteCount: Int)]] = [[], []]
    private var heads = [0, 0]

    /// A queue whose buckets start full at `now`.
    public init(pacing: IRCPacing = .default, now: ContinuousClock.Instant) {
        self.pacing = pacing
        lineTokens = pacing.lineBurst
        byteTokens = pacing.byteBurst
        refilledAt = now
    }

    /// Lines waiting, all priorities.
    public var count: Int { queues[0].count - heads[0] + queues[1].count - heads[1] }
    public var isEmpty: Bool { count == 0 }

    /// Lines waiting at `priority`.
    public func count(at priority: Priority) -> Int { queues[priority.rawValue].count - heads[priority.rawValue] }

    /// Adds a line; `byteCount` is its size on the wire, CR LF included.
    public mutating func enqueue(_ element: Element, byteCount: Int, priority: Priority) {
        queues[priority.rawValue].append((element, max(byteCount, 1)))
    }

    /// Drops every waiting line (after a disconnect, when the driver re-queues from its outbox);
    /// returns them, replies first.
    @discardableResult
    public mutating func removeAll() -> [Element] {
        var removed: [Element] = []
        for priority in 0..<queues.count {
            removed += queues[priority][heads[priority]...].map(\.element)
            queues[priority] = []
            heads[priority] = 0
        }
        return removed
    }

    /// Accounts for a line sent outside the queue (PONG, JOIN…), so the buckets stay honest.
    public mutating func charge(byteCount: Int, now: ContinuousClock.Instant) {
        refill(now: now)
        lineTokens -= 1
        byteTokens -= Double(byteCount)
    }

    /// The lines that may leave at `now`, in sending order; they count as sent.
    public mutating func dequeue(now: ContinuousClock.Instant) -> [Element] {
        refill(now: now)
        var out: [Element] = []
        while let priority = nextPriority() {
            let head = queues[priority][heads[priority]]
            let bytes = Double(head.byteCount)
            guard lineTokens >= 1 - Self.epsilon, byteTokens >= min(bytes, pacing.byteBurst) - Self.epsilon else { break }
            lineTokens -= 1
            byteTokens -= bytes
            out.append(head.element)
            heads[priority] += 1
            if heads[priority] == queues[priority].count {
                queues[priority] = []
                heads[priority] = 0
            } else if heads[priority] > 64, heads[priority] * 2 > queues[priority].count {
                queues[priority].removeFirst(heads[priority])
                heads[priority] = 0
            }
        }
        return out
    }

    /// When the next waiting line may leave (`now` or later), or `nil` when nothing waits.
    public func nextDeparture(now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard let priority = nextPriority() else { return nil }
        var copy = self
        copy.refill(now: now)
        let bytes = min(Double(queues[priority][heads[priority]].byteCount), pacing.byteBurst)
        let lineWait = max(0, 1 - copy.lineTokens) / pacing.linesPerSecond
        let byteWait = max(0, bytes - copy.byteTokens) / pacing.bytesPerSecond
        let wait = max(lineWait, byteWait)
        guard wait > 0 else { return now }
        // Round up to the next millisecond so that waking at the instant always finds the tokens.
        let milliseconds = (wait * 1000).rounded(.up)
        return now.advanced(by: .milliseconds(Int64(milliseconds)))
    }

    /// Tolerance for floating-point refill arithmetic.
    private static var epsilon: Double { 1e-6 }

    private func nextPriority() -> Int? {
        for priority in 0..<queues.count where heads[priority] < queues[priority].count { return priority }
        return nil
    }

    private mutating func refill(now: ContinuousClock.Instant) {
        guard now > refilledAt else { return }
        let elapsed = refilledAt.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        lineTokens = min(pacing.lineBurst, lineTokens + seconds * pacing.linesPerSecond)
        byteTokens = min(pacing.byteBurst, byteTokens + seconds * pacing.bytesPerSecond)
        refilledAt = now
    }
}

extension IRCSendQueue: Sendable where Element: Sendable {}
