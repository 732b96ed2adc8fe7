import Foundation
import Testing

@testable import JSON

@Suite struct JSONParserTests {
    /// Invalid documents, with where and why the parser must stop.
    @Test(arguments: [
        ("", 1, 1, "the file is empty; expected a JSON object such as { \"chat\": … }"),
        ("  \n\t ", 2, 3, "the file is empty; expected a JSON object such as { \"chat\": … }"),
        ("{\n  \"a\": 1,\n  \"b\": \"xyz\" \"c\": 2\n}", 3, 14, "expected ',' or '}'"),
        ("{\"a\": 1,}", 1, 9, "a comma before '}' is not allowed in JSON; remove it"),
        ("[1, 2,]", 1, 7, "a comma before ']' is not allowed in JSON; remove it"),
        ("[1 2]", 1, 4, "expected ',' or ']'"),
        ("{'a': 1}", 1, 2, "keys must use double quotes (\"), not single quotes"),
        ("{\"a\": 'x'}", 1, 7, "strings must use double quotes (\"), not single quotes"),
        ("{a: 1}", 1, 2, "expected a key in double quotes, found 'a'"),
        ("{\"a\" 1}", 1, 6, "expected ':' after the key, found '1'"),
        ("{\"a\": tru}", 1, 7, "expected a value, found 't' (did you mean true?)"),
        ("{\"a\": nul}", 1, 7, "expected a value, found 'n' (did you mean null?)"),
        ("{\"a\": 01}", 1, 8, "invalid number: leading zeros are not allowed"),
        ("{\"a\": -}", 1, 8, "invalid number: expected a digit after '-'"),
        ("{\"a\": 1.}", 1, 9, "invalid number: expected a digit after '.'"),
        ("{\"a\": 1e}", 1, 9, "invalid number: expected a digit in the exponent"),
        ("{\"a\": +1}", 1, 7, "expected a value, found '+'"),
        ("{\"a\": \"x\\qy\"}", 1, 10, "invalid escape sequence; use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX"),
        ("{\"a\": \"\\u12G4\"}", 1, 12, "invalid \\u escape: expected four hexadecimal digits"),
        ("{\"a\": \"\\uD800x\"}", 1, 8, "invalid \\u escape: a high surrogate must be followed by a low surrogate"),
        ("{\"a\": \"\\uDC00\"}", 1, 8, "invalid \\u escape: a low surrogate without a high surrogate"),
        ("{\"a\": \"tab\there\"}", 1, 11, "control character in a string; write it as an escape such as \\t"),
        ("{\n  \"a\": \"open\n}", 2, 8, "this string has no closing quote (\") on its line"),
        ("{\"a\": \"open", 1, 7, "this string has no closing quote (\")"),
        ("{\"a\": 1} x", 1, 10, "unexpected 'x' after the end of the JSON value"),
        ("{\"a\": 1}\n{}", 2, 1, "unexpected '{' after the end of the JSON value"),
        ("// settings\n{}", 1, 1, "comments are not allowed in JSON"),
        ("{\n  // settings\n}", 2, 3, "comments are not allowed in JSON"),
        ("{\"a\": [1, 2}", 1, 12, "expected ',' or ']'"),
        ("{\"a\": ", 1, 7, "unexpected end of file; expected a value"),
        ("{\"a\": 1", 1, 8, "unexpected end of file; expected ',' or '}'"),
        ("{", 1, 2, "unexpected end of file; expected a key in double quotes"),
        ("{\"é\": 1 2}", 1, 9, "expected ',' or '}'"),
        ("{\"a\": \u{7}}", 1, 7, "expected a value, found a control character"),
        ("{\"a\": é}", 1, 7, "expected a value, found a non-ASCII character"),
    ])
    func reportsTheFirstSyntaxErrorWithLineAndColumn(text: String, line: Int, column: Int, message: String) {
        #expect(throws: JSONParser.SyntaxError(line: line, column: column, message: message)) {
            try JSONParser.parse(Array(text.utf8))
        }
    }

    @Test func rejectsInvalidUTF8AtTheOffendingCharacter() {
        let bytes = Array("{\"a\": \"ok é ".utf8) + [0xFF] + Array("\"}".utf8)
        #expect(throws: JSONParser.SyntaxError(line: 1, column: 13, message: "text is not valid UTF-8; save the file as UTF-8")) {
            try JSONParser.parse(bytes)
        }
    }

    @Test func rejectsDeepNesting() {
        let depth = JSONParser.maximumDepth + 1
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: JSONParser.SyntaxError(line: 1, column: depth, message: "nested more than 64 levels deep")) {
            try JSONParser.parse(Array(text.utf8))
        }
        let allowed = String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1)
        #expect(throws: Never.self) { try JSONParser.parse(Array(allowed.utf8)) }
    }

    @Test(arguments: [
        ("0", JSONValue.number("0")),
        ("-12", .number("-12")),
        ("1.5e-3", .number("1.5e-3")),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("null", .null),
        (#""a\"b\\c\/d\b\f\n\r\t""#, .string("a\"b\\c/d\u{8}\u{C}\n\r\t")),
        (#""\u00e9\u20AC\uD83D\uDE00""#, .string("é€😀")),
        (#""é€😀""#, .string("é€😀")),
        ("[]", .array([])),
        ("[1, \"x\", [null]]", .array([.number("1"), .string("x"), .array([.null])])),
        ("\u{FEFF} {}", .object(JSONObject(members: []))),
    ])
    func parsesValidValues(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
    }

    @Test func keepsMembersInOrderWithTheirLines() throws {
        let value = try JSONParser.parse(Array("{\n\"b\": 1,\n\"a\": 2, \"b\": 3\n}".utf8))
        #expect(
            value
                == .object(
                    JSONObject(members: [
                        .init(key: "b", value: .number("1"), line: 2),
                        .init(key: "a", value: .number("2"), line: 3),
                        .init(key: "b", value: .number("3"), line: 3),
                    ])))
    }

    /// Every prefix of a valid document is either valid or an error, never a crash; and the error
    /// for a truncated document is at or before its end.
    @Test func everyTruncationOfTheExampleFailsCleanly() {
        let example = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config.example.json")
        let bytes = Array((try? Data(contentsOf: example)) ?? Data())
        #expect(bytes.count > 100, "config.example.json should be readable at \(example.path)")
        for end in 0..<bytes.count {
            do {
                _ = try JSONParser.parse(Array(bytes[..<end]))
                // Only the complete object (plus trailing whitespace) parses.
                #expect(bytes[..<end].last == UInt8(ascii: "}"))
            } catch let error as JSONParser.SyntaxError {
                #expect(error.line >= 1 && error.column >= 1)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }

    @Test func membersRememberTheLineOfTheirKey() throws {
        let text = "{\"a\": 1,\n  \"b\": {\r\n\n    \"c\": [\n1,\n2], \"d\": \"x\"},\n\"e\": null}"
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(value.object?.members.map(\.line) == [1, 2, 7])
        #expect(value["b"]?.object?.members.map(\.line) == [4, 6])
    }

    @Test func aLargeRESTAnswerParsesInOnePass() throws {
        // 2,000 objects on one line each: key lines used to be found by rescanning from the start.
        let text = "[" + (1...2000).map { "{\"id\": \($0), \"name\": \"n\($0)\"}" }.joined(separator: ",\n") + "]"
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(value.array?.count == 2000)
        #expect(value.array?.last?.object?.member("name")?.line == 2000)
    }
}
