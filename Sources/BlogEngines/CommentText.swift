import ThreadpressModel

/// Turns untrusted comment text (HTML from WordPress, or anything else) into one safe, bounded line
/// of plain text for a chat channel.
///
/// ```swift
/// CommentText.plain(fromHTML: "<p>Nice &amp; <b>short</b></p>\r\n<p>post</p>", limit: 300)
/// // "Nice & short post"
/// ```
/// Tags are removed (`<script>`/`<style>` with their content, HTML comments too), entities decoded,
/// every kind of line break and space folded into single spaces, control characters, IRC formatting
/// codes (with their colour numbers), bidirectional overrides and noncharacters removed, and the result
/// is cut to `limit` characters ending in `…`. Nothing in the result can end an IRC line.
public enum CommentText {
    /// Plain text of an HTML fragment, as one line of at most `limit` characters.
    public static func plain(fromHTML html: String, limit: Int) -> String {
        plain(fromText: decodeEntities(stripTags(html)), limit: limit)
    }

    /// `text` as one line of at most `limit` characters (see the type's documentation).
    public static func plain(fromText text: String, limit: Int) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar.value {
            case 0x03:  // IRC colour: ^C, up to two digits, then optionally a comma and up to two digits.
                let foreground = index
                index = skip(scalars, from: index, upTo: 2, where: isDigit)
                if index > foreground, index + 1 < scalars.count, scalars[index] == ",", isDigit(scalars[index + 1]) {
                    index = skip(scalars, from: index + 1, upTo: 2, where: isDigit)
                }
                continue
            case 0x04:  // IRC hex colour: ^D, six hex digits, then optionally a comma and six more.
                let foreground = index
                index = skip(scalars, from: index, upTo: 6, where: isHexDigit)
                if index > foreground, index + 1 < scalars.count, scalars[index] == ",", isHexDigit(scalars[index + 1]) {
                    index = skip(scalars, from: index + 1, upTo: 6, where: isHexDigit)
                }
                continue
            default:
                break
            }
            if isSpace(scalar) {
                pendingSpace = !out.isEmpty
                continue
            }
            if isRemoved(scalar) { continue }
            if pendingSpace {
                out.append(" ")
                pendingSpace = false
            }
            out.append(scalar)
        }
        return bounded(String(out), limit: limit)
    }

    /// `text` cut to at most `limit` characters, ending in `…` when it was cut.
    static func bounded(_ text: String, limit: Int) -> String {
        guard limit > 0 else { return "" }
        guard text.count > limit else { return text }
        var cut = String(text.prefix(limit - 1))
        while cut.last == " " { cut.removeLast() }
        return cut + "…"
    }

    private static func skip(
        _ scalars: [Unicode.Scalar], from start: Int, upTo count: Int, where matches: (Unicode.Scalar) -> Bool
    ) -> Int {
        var index = start
        while index < scalars.count, index - start < count, matches(scalars[index]) { index += 1 }
        return index
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isHexDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isASCIIHexDigit }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// The project's hazards (controls, IRC formatting codes among them, bidirectional controls,
    /// invisible characters: ``UnicodeHazards``), interlinear annotations and noncharacters.
    private static func isRemoved(_ scalar: Unicode.Scalar) -> Bool {
        UnicodeHazards.isHazard(scalar) || (0xFFF9...0xFFFB).contains(scalar.value)
            || scalar.properties.isNoncharacterCodePoint
    }

    /// Removes tags, comments and the content of `<script>`/`<style>`; block boundaries become spaces.
    static func stripTags(_ html: String) -> String {
        guard html.contains("<") else { return html }
        let scalars = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        var skippingUntil: String?
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "<", let tag = tag(in: scalars, at: index) else {
                if skippingUntil == nil { out.append(scalar) }
                index += 1
                continue
            }
            index = tag.end
            if let closing = skippingUntil {
                if tag.isClosing && tag.name == closing { skippingUntil = nil }
                continue
            }
            if !tag.isClosing && (tag.name == "script" || tag.name == "style") {
                skippingUntil = tag.name
            } else if !Self.inlineTags.contains(tag.name) {
                out.append(" ")
            }
        }
        return String(out)
    }

    private static let inlineTags: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd", "mark",
        "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "!--",
    ]

    private struct Tag {
        var name: String
        var isClosing: Bool
        var end: Int
    }

    /// The tag (or comment) starting at `start`, or `nil` when the `<` there is text.
    private static func tag(in scalars: [Unicode.Scalar], at start: Int) -> Tag? {
        var index = start + 1
        guard index < scalars.count else { return nil }
        if scalars[index] == "!" {
            // <!-- comment -->: up to the next "-->"; <!DOCTYPE …>: up to the next ">".
            if index + 2 < scalars.count, scalars[index + 1] == "-", scalars[index + 2] == "-" {
                var probe = index + 3
                while probe + 2 < scalars.count {
                    if scalars[probe] == "-", scalars[probe + 1] == "-", scalars[probe + 2] == ">" {
                        return Tag(name: "!--", isClosing: false, end: probe + 3)
                    }
                    probe += 1
                }
                return Tag(name: "!--", isClosing: false, end: scalars.count)  // unclosed: drop the rest
            }
        }
        let isClosing = scalars[index] == "/"
        if isClosing { index += 1 }
        guard index < scalars.count, scalars[index].properties.isAlphabetic || scalars[index] == "!" else { return nil }
        var name = ""
        while index < scalars.count, scalars[index].properties.isAlphabetic || isDigit(scalars[index]) || scalars[index] == "!" {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        // The tag ends at the next '>' outside a quoted attribute value.
        var quote: Unicode.Scalar?
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == ">" {
                return Tag(name: name.lowercased(), isClosing: isClosing, end: index)
            }
        }
        return nil
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "hellip": "…",
        "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«",
        "raquo": "»", "copy": "©", "reg": "®", "trade": "™", "euro": "€", "pound": "£", "deg": "°",
        "times": "×", "middot": "·", "bull": "•", "shy": "",
    ]

    /// Decodes named (common ones) and numeric character references; unknown ones stay as written.
    public static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let ampersand = rest.firstIndex(of: "&") {
            out += rest[..<ampersand]
            let after = rest[rest.index(after: ampersand)...]
            if let semicolon = after.prefix(12).firstIndex(of: ";"), let value = entity(after[..<semicolon]) {
                out += value
                rest = after[after.index(after: semicolon)...]
                continue
            }
            out += "&"
            rest = after
        }
        return out + rest
    }

    private static func entity(_ name: Substring) -> String? {
        if let value = namedEntities[String(name)] { return value }
        guard name.hasPrefix("#") else { return nil }
        let digits = name.dropFirst()
        let number = digits.hasPrefix("x") || digits.hasPrefix("X")
            ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
        guard let number, let scalar = Unicode.Scalar(number) else { return "\u{FFFD}" }
        return String(Character(scalar))
    }
}
