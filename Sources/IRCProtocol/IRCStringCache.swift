/// Strings that repeat from line to line (sources, channel names, nicks as targets), kept so that
/// parsing the next line that holds the same bytes shares the string instead of decoding and
/// allocating it again. Direct-mapped: a slot chosen from the bytes holds the last string seen
/// there, so a look-up is one hash and one comparison, and the cache never grows.
///
/// A hit needs the cached string's UTF-8 to equal the received bytes exactly, so bytes that are
/// not UTF-8 (decoded with U+FFFD) never hit, and what a hit returns is what decoding would give.
struct IRCStringCache: Sendable {
    /// Strings longer than this are decoded every time (they rarely repeat: message texts).
    static let maximumLength = 48

    /// A cached string with its first and last eight bytes (all of them when 16 or fewer), so
    /// most comparisons need no access to the string's storage.
    private struct Slot {
        var string = ""
        var count = 0
        var first: UInt64 = 0
        var last: UInt64 = 0
    }

    private var slots: ContiguousArray<Slot>
    private let mask: Int

    /// A cache of `capacity` slots, rounded up to a power of two; `0` turns caching off.
    init(capacity: Int) {
        guard capacity > 0 else {
            slots = []
            mask = -1
            return
        }
        var size = 1
        while size < capacity { size <<= 1 }
        slots = ContiguousArray(repeating: Slot(), count: size)
        mask = size - 1
    }

    /// No cache: every string is decoded.
    static var disabled: IRCStringCache { IRCStringCache(capacity: 0) }

    /// The string of `base[start..<end]`, from the cache when the same bytes were seen last in its slot.
    @inline(__always)
    mutating func string(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
        let count = end - start
        guard mask >= 0, count > 0, count <= Self.maximumLength else { return IRCMessage.string(base, start, end) }
        let bytes = base + start
        let (first, last) = Self.words(bytes, count: count)
        let slot = Int(truncatingIfNeeded: Self.hash(first: first, last: last, count: count)) & mask
        let cached = slots[slot]
        if cached.count == count, cached.first == first, cached.last == last,
           count <= 16 || Self.sameBytes(cached.string, bytes, count: count) {
            return cached.string
        }
        let decoded = IRCMessage.string(base, start, end)
        slots[slot] = Slot(string: decoded, count: count, first: first, last: last)
        return decoded
    }

    /// Whether `string`'s UTF-8 is the `count` bytes at `bytes`.
    private static func sameBytes(_ string: String, _ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        string.utf8.withContiguousStorageIfAvailable { stored in
            stored.count == count && IRCByteScanning.equal(stored.baseAddress!, bytes, count: count)
        } ?? false
    }

    /// The first and the last eight bytes (overlapping below 16 bytes), or all bytes in `first`
    /// and zero in `last` below eight; with the count, they are all the bytes up to 16.
    @inline(__always)
    static func words(_ bytes: UnsafePointer<UInt8>, count: Int) -> (first: UInt64, last: UInt64) {
        if count >= 8 {
            return (UnsafeRawPointer(bytes).loadUnaligned(as: UInt64.self),
                    UnsafeRawPointer(bytes + count - 8).loadUnaligned(as: UInt64.self))
        }
        var first: UInt64 = 0
        for offset in 0..<count { first |= UInt64(bytes[offset]) << (8 * UInt64(offset)) }
        return (first, 0)
    }

    /// A hash of the first and last eight bytes and the length (enough to spread the short names cached).
    @inline(__always)
    static func hash(first: UInt64, last: UInt64, count: Int) -> UInt64 {
        var hash = (first &* 0x9E37_79B9_7F4A_7C15) ^ (last &+ UInt64(count)) &* 0xC2B2_AE3D_27D4_EB4F
        hash ^= hash >> 29
        hash &*= 0x1656_67B1_9E37_79F9
        return hash ^ (hash >> 32)
    }
}
