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

    /// Calls `body` for each complete line, in order, and forgets it.
    public mutating func consumeLines(_ body: (Frame) throws -> Void) rethrows {
        let limit = maximumLineLength
        var cursor = start
        var scanFrom = scanned
        var dropping = dropped
        let stop = end
        defer {
            start = cursor
            scanned = max(scanFrom, cursor)
            dropped = dropping
        }
        try storage.withUnsafeBufferPointer { buffer in
            let view = UnsafeBufferPointer(rebasing: buffer[..<stop])
            while let newline = ByteScanning.firstIndex(of: ByteScanning.newline, in: view, from: scanFrom) {
                let length = newline - cursor
                if let droppedSoFar = dropping {
                    dropping = nil
                    let frame = Frame.overlong(byteCount: droppedSoFar + length + 1)
                    cursor = newline + 1
                    scanFrom = cursor
                    try body(frame)
                } else if length > limit {
                    cursor = newline + 1
                    scanFrom = cursor
                    try body(.overlong(byteCount: length + 1))
                } else {
                    let line = UnsafeBufferPointer(rebasing: view[cursor..<newline])
                    cursor = newline + 1
                    scanFrom = cursor
                    try body(.line(line, byteCount: length + 1))
                }
            }
            scanFrom = stop
            // No newline in what is left: drop it if it is already too long.
            if stop - cursor > limit || (dropping != nil && stop > cursor) {
                dropping = (dropping ?? 0) + (stop - cursor)
                cursor = stop
            }
        }
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
