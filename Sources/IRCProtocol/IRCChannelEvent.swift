/// A membership or topic change seen in a channel.
public struct IRCChannelEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case join(account: String?)
        case part(reason: String?)
        /// The user quit IRC; one event per channel the bot shared with them.
        case quit(reason: String?)
        /// The user is now `newNick`; one event per shared channel.
        case nick(newNick: String)
        /// `nick` was kicked by ``IRCChannelEvent/user``.
        case kick(nick: String, reason: String?)
        /// The topic, set by ``IRCChannelEvent/user`` (the server, for the topic shown on join).
        case topic(String)
    }

    public var kind: Kind
    public var channel: String
    /// Who did it.
    public var user: IRCSource
    public var isOwn: Bool
    public var serverTime: Int64?
    public var messageID: String?

    public init(kind: Kind, channel: String, user: IRCSource, isOwn: Bool, serverTime: Int64?, messageID: String?) {
        self.kind = kind
        self.channel = channel
        self.user = user
        self.isOwn = isOwn
        self.serverTime = serverTime
        self.messageID = messageID
    }
}
