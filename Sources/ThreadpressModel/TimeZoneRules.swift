/// The offset rules of one time zone, read from a TZif file (RFC 8536) without any I/O.
///
/// Instants before the first transition use time type 0; instants after the last transition use
/// the file's POSIX TZ footer (`CET-1CEST,M3.5.0,M10.5.0/3`) when it has one, else the last type.
/// Only what threadpress needs is kept: UTC offsets and when they change (no abbreviations, no
/// leap seconds: TZif times are POSIX seconds, as `Date` is).
///
/// ```swift
/// let rules = try TimeZoneRules(tzif: bytesOfUsrShareZoneinfoEuropeBerlin)
/// rules.utcOffset(at: 1_782_900_000)   // 7200 (summer)
/// ```
public struct TimeZoneRules: Sendable, Hashable {
    /// Transition instants (seconds since 1970, UTC), ascending.
    let transitions: [Int64]
    /// The UTC offset in effect from each transition on.
    let offsetsAfter: [Int32]
    /// The offset before the first transition (time type 0).
    let initialOffset: Int32
    /// Rules after the last transition.
    let footer: POSIXTimeZoneRule?

    /// A zone with one fixed offset (UTC: 0).
    public init(fixedOffset seconds: Int) {
        transitions = []
        offsetsAfter = []
        initialOffset = Int32(clamping: seconds)
        footer = nil
    }

    /// Parses TZif bytes (versions 1 to 4); throws ``TimeZoneRulesError`` naming what is wrong.
    public init(tzif bytes: [UInt8]) throws {
        var reader = TZifReader(bytes: bytes)
        let first = try reader.header()
        if first.version == 0 {
            let block = try reader.dataBlock(first, timeSize: 4)
            self.init(block: block, footer: nil)
            return
        }
        try reader.skipDataBlock(first, timeSize: 4)
        let second = try reader.header()
        let block = try reader.dataBlock(second, timeSize: 8)
        let footerText = try reader.footer()
        var footer: POSIXTimeZoneRule?
        if let footerText, !footerText.isEmpty {
            guard let parsed = POSIXTimeZoneRule(footerText) else {
                throw TimeZoneRulesError("TZif footer \"\(footerText)\" is not a POSIX TZ rule this reader understands")
            }
            footer = parsed
        }
        self.init(block: block, footer: footer)
    }

    private init(block: TZifReader.DataBlock, footer: POSIXTimeZoneRule?) {
        transitions = block.transitions
        offsetsAfter = block.typeIndices.map { block.offsets[Int($0)] }
        initialOffset = block.offsets.first ?? 0
        self.footer = footer
    }

    /// Seconds to add to UTC to get local time at `instant` (seconds since 1970).
    public func utcOffset(at instant: Int64) -> Int {
        guard let last = transitions.last, instant >= transitions[0] else {
            if transitions.isEmpty, let footer { return footer.utcOffset(at: instant) }
            return Int(initialOffset)
        }
        if instant >= last {
            if let footer { return footer.utcOffset(at: instant) }
            return Int(offsetsAfter[offsetsAfter.count - 1])
        }
        // The last transition at or before `instant`.
        var low = 0
        var high = transitions.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if transitions[middle] <= instant { low = middle } else { high = middle - 1 }
        }
        return Int(offsetsAfter[low])
    }

    /// The first instant after `instant` at which the UTC offset changes, or nil when it never does.
    public func nextOffsetChange(after instant: Int64) -> Int64? {
        let current = utcOffset(at: instant)
        if let index = transitions.firstIndex(where: { $0 > instant }) {
            for candidate in transitions[index...] where utcOffset(at: candidate) != current {
                return candidate
            }
        }
        guard let footer else { return nil }
        var from = max(instant, transitions.last ?? instant)
        // The footer changes at most twice a year; a few rounds find the next real change.
        for _ in 0..<8 {
            guard let change = footer.nextChange(after: from) else { return nil }
            if utcOffset(at: change) != current { return change }
            from = change
        }
        return nil
    }
}

/// A TZif file that could not be read.
public struct TimeZoneRulesError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Big-endian reading of a TZif file.
struct TZifReader {
    struct Header {
        var version: Int
        var isUTCCount, isStandardCount, leapCount, transitionCount, typeCount, characterCount: Int
    }

    struct DataBlock {
        var transitions: [Int64]
        var typeIndices: [UInt8]
        var offsets: [Int32]
    }

    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func take(_ count: Int, _ what: String) throws -> ArraySlice<UInt8> {
        guard count >= 0, bytes.count - position >= count else {
            throw TimeZoneRulesError("TZif data ends inside the \(what) (offset \(position), \(bytes.count) bytes)")
        }
        defer { position += count }
        return bytes[position..<(position + count)]
    }

    mutating func integer(_ size: Int, _ what: String) throws -> Int64 {
        var value: UInt64 = 0
        for byte in try take(size, what) { value = value << 8 | UInt64(byte) }
        // Sign-extend from `size` bytes.
        let shift = UInt64(64 - size * 8)
        return Int64(bitPattern: value << shift) >> Int64(shift)
    }

    mutating func header() throws -> Header {
        let magic = try take(4, "header")
        guard magic.elementsEqual(Array("TZif".utf8)) else {
            throw TimeZoneRulesError("not a TZif file (it does not start with \"TZif\")")
        }
        let versionByte = try take(1, "header")[position - 1]
        let version: Int
        switch versionByte {
        case 0: version = 0
        case UInt8(ascii: "2"), UInt8(ascii: "3"), UInt8(ascii: "4"): version = Int(versionByte - UInt8(ascii: "0"))
        default: throw TimeZoneRulesError("TZif version byte \(versionByte) is unknown")
        }
        _ = try take(15, "header")
        var counts: [Int] = []
        for _ in 0..<6 {
            let count = try integer(4, "header")
            guard (0...1_000_000).contains(count) else { throw TimeZoneRulesError("TZif header count \(count) is out of range") }
            counts.append(Int(count))
        }
        let header = Header(version: version, isUTCCount: counts[0], isStandardCount: counts[1], leapCount: counts[2],
                            transitionCount: counts[3], typeCount: counts[4], characterCount: counts[5])
        guard header.typeCount >= 1 else { throw TimeZoneRulesError("TZif data has no local time types") }
        return header
    }

    mutating func skipDataBlock(_ header: Header, timeSize: Int) throws {
        let size = header.transitionCount * (timeSize + 1) + header.typeCount * 6 + header.characterCount
            + header.leapCount * (timeSize + 4) + header.isStandardCount + header.isUTCCount
        _ = try take(size, "version 1 data block")
    }

    mutating func dataBlock(_ header: Header, timeSize: Int) throws -> DataBlock {
        var transitions: [Int64] = []
        transitions.reserveCapacity(header.transitionCount)
        for _ in 0..<header.transitionCount {
            let time = try integer(timeSize, "transition times")
            guard transitions.last.map({ $0 < time }) ?? true else {
                throw TimeZoneRulesError("TZif transition times are not ascending")
            }
            transitions.append(time)
        }
        let indices = Array(try take(header.transitionCount, "transition types"))
        var offsets: [Int32] = []
        for _ in 0..<header.typeCount {
            let offset = try integer(4, "local time types")
            _ = try take(2, "local time types")
            guard offset > -25 * 3600, offset < 26 * 3600 else {
                throw TimeZoneRulesError("TZif UTC offset \(offset) s is out of range")
            }
            offsets.append(Int32(offset))
        }
        guard indices.allSatisfy({ Int($0) < header.typeCount }) else {
            throw TimeZoneRulesError("TZif transition refers to a local time type that does not exist")
        }
        _ = try take(header.characterCount + header.leapCount * (timeSize + 4) + header.isStandardCount + header.isUTCCount,
                     "rest of the data block")
        return DataBlock(transitions: transitions, typeIndices: indices, offsets: offsets)
    }

    /// The text between the two newlines after a version 2+ data block; nil when absent.
    mutating func footer() throws -> String? {
        guard position < bytes.count else { return nil }
        guard bytes[position] == UInt8(ascii: "\n") else { throw TimeZoneRulesError("TZif footer does not start with a newline") }
        guard let end = bytes[(position + 1)...].firstIndex(of: UInt8(ascii: "\n")) else {
            throw TimeZoneRulesError("TZif footer does not end with a newline")
        }
        let text = bytes[(position + 1)..<end]
        position = end + 1
        guard let string = String(validating: text, as: UTF8.self) else { throw TimeZoneRulesError("TZif footer is not UTF-8") }
        return string
    }
}
