/// Parses the lines of one connection into ``IRCMessage``s, sharing the strings that repeat from
/// line to line (the source, channel names and other parameters before the last) instead of
/// decoding and allocating them for every line, and copying each line into the storage of the
/// previous one when no message holds it any more (so a stream of messages that are handled and
/// dropped allocates no line storage). Gives exactly the messages ``IRCMessage/init(parsing:)-(Collection<UInt8>)``
/// gives; only faster on a stream where the same people talk in the same channels.
///
/// Owned by the one thread that reads the connection, like ``IRCLineFramer``:
///
/// ```swift
/// var framer = IRCLineFramer()
/// var parser = IRCMessageParser()
/// for event in framer.feed(receivedBytes) {
///     if case .line(let line) = event, let message = try? parser.parse(line) { … }
/// }
/// ```
public struct IRCMessageParser: Sendable {
    private var cache: IRCStringCache
    /// The storage of the last line parsed, rewritten for the next line once its message is gone.
    private var spare: IRCLineStorage?

    /// A parser that remembers up to `cachedStrings` strings (256 by default, a few kilobytes).
    public init(cachedStrings: Int = 256) {
        precondition(cachedStrings >= 0, "cachedStrings must not be negative")
        cache = IRCStringCache(capacity: cachedStrings)
    }

    /// Parses one line (without or with its CR LF); see ``IRCMessage/init(parsing:)-(Collection<UInt8>)``.
    public mutating func parse(_ line: some Collection<UInt8>) throws(IRCMessageError) -> IRCMessage {
        var message = IRCMessage()
        if line.withContiguousStorageIfAvailable({ message.fill(from: $0, cache: &cache, spare: &spare, reusesStorage: true) }) == nil {
            Array(line).withUnsafeBufferPointer { message.fill(from: $0, cache: &cache, spare: &spare, reusesStorage: true) }
        }
        if message.command.isEmpty { throw IRCMessage.missingCommand }
        return message
    }

    /// Parses one line from borrowed bytes (no copy of the line is made).
    public mutating func parse(_ line: UnsafeBufferPointer<UInt8>) throws(IRCMessageError) -> IRCMessage {
        var message = IRCMessage()
        message.fill(from: line, cache: &cache, spare: &spare, reusesStorage: true)
        if message.command.isEmpty { throw IRCMessage.missingCommand }
        return message
    }
}
