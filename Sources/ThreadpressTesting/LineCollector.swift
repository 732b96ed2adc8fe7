import Synchronization

/// Collects lines handed to it from any thread (a transport's output, a logger's sink).
public final class LineCollector: Sendable {
    private let storage = Mutex<[String]>([])

    public init() {}

    public func append(_ line: String) { storage.withLock { $0.append(line) } }

    public var lines: [String] { storage.withLock { $0 } }

    /// Lines containing `text`.
    public func matching(_ text: String) -> [String] { lines.filter { $0.contains(text) } }

    public func removeAll() { storage.withLock { $0.removeAll() } }
}
