/// Cuts the bytes of an IRC connection into lines. Sans-I/O: feed whatever `recv` returned, get
/// the complete lines back; a partial line waits for the next feed.
///
/// A line ends with LF; a CR before it is removed (CRLF and bare LF are both accepted). Empty lines
/// are skipped. A line longer than `maximumLineLength` bytes (without its line ending; by default
/// 8191 tag bytes + 512) is never buffered whole: its bytes are dropped as they arrive and, once its
/// LF comes, it is reported as ``Event/overlong(byteCount:)``. So the framer holds at most
/// `maximumLineLength + 1` bytes between feeds, whatever the peer sends. The events are the same
/// however the stream is split into feeds.
///
/// ```swift
/// var framer = IRCLineFramer()
/// for event in framer.feed(receivedBytes) {
///     if case .line(let line) = event, let message = try? IRCMessage(parsing: line) { … }
/// }
/// ```
public struct IRCLineFramer: Sendable {
    public enum Event: Hashable, Sendable {
        /// A complete line without CR LF.
        case line([UInt8])
        /// A line over the limit, dropped; `byteCount` counts all its bytes, line ending included.
        case overlong(byteCount: Int)
    }

    /// 8191 bytes of tags plus the 512 of an RFC 1459 line (CR LF included, so this is lenient by 2).
    public static let defaultMaximumLineLength = 8191 + 512

    public let maximumLineLength: Int
    private var partial: [UInt8] = []
    /// Bytes dropped so far of an overlong line whose LF has not arrived, or `nil`.
    private var discarded: Int?

    public init(maximumLineLength: Int = IRCLineFramer.defaultMaximumLineLength) {
        precondition(maximumLineLength > 0, "maximumLineLength must be positive")
        self.maximumLineLength = maximumLineLength
    }

    /// Bytes held for the line whose LF has not arrived yet (not counting dropped ones).
    public var bufferedByteCount: Int { partial.count }

    /// Forgets a partial line (after a reconnect).
    public mutating func reset() {
        partial = []
        discarded = nil
    }

    /// Feeds received bytes; returns the events they complete, in order.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [Event] {
        var events: [Event] = []
        if bytes.withContiguousStorageIfAvailable({ feed($0, into: &events) }) == nil {
            Array(bytes).withUnsafeBufferPointer { feed($0, into: &events) }
        }
        return events
    }

    private mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>, into events: inout [Event]) {
        var index = 0
        let count = bytes.count
        while index < count {
            var newline = index
            while newline < count, bytes[newline] != 0x0A { newline += 1 }
            guard newline < count else {
                let rest = count - index
                if let dropped = discarded {
                    discarded = dropped + rest
                } else if partial.count + rest > maximumLineLength + 1 {  // + 1: room for a CR
                    discarded = partial.count + rest
                    partial = []
                } else {
                    partial.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<count]))
                }
                return
            }
            let piece = UnsafeBufferPointer(rebasing: bytes[index..<newline])
            index = newline + 1
            if let dropped = discarded {
                discarded = nil
                events.append(.overlong(byteCount: dropped + piece.count + 1))
                continue
            }
            let total = partial.count + piece.count
            let endsWithCR = piece.isEmpty ? partial.last == 0x0D : piece[piece.count - 1] == 0x0D
            let length = endsWithCR ? total - 1 : total
            if length > maximumLineLength {
                events.append(.overlong(byteCount: total + 1))
            } else if length > 0 {
                var line: [UInt8]
                if partial.isEmpty {
                    line = Array(piece)
                } else {
                    line = partial
                    line.append(contentsOf: piece)
                }
                if endsWithCR { line.removeLast() }
                events.append(.line(line))
            }
            partial = []
        }
    }
}
