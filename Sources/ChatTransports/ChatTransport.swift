import ThreadpressModel

/// What a transport tells the bot.
public enum ChatEvent: Sendable, Hashable {
    /// A line said in the channel. `position` is the transport's resume point *after* this line,
    /// opaque to everyone else; the bot stores it in the same transaction as the message.
    case message(ChatMessage, position: String?)
    /// Input the transport could not understand and skipped (a malformed log line, a bad webhook
    /// body). `warning` names where and why; `position` moves past it.
    case skipped(warning: String, position: String?)
    /// Everything that was available has been delivered (a log file read to its current end).
    /// In `--once` mode the bot stops reading here.
    case caughtUp
}

/// What a transport can and cannot do; the bot adapts identity checks and reply shaping to it.
public struct ChatTransportCapabilities: Sendable, Hashable {
    /// Whether a nick alone identifies a person. True only for sources the team controls (a log
    /// file); IRC and webhook transports identify people by account.
    public var trustsNicks: Bool
    /// Whether replies reach the channel's participants (false for a read-only log file).
    public var repliesReachChannel: Bool
    /// The most bytes of UTF-8 text one reply line may carry; longer replies are split by the bot.
    public var maximumReplyBytes: Int
    /// Whether the bot can speak to one person privately (``ChatReply/recipient``): IRC queries,
    /// Mattermost and Rocket.Chat direct messages where configured. Long output (`!log`,
    /// `!preview`) goes there; without it, the channel gets a short version.
    public var privateReplies: Bool

    public init(trustsNicks: Bool, repliesReachChannel: Bool, maximumReplyBytes: Int, privateReplies: Bool = false) {
        self.privateReplies = privateReplies
        self.trustsNicks = trustsNicks
        self.repliesReachChannel = repliesReachChannel
        self.maximumReplyBytes = maximumReplyBytes
    }
}

/// A chat connection: yields what is said in the channel, accepts what the bot says.
///
/// Implementations: ``LogFileTransport`` (tails a log file; replies go to standard output), an IRC
/// connection and a webhook stream.
///
/// The bot stores each batch of events, then calls ``committed(through:)`` with the batch's last
/// position, so a push transport can hold its acknowledgement (an HTTP 200) until the message is
/// durable. In follow mode the stream is expected to run until cancelled: when it ends or throws
/// anything but a ``ChatTransportError`` of kind ``ChatTransportError/Kind/fatal``, the bot calls
/// ``events(resumingAfter:untilCaughtUp:)`` again after a backoff.
///
/// ```swift
/// for try await event in transport.events(resumingAfter: savedPosition, untilCaughtUp: false) {
///     // store, then act
/// }
/// ```
public protocol ChatTransport: Sendable {
    /// A stable name for this source, used as the key of its saved position (e.g. `logfile:#team`).
    var identifier: String { get }
    /// The channel this transport watches.
    var channel: String { get }
    var capabilities: ChatTransportCapabilities { get }
    /// The nick the bot was configured to speak as. A live transport may end up with another one
    /// (a fallback after a collision); it marks the bot's own lines with ``ChatMessage/isOwn``.
    var botNick: String { get }

    /// Inbound events, starting after `position` (a value from an earlier ``ChatEvent``), or
    /// from the transport's natural start when `nil`. With `untilCaughtUp` the stream finishes after
    /// ``ChatEvent/caughtUp``; otherwise it runs until cancelled or the transport fails.
    func events(resumingAfter position: String?, untilCaughtUp: Bool) -> AsyncThrowingStream<ChatEvent, Error>

    /// Says one line in the channel, or privately to ``ChatReply/recipient`` when set (only on
    /// transports with ``ChatTransportCapabilities/privateReplies``), already split to
    /// ``replyByteBudget(for:)`` by the bot. The transport makes the text safe for its wire.
    func send(_ reply: ChatReply) async throws

    /// Everything delivered up to and including the event carrying `position` is durably stored.
    func committed(through position: String)

    /// How many UTF-8 bytes one line of `reply` may carry right now (IRC learns it only after
    /// registration, from the bot's own hostmask).
    func replyByteBudget(for reply: ChatReply) -> Int
}

extension ChatTransport {
    public func committed(through position: String) {}

    public func replyByteBudget(for reply: ChatReply) -> Int { capabilities.maximumReplyBytes }
}

/// A transport failed. `disconnected` is recovered from (the bot reconnects with backoff);
/// `fatal` ends the service (a configuration the server refuses, such as failed SASL).
public struct ChatTransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case disconnected, fatal
    }

    public var kind: Kind
    /// One line naming the server or file and what to do; never a secret.
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
