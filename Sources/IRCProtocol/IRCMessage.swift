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
    /// Straight from the parser: a copy of the line and where its tags and parameters are. Tags
    /// (still escaped, not yet checked as UTF-8) and up to four parameters are decoded only when
    /// read, since a bot reads a few tags and two parameters of a line it acts on and nothing of
    /// most others; `nil` for a message built from values.
    var line: IRCLineStorage?
    /// Tags set as values; `nil` while they are read from `line`.
    var storedTags: [IRCTag]?
    /// Parameters set as values (or decoded by the parser when the line has more than four);
    /// `nil` while they are read from `line`.
    var storedParameters: [String]?
    public var source: IRCSource?
    public var command: String

    public init(tags: [IRCTag] = [], source: IRCSource? = nil, command: String, parameters: [String] = []) {
        self.line = nil
        self.storedTags = tags
        self.storedParameters = parameters
        self.source = source
        self.command = command
    }

    /// An empty message for the parser to fill: tags and parameters read from `line` once set.
    init() {
        self.line = nil
        self.storedTags = nil
        self.storedParameters = nil
        self.source = nil
        self.command = ""
    }

    /// The parameters; the last one is the trailing parameter when the line had one. For a parsed
    /// line each read decodes them into a new array: code that reads one or two on every line
    /// uses ``subscript(parameter:)`` and ``parameterCount`` instead.
    public var parameters: [String] {
        get { storedParameters ?? line?.parameters ?? [] }
        set { storedParameters = newValue }
    }

    /// The tags, in the order received; a repeated key keeps its last value in its first place.
    public var tags: [IRCTag] {
        get { storedTags ?? line?.tags ?? [] }
        set { storedTags = newValue }
    }

    public static func == (lhs: IRCMessage, rhs: IRCMessage) -> Bool {
        guard lhs.command == rhs.command, lhs.source == rhs.source, lhs.parameters == rhs.parameters else { return false }
        if lhs.storedTags == nil, rhs.storedTags == nil, let left = lhs.line, let right = rhs.line, left.hasSameTagBytes(as: right) {
            return true
        }
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
        guard let storedTags else { return line?.tagValue(key) }
        for tag in storedTags where tag.key == key { return tag.value }
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
        guard let storedParameters else { return line?.parameter(index) }
        return index >= 0 && index < storedParameters.count ? storedParameters[index] : nil
    }

    /// How many parameters the message has (without decoding them).
    public var parameterCount: Int {
        guard let storedParameters else { return line?.layout.parameterCount ?? 0 }
        return storedParameters.count
    }
}
