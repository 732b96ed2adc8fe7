/// Makes untrusted text safe and plain for one IRC line.
///
/// Removes mIRC formatting (`\x02` bold, `\x03` colour with its `NN,NN` digits, `\x04` hex colour
/// with its `RRGGBB,RRGGBB`, `\x0F` reset, `\x11` monospace, `\x16` reverse, `\x1D` italic, `\x1E`
/// strike-through, `\x1F` underline), turns tabs into spaces and drops every other C0 control
/// character and DEL — CR, LF and NUL included, so nothing from content can end the line, and `\x01`
/// cannot start a CTCP.
public enum IRCText {
    /// `text` without formatting codes or control characters (line breaks become spaces).
    public static func sanitized(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        /// Skips up to `limit` scalars matching `accepts`; the first one that does not match is kept.
        func skip(upTo limit: Int, _ accepts: (Unicode.Scalar) -> Bool) -> Int {
            var count = 0
            while count < limit, let scalar = next() {
                if accepts(scalar) { count += 1 } else { pending = scalar; break }
            }
            return count
        }
        func skipComma(then limit: Int, _ accepts: @escaping (Unicode.Scalar) -> Bool) {
            guard let comma = next() else { return }
            guard comma == ",", let digit = next() else {
                pending = comma  // not a background: keep it (a lone trailing comma is lost, as in mIRC)
                return
            }
            if accepts(digit) { _ = skip(upTo: limit - 1, accepts) } else {
                // "\x0304,text": the comma is text. Keep both.
                scalars.append(comma)
                pending = digit
            }
        }
        let isDigit: (Unicode.Scalar) -> Bool = { $0.value >= 0x30 && $0.value <= 0x39 }
        let isHex: (Unicode.Scalar) -> Bool = { isDigit($0) || ($0.value | 0x20 >= 0x61 && $0.value | 0x20 <= 0x66) }
        while let scalar = next() {
            switch scalar.value {
            case 0x03:
                if skip(upTo: 2, isDigit) > 0 { skipComma(then: 2, isDigit) }
            case 0x04:
                if skip(upTo: 6, isHex) > 0 { skipComma(then: 6, isHex) }
            case 0x09, 0x0A, 0x0D:
                scalars.append(" ")
            case 0x00..<0x20, 0x7F:
                break
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }
}
