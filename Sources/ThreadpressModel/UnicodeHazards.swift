/// The one definition of the characters in untrusted text (chat lines, comments, config values)
/// that must never pass through as they are. Every cleaner in threadpress — one-line chat replies,
/// Markdown escaping, configuration messages — asks these, and differs only in what it does with
/// them (fold, replace visibly, or escape).
public enum UnicodeHazards {
    /// C0 and C1 control characters and DEL: CR, LF and NUL end or corrupt protocol lines.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make
    /// text display in another order than it is ("Trojan Source").
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// Invisible characters that make two different strings look the same: zero-width space and
    /// joiners, directional marks, word joiner and invisible operators, the byte-order mark.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200F, 0x2060...0x2064, 0xFEFF: true
        default: false
        }
    }

    /// Any of the above.
    public static func isHazard(_ scalar: Unicode.Scalar) -> Bool {
        isControl(scalar) || isBidiControl(scalar) || isInvisible(scalar)
    }
}
