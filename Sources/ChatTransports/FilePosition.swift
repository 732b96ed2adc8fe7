/// Where a ``FileFollower`` is in a file: after the line numbered `line`, which ended at byte
/// `offset` of the file identified by `device` and `inode`.
///
/// Its ``description`` is compact and parseable: `device:inode:offset:line`, e.g.
/// `2049:1837261:10240:312`. Resuming from it continues right after that line when the same file
/// is still there and at least `offset` bytes long; otherwise the file was rotated or truncated
/// while nobody was reading and reading starts from the beginning of the current file.
public struct FilePosition: Sendable, Hashable, CustomStringConvertible {
    public var device: UInt64
    public var inode: UInt64
    /// The byte just after the last delivered line's `\n`.
    public var offset: Int64
    /// The number of lines delivered from this file (the 1-based number of the last one).
    public var line: Int

    public init(device: UInt64, inode: UInt64, offset: Int64, line: Int) {
        self.device = device
        self.inode = inode
        self.offset = offset
        self.line = line
    }

    /// Parses `device:inode:offset:line`.
    public init?(_ description: some StringProtocol) {
        let parts = description.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, let device = UInt64(parts[0]), let inode = UInt64(parts[1]),
            let offset = Int64(parts[2]), offset >= 0, let line = Int(parts[3]), line >= 0
        else { return nil }
        self.init(device: device, inode: inode, offset: offset, line: line)
    }

    public var description: String { encoded(suffix: nil) }

    /// `device:inode:offset:line`, plus `:suffix` when given; formatted by hand because the log
    /// reader builds one per line.
    func encoded(suffix: String?) -> String {
        var suffix = suffix
        let suffixCount = suffix.map { $0.utf8.count + 1 } ?? 0
        return String(unsafeUninitializedCapacity: 4 * 21 + suffixCount) { buffer in
            var count = 0
            func put(_ value: UInt64) {
                var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                    (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                var n = 0
                var rest = value
                withUnsafeMutableBytes(of: &digits) { raw in
                    repeat {
                        raw[n] = UInt8(truncatingIfNeeded: rest % 10) + 48
                        rest /= 10
                        n += 1
                    } while rest > 0
                    while n > 0 {
                        n -= 1
                        buffer[count] = raw[n]
                        count += 1
                    }
                }
            }
            put(device)
            buffer[count] = UInt8(ascii: ":"); count += 1
            put(inode)
            buffer[count] = UInt8(ascii: ":"); count += 1
            put(UInt64(offset))
            buffer[count] = UInt8(ascii: ":"); count += 1
            put(UInt64(line))
            if suffix != nil {
                buffer[count] = UInt8(ascii: ":"); count += 1
                suffix!.withUTF8 { bytes in
                    for byte in bytes {
                        buffer[count] = byte
                        count += 1
                    }
                }
            }
            return count
        }
    }
}
