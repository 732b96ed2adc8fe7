/// One IRC protocol message: IRCv3 tags, an optional source, a command (a word or a three-digit
/// numeric) and its parameters.
///
/// Tags keep the order they arrived in (a repeated key keeps its last value, in the place of its
/// first); a tag without a value has the value `""`. A trailing parameter is an ordinary last
/// parameter: `PRIVMSG #a :hi` and `PRIVMSG #a hi` parse to the same message, and `AWAY :` has one
/// empty parameter while `AWAY` has none.
///
/// ```swift
/// let message = try IRCMessage(parsing: "@time=2026-12-02T06:00:00.000Z :alice!a@host PRIVMSG #team :hi all")
/// message.command          // "PRIVMSG"
/// message.source?.nick     // "alice"
/// message.tag("time")      // "2026-12-02T06:00:00.000Z"
/// let line = try IRCMessage("PRIVMSG", "#team", "hello").serializedLine()  // bytes with CRLF
/// ```
public struct IRCMessage: Hashable, Sendable {
    /// Straight from the parser: the tag section's text (between `@` and the space, still escaped),
    /// split only when asked for, since most lines are read for one or two tags and splitting all
    /// would cost an allocation per key and value. `nil` once tags are set as values.
    var rawTagText: String?
    var parsedTags: [IRCTag]
    public var source: IRCSource?
    public var command: String
    public var parameters: [String]

    public init(tags: [IRCTag] = [], source: IRCSource? = nil, command: String, parameters: [String] = []) {
        self.rawTagText = nil
        self.parsedTags = tags
        self.source = source
        self.command = command
        self.parameters = parameters
    }

    init(rawTags: String?, source: IRCSource?, command: String, parameters: [String]) {
        self.rawTagText = rawTags
        self.parsedTags = []
        self.source = source
        self.command = command
        self.parameters = parameters
    }

    /// The tags, in the order received; a repeated key keeps its last value in its first place.
    public var tags: [IRCTag] {
        get { rawTagText.map(Self.parseTags) ?? parsedTags }
        set {
            rawTagText = nil
            parsedTags = newValue
        }
    }

    public static func == (lhs: IRCMessage, rhs: IRCMessage) -> Bool {
        guard lhs.command == rhs.command, lhs.parameters == rhs.parameters, lhs.source == rhs.source else { return false }
        if let left = lhs.rawTagText, let right = rhs.rawTagText, left == right { return true }
        return lhs.tags == rhs.tags
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(command)
        hasher.combine(parameters)
        hasher.combine(source)
        hasher.combine(tags)
    }

    /// A message without tags or source: `IRCMessage("JOIN", "#team", "key")`.
    public init(_ command: String, _ parameters: String...) {
        self.init(command: command, parameters: parameters)
    }

    /// The value of the tag `key` (`""` for a tag without value), or `nil` when absent.
    public func tag(_ key: String) -> String? {
        if let rawTagText { return Self.rawTagValue(key, in: rawTagText) }
        for tag in parsedTags where tag.key == key { return tag.value }
        return nil
    }

    /// The numeric reply code (`001`, `433`, …), or `nil` for a word command.
    public var numeric: Int? {
        let utf8 = command.utf8
        guard utf8.count == 3 else { return nil }
        var value = 0
        for byte in utf8 {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// The parameter at `index`, or `nil` when there are fewer.
    public subscript(parameter index: Int) -> String? {
        index < parameters.count ? parameters[index] : nil
    }
}
