/// One chat line received (or echoed back, when ``isOwn``).
public struct IRCChatMessage: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case privmsg
        case notice
        /// CTCP ACTION (`/me`); ``IRCChatMessage/text`` is the text after `ACTION `.
        case action
    }

    public var kind: Kind
    /// The channel as configured (matched by the server's case mapping), or `nil` for a private message.
    public var channel: String?
    /// Where to answer: the channel, or the other person's nick in a private conversation.
    public var replyTarget: String
    public var sender: IRCSource
    /// The sender's services account (`account` tag, else tracked from extended-join, account-notify
    /// or WHOX), `nil` when not logged in or unknown.
    public var account: String?
    public var text: String
    /// The bot's own line, echoed by `echo-message`.
    public var isOwn: Bool
    /// `server-time` in milliseconds since 1970, when the server sent it.
    public var serverTime: Int64?
    /// `msgid`.
    public var messageID: String?
    /// `+draft/reply` or `+reply`: the msgid this message answers.
    public var replyTo: String?

    public init(kind: Kind, channel: String?, replyTarget: String, sender: IRCSource, account: String?, text: String,
                isOwn: Bool, serverTime: Int64?, messageID: String?, replyTo: String?) {
        self.kind = kind
        self.channel = channel
        self.replyTarget = replyTarget
        self.sender = sender
        self.account = account
        self.text = text
        self.isOwn = isOwn
        self.serverTime = serverTime
        self.messageID = messageID
        self.replyTo = replyTo
    }
}
