#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into `\n`-terminated lines, holding a trailing partial line until its
/// newline arrives. Sans-I/O: bytes go in with ``append(_:)`` (or ``read(from:upTo:)``, which
/// `read(2)`s straight into the buffer), complete lines come out of ``nextFrame()``.
///
/// A line longer than `maximumLineLength` bytes is not kept in memory: its bytes are dropped as
/// they arrive and, once its newline comes, it is reported as ``Frame/overlong(byteCount:)``.
///
/// ```swift
/// var framer = LineFramer()
/// framer.append(Array("one\ntw".utf8))
/// while let frame = framer.nextFrame() { … }   // "one"; "tw" waits for its newline
/// ```
///
/// No closure is called while the buffer is borrowed: a line is handed out as an `ArraySlice`
/// of the buffer (a copy-on-write view, so holding one past the next ``append(_:)`` costs a copy
/// but can never see changed bytes).
public struct LineFramer {
    /// One framed line. `byteCount` counts every byte the line used, its `\n` included, so a
    /// reader can keep an exact file offset.
    public enum Frame: Sendable, Hashable {
        /// The line's bytes without the `\n`.
        case line(ArraySlice<UInt8>, byteCount: Int)
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
        makeRoom(for: bytes.count)
        let count = bytes.count
        storage.replaceSubrange(end..<(end + count), with: bytes)
        end += count
    }

    /// Reads up to `count` bytes from `descriptor` with one `read(2)` straight into the buffer.
    /// Returns the number read (0 at the end of the file), or the `errno` of a failed read.
    mutating func read(from descriptor: Int32, upTo count: Int) -> Result<Int, ReadFailure> {
        makeRoom(for: count)
        let free = storage.count - end
        let offset = end
        // The one unsafe pointer here: read(2) writes into the free tail of the buffer, never
        // more than its length; no Swift code runs while it is borrowed.
        let result = storage.withUnsafeMutableBytes { raw in
            systemRead(descriptor, raw.baseAddress! + offset, min(count, free))
        }
        guard result >= 0 else { return .failure(ReadFailure(errno: errno)) }
        end += result
        return .success(result)
    }

    /// A failed `read(2)` and its `errno`.
    struct ReadFailure: Error {
        var errno: Int32
    }

    /// Moves the pending partial line to the front and makes sure `count` bytes fit after it.
    private mutating func makeRoom(for count: Int) {
        if start > 0 {
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
        if storage.count - end < count {
            storage.append(contentsOf: repeatElement(0, count: count - (storage.count - end)))
        }
    }

    /// The next complete line, or `nil` when none is held (a partial line waits for its newline).
    public mutating func nextFrame() -> Frame? {
        guard let newline = firstNewline(from: max(scanned, start)) else {
            scanned = end
            let pending = end - start
            if pending > maximumLineLength || (dropped != nil && pending > 0) {
                dropped = (dropped ?? 0) + pending
                start = end
            }
            return nil
        }
        let lineStart = start
        let length = newline - lineStart
        start = newline + 1
        scanned = start
        if let droppedSoFar = dropped {
            dropped = nil
            return .overlong(byteCount: droppedSoFar + length + 1)
        }
        if length > maximumLineLength { return .overlong(byteCount: length + 1) }
        return .line(storage[lineStart..<newline], byteCount: length + 1)
    }

    /// The index of the first `\n` in `storage[from..<end]`, found with `memchr`.
    private func firstNewline(from: Int) -> Int? {
        guard from < end else { return nil }
        let end = end
        return storage.withUnsafeBytes { raw -> Int? in
            let base = raw.baseAddress!
            guard let found = memchr(base + from, Int32(ByteScanning.newline), end - from) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }

    /// Calls `body` for each complete line, in order (tests and tools; readers loop over
    /// ``nextFrame()``).
    public mutating func consumeLines(_ body: (Frame) -> Void) {
        while let frame = nextFrame() { body(frame) }
    }

    /// Hands out the held partial line (if any) as a final line, for a file that will never grow
    /// again (it was rotated away), and forgets it.
    public mutating func remainder() -> Frame? {
        let pending = end - start
        guard pending > 0 || dropped != nil else { return nil }
        defer { reset() }
        if dropped != nil || pending > maximumLineLength {
            return .overlong(byteCount: (dropped ?? 0) + pending)
        }
        return .line(storage[start..<end], byteCount: pending)
    }
}

/// `read(2)`, named apart from ``LineFramer/read(from:upTo:)``, which would shadow it.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
