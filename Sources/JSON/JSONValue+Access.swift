/// Reading values out of a parsed document without casts: each accessor answers `nil` when the
/// value is of another kind, so untrusted JSON (a webhook body, a REST answer) is read field by
/// field and a wrong type is just a missing field to the caller.
extension JSONValue {
    /// The string, when this is a string.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The boolean, when this is `true` or `false` (never a number: `0` and `1` are not booleans).
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The integer, when this is a number written without fraction or exponent that fits in `Int64`.
    public var int64: Int64? {
        if case .number(let text) = self { return Int64(text) }
        return nil
    }

    /// The number as a `Double`, when this is a number.
    public var double: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }

    /// The elements, when this is an array.
    public var array: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The object, when this is an object.
    public var object: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool { self == .null }

    /// The member `key` of an object (the first one written), or `nil` for a missing key or a non-object.
    public subscript(key: String) -> JSONValue? { object?[key] }

    /// A string or an integer written as text: platform ids arrive as either (`"42"` or `42`).
    public var identifier: String? {
        switch self {
        case .string(let text): return text
        case .number(let text) where Int64(text) != nil: return text
        default: return nil
        }
    }
}

extension JSONObject {
    public init(_ pairs: [(String, JSONValue)]) {
        self.init(members: pairs.map { Member(key: $0.0, value: $0.1, line: 0) })
    }

}
