import JSON
import ThreadpressModel
/// Makes text from a configuration file safe to show in a message: control and invisible
/// formatting characters escaped, long values truncated.
public enum UntrustedText {
    /// How many characters of a value a message shows before `…`.
    public static let displayLimit = 40

    /// `text` in double quotes, escaped and truncated: `"15"`, `"a\nb"`, `"aaaa…"`.
    public static func quoted(_ text: String, limit: Int = displayLimit) -> String {
        var result = "\""
        var count = 0
        for character in text {
            if count == limit {
                result += "…"
                break
            }
            for scalar in character.unicodeScalars {
                result += escaped(scalar)
            }
            count += 1
        }
        return result + "\""
    }

    /// A short, safe description of a JSON value for "got …" messages: strings quoted and
    /// truncated, numbers and literals as written, containers by kind.
    public static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let literal):
            literal.count > displayLimit ? String(literal.prefix(displayLimit)) + "…" : literal
        case .string(let text): quoted(text)
        case .array(let elements): elements.isEmpty ? "an empty array" : "an array"
        case .object: "an object"
        }
    }

    /// The kind of a JSON value without its contents, for values that must not be shown (secrets).
    public static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// Whether `text` contains a control character or an invisible formatting character (bidi
    /// overrides, zero-width characters) that could disguise what a message shows.
    public static func containsControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains(where: isUnsafe)
    }

    /// `key` written as a JSON path component: `.name` for plain keys, `["…"]` otherwise.
    public static func pathComponent(_ key: String) -> String {
        let plain = !key.isEmpty && key.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "$")
        }
        return plain ? key : "[\(quoted(key))]"
    }

    private static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool { UnicodeHazards.isHazard(scalar) }

    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\"": return "\\\""
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        default:
            if isUnsafe(scalar) { return "\\u{\(String(scalar.value, radix: 16, uppercase: true))}" }
            return String(scalar)
        }
    }
}

extension UntrustedText {
    /// `"a", "b" or "c"` — for lists of known names (not untrusted, but formatted alike).
    public static func list(_ names: [String]) -> String {
        let quotedNames = names.map { "\"\($0)\"" }
        guard quotedNames.count > 1 else { return quotedNames.first ?? "" }
        return quotedNames.dropLast().joined(separator: ", ") + " or " + quotedNames.last!
    }

    /// `; did you mean "x"?` or nothing.
    public static func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { "; did you mean \"\($0)\"?" } ?? ""
    }
}
