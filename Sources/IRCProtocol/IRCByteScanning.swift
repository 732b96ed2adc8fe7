#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `memchr` over borrowed bytes: the parser's and framer's searches for space, `;` and LF.
enum IRCByteScanning {
    /// The index of the first `byte` in `buffer[start..<end]`, or `end`.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard start < end, let base = buffer.baseAddress else { return end }
        guard let found = memchr(base + start, Int32(byte), end - start) else { return end }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The index of the first `byte` in `base[start..<end]`, or `end`.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in base: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard start < end, let found = memchr(base + start, Int32(byte), end - start) else { return end }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// The index of the last `byte` in `base[0..<end]`, or `-1`: eight bytes at a time from the
    /// end, reading only bytes inside the range (`memrchr` is not in every C library).
    @inline(__always)
    static func lastIndex(of byte: UInt8, in base: UnsafePointer<UInt8>, before end: Int) -> Int {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        var index = end
        while index >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index - 8).loadUnaligned(as: UInt64.self)) ^ pattern
            // Bit 7 of each byte set exactly where `word` has a zero byte (no carry between bytes).
            let zeros = ~(((word & low7) &+ low7) | word | low7)
            if zeros != 0 { return index - 8 + (63 - zeros.leadingZeroBitCount) / 8 }
            index -= 8
        }
        while index > 0 {
            index -= 1
            if base[index] == byte { return index }
        }
        return -1
    }

    /// Whether `count` bytes at `first` and `second` are equal.
    @inline(__always)
    static func equal(_ first: UnsafePointer<UInt8>, _ second: UnsafePointer<UInt8>, count: Int) -> Bool {
        memcmp(first, second, count) == 0
    }
}
