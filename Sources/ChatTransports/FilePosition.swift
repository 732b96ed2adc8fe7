/// Where a ``FileFollower`` is in a file: after the line numbered `line`, which ended at byte
/// `offset` of the file identified by `device` and `inode`, whose last bytes hash to `tail`.
///
/// Its ``description`` is compact and parseable: `device:inode:offset:line[:tail]`, e.g.
/// `2049:1837261:10240:312:t32x9f3a…`. Resuming from it continues right after that line when the
/// bytes before `offset` are still the same (the same file, or a copy of it written by `sed -i`,
/// rsync or an editor); otherwise the file was rotated, truncated or rewritten while nobody was
/// reading, and reading starts from the beginning of the current file, so no line is skipped.
/// Without a tail (an overlong line, older positions) the device and inode decide instead.
public struct FilePosition: Sendable, Hashable, CustomStringConvertible {
    /// A fingerprint of the last `length` bytes before `offset` (at most 32, newline included).
    public struct Tail: Sendable, Hashable {
        public var length: Int
        public var hash: UInt64

        public init(length: Int, hash: UInt64) {
            self.length = length
            self.hash = hash
        }

        /// The fingerprint of a delivered line: the last bytes of `content` followed by the
        /// `terminatorCount` (0 or 1) newline that ended it, as they stand in the file.
        init(content: ArraySlice<UInt8>, terminatorCount: Int) {
            let length = min(Self.maximumLength, content.count + terminatorCount)
            var hash = Self.basis
            for byte in content.suffix(length - terminatorCount) { hash = Self.mix(hash, byte) }
            if terminatorCount == 1 { hash = Self.mix(hash, UInt8(ascii: "\n")) }
            self.init(length: length, hash: hash)
        }

        /// The fingerprint of bytes read back from a file.
        init(bytes: some Collection<UInt8>) {
            self.init(length: bytes.count, hash: bytes.reduce(Self.basis, Self.mix))
        }

        static let maximumLength = 32
        static let basis: UInt64 = 0xcbf2_9ce4_8422_2325

        @inline(__always)
        static func mix(_ hash: UInt64, _ byte: UInt8) -> UInt64 { (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }

        /// `t<length>x<hash in hex>`.
        var text: String { "t\(length)x\(String(hash, radix: 16))" }

        init?(_ text: some StringProtocol) {
            guard text.first == "t", let x = text.firstIndex(of: "x"),
                let length = Int(text[text.index(after: text.startIndex)..<x]), (1...Self.maximumLength).contains(length),
                let hash = UInt64(text[text.index(after: x)...], radix: 16)
            else { return nil }
            self.init(length: length, hash: hash)
        }
    }

    public var device: UInt64
    public var inode: UInt64
    /// The byte just after the last delivered line's `\n`.
    public var offset: Int64
    /// The number of lines delivered from this file (the 1-based number of the last one).
    public var line: Int
    /// The fingerprint of the bytes just before `offset`, when known.
    public var tail: Tail?

    public init(device: UInt64, inode: UInt64, offset: Int64, line: Int, tail: Tail? = nil) {
        self.device = device
        self.inode = inode
        self.offset = offset
        self.line = line
        self.tail = tail
    }

    /// Parses `device:inode:offset:line[:tail]`.
    public init?(_ description: some StringProtocol) {
        guard let (position, rest) = Self.parsePrefix(of: description), rest == nil else { return nil }
        self = position
    }

    /// Parses a position at the start of `text` and returns what follows it (after a `:`), if
    /// anything: the reader's parser state.
    static func parsePrefix(of text: some StringProtocol) -> (FilePosition, rest: Substring?)? {
        let parts = Substring(text).split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count >= 4, let device = UInt64(parts[0]), let inode = UInt64(parts[1]),
            let offset = Int64(parts[2]), offset >= 0, let line = Int(parts[3]), line >= 0
        else { return nil }
        var position = FilePosition(device: device, inode: inode, offset: offset, line: line)
        var next = 4
        if parts.count > 4, parts[4].first == "t" {
            guard let tail = Tail(parts[4]), Int64(tail.length) <= offset else { return nil }
            position.tail = tail
            next = 5
        }
        guard parts.count > next else { return (position, nil) }
        // Everything after the position, colons included.
        let restStart = parts[next].startIndex
        return (position, Substring(text)[restStart...])
    }

    public var description: String { encoded(suffix: nil) }

    /// `device:inode:offset:line`, then `:tail` when known and `:suffix` when given; formatted by
    /// hand (no interpolation, one buffer) because the log reader builds one per line.
    func encoded(suffix: String?) -> String {
        var bytes: [UInt8] = []
        // 4 numbers of up to 20 digits and their colons, ":t" + 2 digits + "x" + 16 hex digits.
        bytes.reserveCapacity(4 * 21 + 22 + (suffix.map { $0.utf8.count + 1 } ?? 0))
        func put(_ value: UInt64) {
            if value >= 10 { put(value / 10) }
            bytes.append(UInt8(truncatingIfNeeded: value % 10) &+ UInt8(ascii: "0"))
        }
        func putHex(_ value: UInt64) {
            if value >= 16 { putHex(value >> 4) }
            let digit = UInt8(truncatingIfNeeded: value & 0xF)
            bytes.append(digit < 10 ? digit &+ UInt8(ascii: "0") : digit &- 10 &+ UInt8(ascii: "a"))
        }
        put(device)
        bytes.append(UInt8(ascii: ":"))
        put(inode)
        bytes.append(UInt8(ascii: ":"))
        put(UInt64(offset))
        bytes.append(UInt8(ascii: ":"))
        put(UInt64(line))
        if let tail {
            bytes.append(UInt8(ascii: ":"))
            bytes.append(UInt8(ascii: "t"))
            put(UInt64(tail.length))
            bytes.append(UInt8(ascii: "x"))
            putHex(tail.hash)
        }
        if let suffix {
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: suffix.utf8)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
