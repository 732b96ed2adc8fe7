/// A parsed JSON value that keeps what the configuration reader needs and `JSONSerialization`
/// loses: integers apart from booleans, the literal text of numbers, the order of keys, and where
/// each key was written (for duplicate-key messages).
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number exactly as written (`15`, `-2`, `1.5e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON object's members in the order they were written, duplicates included.
struct JSONObject: Equatable, Sendable {
    struct Member: Equatable, Sendable {
        var key: String
        var value: JSONValue
        /// 1-based line of the key in the source text.
        var line: Int
    }

    var members: [Member]

    /// The first member named `key`.
    func member(_ key: String) -> Member? { members.first { $0.key == key } }

    /// The value of the first member named `key`.
    subscript(key: String) -> JSONValue? { member(key)?.value }
}
