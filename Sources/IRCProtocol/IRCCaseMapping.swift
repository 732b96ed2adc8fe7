/// How a server folds case in nicks and channel names (`CASEMAPPING` in ISUPPORT).
///
/// `rfc1459` (the default when a server says nothing) also treats `[]\~` as the upper case of
/// `{}|^`; `strict-rfc1459` the same without `~`/`^`; `ascii` only `A-Z`. Non-ASCII is compared as is.
public enum IRCCaseMapping: String, Hashable, Sendable, CaseIterable {
    case ascii
    case rfc1459
    case strictRFC1459 = "strict-rfc1459"

    /// `name` folded to lower case under this mapping.
    public func lowercased(_ name: String) -> String {
        var needsWork = false
        for byte in name.utf8 where fold(byte) != byte {
            needsWork = true
            break
        }
        guard needsWork else { return name }
        return String(decoding: name.utf8.map(fold), as: UTF8.self)
    }

    /// Whether two nicks or channel names are the same under this mapping.
    public func equals(_ first: String, _ second: String) -> Bool {
        first.utf8.count == second.utf8.count && first.utf8.elementsEqual(second.utf8) { fold($0) == fold($1) }
    }

    @inline(__always)
    func fold(_ byte: UInt8) -> UInt8 {
        switch byte {
        case 0x41...0x5A: return byte | 0x20
        case 0x5B...0x5D where self != .ascii: return byte + 0x20   // [\] → {|}
        case 0x5E where self == .rfc1459: return 0x7E               // ^ → ~
        default: return byte
        }
    }
}
