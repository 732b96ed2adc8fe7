import Foundation

/// Splits a byte stream into `\n`-terminated lines, holding a trailing partial line until its
/// newline arrives. Sans-I/O: bytes go in with ``append(_:)`` (or ``fill(minimumCapacity:_:)``,
/// which lets a reader `read(2)` straight into the buffer), complete lines come out of
/// ``consumeLines(_:)``.
///
/// A line longer than `maximumLineLength` bytes is not kept in memory: its bytes are dropped as
/// they arrive and, once its newline comes, it is reported as ``Frame/overlong(byteCount:)``.
///
/// ```swift
/// var framer = LineFramer()
/// framer.append(Array("one\ntw".utf8))
/// framer.consumeLines { frame in … }   // "one"; "tw" waits for its newline
/// ```
public struct LineFramer {
    /// One framed line. `byteCount` counts every byte the line used, its `\n` included, so a
    /// reader can keep an exact file offset.
    public enum Frame {
        /// The line's bytes without the `\n`; valid only during the callback.
        case line(UnsafeBufferPointer<UInt8>, byteCount: Int)
        /// A line longer than the limit, dropped.
        case overlong(byteCount: Int)

        public var byteCount: Int {
            switch self {
            case .line(_, let byteCount), .overlong(let byteCount): byteCount
            }
        }
    }

    public let maximumLineLength: Int
    private var storage: [UInt8] = []
    /// Unconsumed bytes are `storage[start..<end]`; `storage[end...]` is free space.
    private var start = 0
    private var end = 0
    /// `storage[start..<scanned]` is known to hold no newline.
    private var scanned = 0
    /// Bytes of an overlong line dropped so far, or `nil` when not dropping.
    private var dropped: Int?

    public init(maximumLineLength: Int = 1 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    /// Bytes held for a line whose newline has not arrived yet (dropped overlong bytes included).
    public var pendingByteCount: Int { end - start + (dropped ?? 0) }

    /// Forgets all held bytes (after a truncation).
    public mutating func reset() {
        start = 0
        end = 0
        scanned = 0
        dropped = nil
    }

    /// Appends bytes.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        var iterator = bytes.makeIterator()
        fill(minimumCapacity: bytes.count) { buffer in
            var count = 0
            while count < buffer.count, let byte = iterator.next() {
                buffer[count] = byte
                count += 1
            }
            return count
        }
    }

    /// Makes room for at least `minimumCapacity` bytes and lets `body` write into it; `body`
    /// returns how many bytes it wrote (e.g. the result of `read(2)`; negative counts as 0).
    @discardableResult
    public mutating func fill(
        minimumCapacity: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Int
    ) rethrows -> Int {
        if start > 0 {
            // Move the pending partial line to the front (usually a few bytes).
            let pending = end - start
            if pending > 0 {
                storage.withUnsafeMutableBytes { raw in
                    let base = raw.baseAddress!
                    memmove(base, base + start, pending)
                }
            }
            scanned -= start
            end = pending
            start = 0
        }
        if storage.count - end < minimumCapacity {
            storage.append(contentsOf: repeatElement(0, count: minimumCapacity - (storage.count - end)))
        }
        let written = try storage.withUnsafeMutableBytes { raw in
            try body(UnsafeMutableRawBufferPointer(rebasing: raw[end...]))
        }
        if written > 0 { end += min(written, storage.count - end) }
        return max(written, 0)
    }

    /// Calls `body` for each complete line, in order, and forgets it. When `body` throws, the
    /// line it was given counts as consumed.
    public mutating func consumeLines(_ body: (Frame) throws -> Void) rethrows {
        var cursor = start
        var dropping = dropped
        // The scan runs on a local copy of the state and never throws; lines are handed out in
        // batches between scans so that no state update hides behind a `defer` (which crashed
        // the 6.3 optimiser in a rethrowing function).
        while true {
            var frames: [Int] = []  // pairs: cursor before the line, newline index
            let scan = storage.withUnsafeBufferPointer { buffer in
                Self.scan(UnsafeBufferPointer(rebasing: buffer[..<end]), from: cursor, scanned: max(scanned, cursor),
                          into: &frames)
            }
            if frames.isEmpty {
                scanned = scan
                let pending = end - cursor
                if pending > maximumLineLength || (dropping != nil && pending > 0) {
                    dropping = (dropping ?? 0) + pending
                    cursor = end
                }
                start = cursor
                dropped = dropping
                return
            }
            var index = 0
            while index < frames.count {
                let lineStart = frames[index]
                let newline = frames[index + 1]
                index += 2
                let length = newline - lineStart
                cursor = newline + 1
                start = cursor
                scanned = cursor
                if let droppedSoFar = dropping {
                    dropping = nil
                    dropped = nil
                    try body(.overlong(byteCount: droppedSoFar + length + 1))
                } else if length > maximumLineLength {
                    try body(.overlong(byteCount: length + 1))
                } else {
                    try storage.withUnsafeBufferPointer { buffer in
                        try body(.line(UnsafeBufferPointer(rebasing: buffer[lineStart..<newline]), byteCount: length + 1))
                    }
                }
            }
        }
    }

    /// Finds up to 256 lines from `cursor`; returns where the newline search stopped.
    private static func scan(_ view: UnsafeBufferPointer<UInt8>, from cursor: Int, scanned: Int,
                             into frames: inout [Int]) -> Int {
        var lineStart = cursor
        var from = scanned
        frames.reserveCapacity(512)
        while frames.count < 512, let newline = ByteScanning.firstIndex(of: ByteScanning.newline, in: view, from: from) {
            frames.append(lineStart)
            frames.append(newline)
            lineStart = newline + 1
            from = lineStart
        }
        return frames.count < 512 ? view.count : from
    }

    /// Hands out the held partial line (if any) as a final line, for a file that will never grow
    /// again (it was rotated away).
    public mutating func consumeRemainder(_ body: (Frame) throws -> Void) rethrows {
        let pending = end - start
        guard pending > 0 || dropped != nil else { return }
        defer { reset() }
        if dropped != nil || pending > maximumLineLength {
            try body(.overlong(byteCount: (dropped ?? 0) + pending))
            return
        }
        try storage.withUnsafeBufferPointer { buffer in
            try body(.line(UnsafeBufferPointer(rebasing: buffer[start..<end]), byteCount: pending))
        }
    }
}
