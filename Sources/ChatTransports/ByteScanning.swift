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

/// Small byte-level helpers shared by the parsers; all work on one line's bytes, as a bounds-checked
/// `Span` (the only pointers are inside `firstIndex` and `string`, for `memchr` and decoding).
enum ByteScanning {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20

    /// The index of the first `byte` at or after `start`, found with `memchr`.
    @inline(__always)
    static func firstIndex(of byte: UInt8, in line: Span<UInt8>, from start: Int) -> Int? {
        guard start >= 0, start < line.count else { return nil }
        // memchr reads only `line.count - start` bytes from `start`: inside the span.
        return line.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress,
                let found = memchr(base + start, Int32(byte), buffer.count - start)
            else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The line's length without a trailing `\r` (`line.extracting(0..<…)` is the trimmed line).
    @inline(__always)
    static func lengthWithoutCarriageReturn(_ line: Span<UInt8>) -> Int {
        if !line.isEmpty, line[line.count - 1] == carriageReturn { return line.count - 1 }
        return line.count
    }

    /// Whether the line is empty or only spaces and tabs.
    @inline(__always)
    static func isBlank(_ line: Span<UInt8>) -> Bool {
        for index in line.indices where line[index] != space && line[index] != tab { return false }
        return true
    }

    /// The decimal value of the `count` ASCII digits at `start`, or `nil`.
    @inline(__always)
    static func number(_ line: Span<UInt8>, at start: Int, count: Int) -> Int? {
        guard start >= 0, start + count <= line.count else { return nil }
        var value = 0
        for index in start..<(start + count) {
            let digit = Int(line[index]) &- 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    /// The bytes `range` as a string; invalid UTF-8 becomes U+FFFD.
    @inline(__always)
    static func string(_ line: Span<UInt8>, _ range: Range<Int>) -> String {
        line.extracting(range).withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// Characters IRC clients show before a nick for channel modes (owner, admin, op, halfop, voice).
    @inline(__always)
    static func isModePrefix(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "@"), UInt8(ascii: "+"), UInt8(ascii: "%"), UInt8(ascii: "~"), UInt8(ascii: "&"),
            UInt8(ascii: "!"):
            true
        default: false
        }
    }

    /// A short quoted excerpt of the line for a malformed-line reason.
    static func excerpt(_ line: Span<UInt8>, limit: Int = 40) -> String {
        let text = string(line, 0..<min(line.count, limit))
        return "\"\(text)\(line.count > limit ? "…" : "")\""
    }
}

/// Shared knowledge of how IRC clients describe channel events.
enum ChatEventText {
    private static let notNicks: Set<Substring> = [
        "Channel", "Topic", "Mode", "You", "Irssi", "Welcome", "Notice", "Server", "Netsplit", "Netjoin",
    ]

    /// The nick an event line is about: `alice (a@host) has joined #team` → `alice`;
    /// `Mode #team [+o bob] by ChanServ` → `ChanServ`; `""` when no nick can be found.
    static func sender(of text: Substring) -> String {
        let lower = text.prefix(5).lowercased()
        if lower.hasPrefix("mode ") || lower.hasPrefix("mode/") {
            if let by = text.ranges(of: " by ").last {
                let nick = text[by.upperBound...].prefix { $0 != " " }
                return isNick(nick) ? String(nick) : ""
            }
            return ""
        }
        let first = text.prefix { $0 != " " }
        return isNick(first) && !notNicks.contains(first) ? String(first) : ""
    }

    /// Whether `word` could be an IRC nick (letters, digits and `-[]\`^_{|}`, not starting with a digit).
    static func isNick(_ word: Substring) -> Bool {
        guard let first = word.unicodeScalars.first, !("0"..."9").contains(first), first != "-" else { return false }
        return word.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-[]\\`^_{|}".unicodeScalars.contains(scalar)
        }
    }
}
