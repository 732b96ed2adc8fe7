/// A parsed JSON value that keeps what the configuration reader needs and `JSONSerialization`
/// loses: integers apart from booleans, the literal text of numbers, the order of keys, and where
/// each key was written (for duplicate-key messages).
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number exactly as written (`15`, `-2`, `1.5e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// A JSON object's members in the order they were written, duplicates included.
public struct JSONObject: Equatable, Sendable {
    public struct Member: Equatable, Sendable {
        public var key: String
        public var value: JSONValue
        /// 1-based line of the key in the source text.
        public var line: Int

        public init(key: String, value: JSONValue, line: Int) {
            self.key = key
            self.value = value
            self.line = line
        }
    }

    public var members: [Member]

    public init(members: [Member]) { self.members = members }

    /// The first member named `key`.
    public func member(_ key: String) -> Member? { members.first { $0.key == key } }

    /// The value of the first member named `key`.
    public subscript(key: String) -> JSONValue? { member(key)?.value }
}
