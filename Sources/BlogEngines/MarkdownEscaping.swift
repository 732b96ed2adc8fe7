#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Turns untrusted chat text into Markdown and YAML that show exactly that text.
///
/// Chat text ends up in a Jekyll post, which is run through Liquid and then kramdown (or a
/// CommonMark/GFM renderer on other hosts). Anything said in chat must render as the same visible
/// text in all of them: never as live HTML, never as Markdown structure (emphasis, links, code,
/// headings, lists, tables, strikethrough, math) and never as Liquid.
///
/// ```swift
/// MarkdownEscaping.inline("**hi** <b>{{ site }}</b>")
/// // \*\*hi\*\* &lt;b&gt;&#123;&#123; site &#125;&#125;&lt;/b&gt;
/// MarkdownEscaping.yamlQuoted("say \"hi\"\n")  // "say \"hi\"\n"
/// ```
///
/// The rules (each choice works in both kramdown and CommonMark):
/// - `&`, `<`, `>` become `&amp;`, `&lt;`, `&gt;`: no raw HTML, no autolinks, no blockquote markers.
/// - `{` and `}` become `&#123;` and `&#125;`: Liquid runs before Markdown and knows no backslash
///   escapes, so only entities keep `{{ … }}` and `{% … %}` inert.
/// - `~` becomes `&#126;`: GFM strikethrough and fenced code use it, and kramdown cannot
///   backslash-escape it (its escapable set is `\ . * _ + - = : | ! ( ) [ ] { } # < > " ' $`
///   and the backtick).
/// - `\ * _ [ ] ( ) # + - ! | $ =` and the backtick get a backslash: these are escapable in
///   both dialects.
/// - `.` gets a backslash only where it could mean something: after a leading number (`1.` would
///   start an ordered list) and in runs (kramdown turns `...` into an ellipsis). `:` gets one only
///   at the very start (a kramdown definition). Quotes are left alone: kramdown's smart quotes
///   change their shape, not the text.
/// - Control characters are dropped, tabs become spaces, and each line is trimmed at the end (two
///   trailing spaces would be a hard break).
///
/// Known limits: GFM's extended autolinks still turn bare `https://…` and `www.…` text into links
/// (same visible text, http(s) only), and site plugins that post-process HTML (jemoji's `:smile:`,
/// jekyll-mentions' `@name`) are out of reach of any Markdown escaping.
public enum MarkdownEscaping {
    /// Escapes one line of chat text for use inside a Markdown paragraph. Line breaks in `text`
    /// become spaces; use ``multiline(_:)`` to keep them.
    public static func inline(_ text: String) -> String {
        escapeLine(lines(of: text).joined(separator: " "))
    }

    /// Escapes chat text that may span several lines: each line is escaped with ``inline(_:)`` and
    /// they are joined with `<br>` (emitted here, never taken from the chat), so the whole message
    /// stays on one Markdown source line and one paragraph. Blank lines are kept as `<br>` too.
    public static func multiline(_ text: String) -> String {
        var parts = lines(of: text).map(escapeLine)
        while parts.last?.isEmpty == true { parts.removeLast() }
        while parts.first?.isEmpty == true { parts.removeFirst() }
        return parts.joined(separator: "<br>")
    }

    /// A YAML double-quoted scalar holding exactly `text`, quotes included.
    ///
    /// `\` and `"` get a backslash; tab, LF and CR become `\t`, `\n`, `\r`; every other C0/C1
    /// control character and DEL becomes `\xNN`; U+2028, U+2029 and U+FEFF become `\uNNNN`. All
    /// other characters (emoji included) are kept as they are.
    public static func yamlQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{2028}", "\u{2029}", "\u{FEFF}": out += "\\u" + hex(scalar.value, width: 4)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A front matter value (title, tag, author) as a YAML double-quoted scalar that is safe in any
    /// theme.
    ///
    /// Decision: themes differ in whether they escape `page.title` (minima and jekyll-seo-tag do,
    /// some hand-written layouts do not), so entity-escaping would show `&lt;` on the default theme
    /// while leaving raw text would let `<script>` run on a careless one. Instead the value is put
    /// on one line (control characters and line breaks become single spaces) and `<` `>` become
    /// the look-alikes `‹` `›`, which render the same in both kinds of theme and can never open a
    /// tag; likewise `"` and `'` become the typographic `”` and `’` (what kramdown's smart quotes
    /// would show anyway), so a layout that writes `title="{{ page.title }}"` without escaping
    /// cannot be broken out of. `&` alone cannot start markup and is kept. Braces are kept: Jekyll
    /// does not run Liquid on front matter, and Liquid never re-evaluates the text of a variable it
    /// outputs. U+FFFE and U+FFFF, which YAML parsers reject, are dropped.
    public static func frontMatterValue(_ text: String) -> String {
        var flat = String.UnicodeScalarView()
        var lastWasSpace = true
        for scalar in text.unicodeScalars {
            let isSpace = scalar.properties.isWhitespace || isControl(scalar) || scalar == "\u{FEFF}"
            if isSpace {
                if !lastWasSpace { flat.append(" ") }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            switch scalar {
            case "<": flat.append("\u{2039}")
            case ">": flat.append("\u{203A}")
            case "\"": flat.append("\u{201D}")
            case "'": flat.append("\u{2019}")
            case "\u{FFFE}", "\u{FFFF}": continue
            default: flat.append(scalar)
            }
        }
        var result = String(flat)
        while result.hasSuffix(" ") { result.removeLast() }
        return yamlQuoted(result)
    }

    /// Reads back a YAML scalar as ``yamlQuoted(_:)`` writes it (or a plain, single-quoted one).
    /// Used to find `threadpress_id` in existing files.
    static func yamlScalar(_ raw: Substring) -> String {
        let value = raw.trimmingSpaces()
        if value.hasPrefix("'"), value.hasSuffix("'"), value.count >= 2 {
            return String(value.dropFirst().dropLast()).replacing("''", with: "'")
        }
        guard value.hasPrefix("\""), value.count >= 2 else {
            // Plain scalar: cut a trailing comment.
            if let hash = value.firstRange(of: " #") { return String(value[..<hash.lowerBound]) }
            return value
        }
        var out = String.UnicodeScalarView()
        let scalars = Array(value.unicodeScalars.dropFirst())
        var index = 0
        func hexValue(_ count: Int) -> Unicode.Scalar? {
            guard index + count <= scalars.count else { return nil }
            let digits = String(String.UnicodeScalarView(scalars[index..<index + count]))
            index += count
            return UInt32(digits, radix: 16).flatMap(Unicode.Scalar.init)
        }
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == "\"" { break }
            guard scalar == "\\", index < scalars.count else {
                out.append(scalar)
                continue
            }
            let escape = scalars[index]
            index += 1
            switch escape {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "0": out.append("\0")
            case "x": if let value = hexValue(2) { out.append(value) }
            case "u": if let value = hexValue(4) { out.append(value) }
            case "U": if let value = hexValue(8) { out.append(value) }
            default: out.append(escape)
            }
        }
        return String(out)
    }

    // MARK: - Internals

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool { UnicodeHazards.isControl(scalar) }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Splits on every kind of line break (CRLF, CR, LF, NEL, U+2028, U+2029).
    private static func lines(of text: String) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where previousWasCR:
                previousWasCR = false
                continue
            case "\r", "\n", "\u{85}", "\u{2028}", "\u{2029}", "\u{0B}", "\u{0C}":
                result.append(String(current))
                current = String.UnicodeScalarView()
                previousWasCR = scalar == "\r"
            default:
                current.append(scalar)
                previousWasCR = false
            }
        }
        result.append(String(current))
        return result
    }

    /// Escapes a line that holds no line breaks.
    private static func escapeLine(_ line: String) -> String {
        // Tabs become spaces; other control characters and bidirectional controls become a
        // visible U+FFFD (dropping them would let "clark<NUL>" pass for "clark"); a BOM goes.
        var cleaned: [Unicode.Scalar] = []
        for scalar in line.unicodeScalars {
            if scalar == "\t" {
                cleaned.append(" ")
            } else if isControl(scalar) || UnicodeHazards.isBidiControl(scalar) {
                cleaned.append("\u{FFFD}")
            } else if scalar != "\u{FEFF}" {
                cleaned.append(scalar)
            }
        }
        while let last = cleaned.last, last == " " || last.properties.isWhitespace { cleaned.removeLast() }
        while let first = cleaned.first, first == " " { cleaned.removeFirst() }

        // Length of a leading run of digits, for the ordered-list rule.
        let leadingDigits = cleaned.prefix { ("0"..."9").contains($0) }.count

        var out = ""
        out.reserveCapacity(cleaned.count + cleaned.count / 4)
        for (index, scalar) in cleaned.enumerated() {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "{": out += "&#123;"
            case "}": out += "&#125;"
            case "~": out += "&#126;"
            case "\\", "`", "*", "_", "[", "]", "(", ")", "#", "+", "-", "!", "|", "$", "=":
                out += "\\"
                out.unicodeScalars.append(scalar)
            case ".":
                let inRun = (index > 0 && cleaned[index - 1] == ".")
                    || (index + 1 < cleaned.count && cleaned[index + 1] == ".")
                let afterLeadingNumber = leadingDigits > 0 && index == leadingDigits
                if inRun || afterLeadingNumber { out += "\\" }
                out += "."
            case ":":
                if index == 0 { out += "\\" }
                out += ":"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
