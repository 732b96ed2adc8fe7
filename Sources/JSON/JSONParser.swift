/// A strict RFC 8259 JSON parser for untrusted JSON (configuration files, webhook bodies, REST answers), written so that the first syntax error
/// can be reported as `line:column` with a sentence a person can act on. (Foundation's
/// `JSONSerialization` on Linux reports neither.)
///
/// Configuration files are untrusted input: nesting depth is bounded, strings must be valid UTF-8,
/// and the messages never echo more than one character of the input.
public struct JSONParser {
    /// The first syntax error: where it is and what was expected.
    public struct SyntaxError: Error, Equatable, Sendable {
        /// 1-based line.
        public var line: Int
        /// 1-based column, counted in Unicode scalars.
        public var column: Int
        public var message: String
    }

    /// Deeper nesting than this is rejected rather than risking the stack.
    public static let maximumDepth = 64

    private let bytes: [UInt8]
    private var offset = 0
    private var depth = 0
    /// The 1-based line at `offset`, kept up to date by `skipWhitespace` (outside whitespace a valid
    /// document has no line breaks), so keys get their line without rescanning from the start.
    private var line = 1

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses one complete JSON document. A leading UTF-8 byte-order mark is skipped.
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { parser.offset = 3 }
        parser.skipWhitespace()
        if parser.offset == bytes.count {
            throw parser.error("the file is empty; expected a JSON object such as { \"chat\": … }")
        }
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.offset != bytes.count {
            throw parser.error("unexpected \(parser.describeCurrent()) after the end of the JSON value")
        }
        return value
    }

    // MARK: - Values

    private mutating func parseValue() throws(SyntaxError) -> JSONValue {
        guard let byte = peek() else { throw error("unexpected end of file; expected a value") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        case UInt8(ascii: "'"): throw error("strings must use double quotes (\"), not single quotes")
        case UInt8(ascii: "/"): throw error("comments are not allowed in JSON")
        default: throw error("expected a value, found \(describeCurrent())")
        }
    }

    private mutating func parseObject() throws(SyntaxError) -> JSONValue {
        try enterContainer()
        offset += 1  // {
        var members: [JSONObject.Member] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            offset += 1
            depth -= 1
            return .object(JSONObject(members: []))
        }
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw error("unexpected end of file; expected a key in double quotes") }
            guard byte == UInt8(ascii: "\"") else {
                if byte == UInt8(ascii: "}"), !members.isEmpty {
                    throw error("a comma before '}' is not allowed in JSON; remove it")
                }
                if byte == UInt8(ascii: "/") { throw error("comments are not allowed in JSON") }
                if byte == UInt8(ascii: "'") { throw error("keys must use double quotes (\"), not single quotes") }
                throw error("expected a key in double quotes, found \(describeCurrent())")
            }
            let line = self.line
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after the key, found \(describeCurrent())") }
            offset += 1
            skipWhitespace()
            let value = try parseValue()
            members.append(JSONObject.Member(key: key, value: value, line: line))
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                depth -= 1
                return .object(JSONObject(members: members))
            case nil: throw error("unexpected end of file; expected ',' or '}'")
            default: throw error("expected ',' or '}'")
            }
        }
    }

    private mutating func parseArray() throws(SyntaxError) -> JSONValue {
        try enterContainer()
        offset += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            offset += 1
            depth -= 1
            return .array([])
        }
        while true {
            skipWhitespace()
            if peek() == UInt8(ascii: "]"), !elements.isEmpty {
                throw error("a comma before ']' is not allowed in JSON; remove it")
            }
            elements.append(try parseValue())
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                depth -= 1
                return .array(elements)
            case nil: throw error("unexpected end of file; expected ',' or ']'")
            default: throw error("expected ',' or ']'")
            }
        }
    }

    private mutating func enterContainer() throws(SyntaxError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw error("nested more than \(Self.maximumDepth) levels deep")
        }
    }

    private mutating func parseLiteral(_ word: String) throws(SyntaxError) {
        let expected = Array(word.utf8)
        let end = offset + expected.count
        guard end <= bytes.count, Array(bytes[offset..<end]) == expected else {
            throw error("expected a value, found \(describeCurrent()) (did you mean \(word)?)")
        }
        offset = end
    }

    private mutating func parseNumber() throws(SyntaxError) -> String {
        let start = offset
        if peek() == UInt8(ascii: "-") { offset += 1 }
        guard let first = peek(), isDigit(first) else {
            throw error("invalid number: expected a digit after '-'")
        }
        if first == UInt8(ascii: "0") {
            offset += 1
            if let next = peek(), isDigit(next) {
                throw error("invalid number: leading zeros are not allowed")
            }
        } else {
            while let next = peek(), isDigit(next) { offset += 1 }
        }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            guard let next = peek(), isDigit(next) else { throw error("invalid number: expected a digit after '.'") }
            while let next = peek(), isDigit(next) { offset += 1 }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            guard let next = peek(), isDigit(next) else { throw error("invalid number: expected a digit in the exponent") }
            while let next = peek(), isDigit(next) { offset += 1 }
        }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        let start = offset
        offset += 1  // opening quote
        var scalars = String.UnicodeScalarView()
        var runStart = offset
        func flush(_ end: Int) -> Bool {
            guard runStart < end else { return true }
            guard let run = String(validating: bytes[runStart..<end], as: UTF8.self) else { return false }
            scalars.append(contentsOf: run.unicodeScalars)
            return true
        }
        while true {
            guard let byte = peek() else {
                offset = start
                throw error("this string has no closing quote (\")")
            }
            if byte == UInt8(ascii: "\"") {
                guard flush(offset) else { throw invalidUTF8(from: runStart) }
                offset += 1
                return String(scalars)
            }
            if byte < 0x20 {
                if byte == UInt8(ascii: "\n") {
                    offset = start
                    throw error("this string has no closing quote (\") on its line")
                }
                throw error("control character in a string; write it as an escape such as \\t")
            }
            if byte == UInt8(ascii: "\\") {
                guard flush(offset) else { throw invalidUTF8(from: runStart) }
                offset += 1
                scalars.append(try parseEscape())
                runStart = offset
                continue
            }
            offset += 1
        }
    }

    private mutating func parseEscape() throws(SyntaxError) -> Unicode.Scalar {
        guard let byte = peek() else { throw error("unexpected end of file in an escape sequence") }
        let escapeStart = offset - 1  // the backslash
        offset += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try parseHexQuad()
            if (0xD800...0xDBFF).contains(high) {
                guard peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") else {
                    offset = escapeStart
                    throw error("invalid \\u escape: a high surrogate must be followed by a low surrogate")
                }
                offset += 2
                let low = try parseHexQuad()
                guard (0xDC00...0xDFFF).contains(low) else {
                    offset = escapeStart
                    throw error("invalid \\u escape: a high surrogate must be followed by a low surrogate")
                }
                let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                return Unicode.Scalar(value)!
            }
            guard let scalar = Unicode.Scalar(high) else {
                offset = escapeStart
                throw error("invalid \\u escape: a low surrogate without a high surrogate")
            }
            return scalar
        default:
            offset -= 1
            throw error("invalid escape sequence; use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX")
        }
    }

    private mutating func parseHexQuad() throws(SyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = peek(), let digit = hexValue(byte) else {
                throw error("invalid \\u escape: expected four hexadecimal digits")
            }
            value = value << 4 | digit
            offset += 1
        }
        return value
    }

    // MARK: - Helpers

    private func peek(_ ahead: Int = 0) -> UInt8? {
        offset + ahead < bytes.count ? bytes[offset + ahead] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\t")
        {
            if byte == UInt8(ascii: "\n") { line += 1 }
            offset += 1
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// The character at the current offset, safe to print: a quoted printable ASCII character,
    /// or a neutral phrase for anything else.
    private func describeCurrent() -> String {
        guard let byte = peek() else { return "end of file" }
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        if byte < 0x20 || byte == 0x7F { return "a control character" }
        return "a non-ASCII character"
    }

    /// Moves to the first byte of `start..<offset` that does not begin a valid UTF-8 sequence.
    private mutating func invalidUTF8(from start: Int) -> SyntaxError {
        var index = start
        let end = offset
        while index < end {
            let lead = bytes[index]
            let length =
                switch lead {
                case 0x00...0x7F: 1
                case 0xC2...0xDF: 2
                case 0xE0...0xEF: 3
                case 0xF0...0xF4: 4
                default: 0
                }
            guard length > 0, index + length <= end,
                String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil
            else { break }
            index += length
        }
        offset = index
        return error("text is not valid UTF-8; save the file as UTF-8")
    }

    private func error(_ message: String) -> SyntaxError {
        let (line, column) = lineAndColumn(at: offset)
        return SyntaxError(line: line, column: column, message: message)
    }

    /// 1-based line and column of `position`; columns count Unicode scalars (UTF-8 lead bytes).
    private func lineAndColumn(at position: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var index = 0
        let end = min(position, bytes.count)
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return (line, column)
    }
}
