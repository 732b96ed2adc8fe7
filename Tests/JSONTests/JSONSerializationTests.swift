import Testing

@testable import JSON

@Suite struct JSONSerializationTests {
    @Test(arguments: [
        (JSONValue.string("a\"b\\c\n\r\t\u{0}\u{1F}\u{7F}\u{2028}é🙂"), #""a\"b\\c\n\r\t\u0000\u001f\u007f\u2028é🙂""#),
        (.object(JSONObject([("b", .integer(2)), ("a", .array([.null, .bool(true), .bool(false)]))])),
         #"{"b":2,"a":[null,true,false]}"#),
        (.array([]), "[]"),
        (.object(JSONObject([])), "{}"),
    ])
    func writesEscapedCompactJSON(value: JSONValue, expected: String) {
        #expect(value.serialized() == expected)
    }

    @Test(arguments: [
        #"{"text":"line\nbreak","n":-12,"f":1.5e3,"list":[1,"x",{"k":null}],"t":true}"#,
        #"["\u0000 \ud83d\ude42 \" \\"]"#,
    ])
    func parsingWhatWasWrittenGivesTheSameValue(text: String) throws {
        let value = try JSONParser.parse(Array(text.utf8))
        let reparsed = try JSONParser.parse(Array(value.serialized().utf8))
        #expect(stripLines(reparsed) == stripLines(value))
    }

    @Test func accessorsAnswerNilForOtherKinds() throws {
        let value = try JSONParser.parse(Array(#"{"id":42,"sid":"42","ok":true,"n":1,"s":"x","f":2.5}"#.utf8))
        #expect(value["id"]?.identifier == "42")
        #expect(value["sid"]?.identifier == "42")
        #expect(value["f"]?.identifier == nil)
        #expect(value["ok"]?.bool == true)
        #expect(value["n"]?.bool == nil)
        #expect(value["s"]?.int64 == nil)
        #expect(value["n"]?.int64 == 1)
        #expect(value["f"]?.double == 2.5)
        #expect(value["missing"] == nil)
        #expect(value["s"]?["x"] == nil)
    }

    /// Member line numbers differ between a pretty source and compact output; compare the rest.
    private func stripLines(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let elements): return .array(elements.map(stripLines))
        case .object(let object):
            return .object(JSONObject(members: object.members.map { .init(key: $0.key, value: stripLines($0.value), line: 0) }))
        default: return value
        }
    }
}
