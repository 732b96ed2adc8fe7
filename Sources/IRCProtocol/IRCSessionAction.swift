/// What the driver of an ``IRCSessionStateMachine`` must do or may record.
public enum IRCSessionAction: Hashable, Sendable {
    /// Write this line now (protocol control: CAP, NICK, JOIN, PONG, CTCP answers…). Chat replies go
    /// through ``IRCSendQueue`` instead.
    case send(IRCMessage)
    /// Registration finished (001): the bot is `nick` on the server.
    case registered(nick: String)
    /// SASL succeeded: the bot is logged in as `account`.
    case loggedIn(account: String)
    /// The bot is in `channel` (its own JOIN came back).
    case joined(channel: String)
    /// The bot left `channel` (its own PART).
    case parted(channel: String)
    /// The bot was kicked from `channel`; it rejoins after ``IRCSessionTiming/rejoinDelay``.
    case kicked(channel: String, by: String, reason: String)
    /// The server refused to let the bot into `channel` (471/473/474/475…); retried after the rejoin delay.
    case joinRefused(channel: String, reason: String)
    /// A PRIVMSG, NOTICE or CTCP ACTION to a channel or to the bot.
    case chat(IRCChatMessage)
    /// JOIN/PART/QUIT/NICK/KICK/TOPIC of anyone (the bot included) seen in a channel.
    case channelEvent(IRCChannelEvent)
    /// The bot's own nick changed (fallback, regain, or forced by the server).
    case nickChanged(from: String, to: String)
    /// The bot's `nick!user@host` as others see it (from its own JOIN), for the reply budget.
    case learnedHostmask(IRCSource)
    /// A problem that retrying the same configuration will not fix, or a transient one worth
    /// reporting (see ``IRCSessionError/isPermanent``). Disconnect after it.
    case fatal(IRCSessionError)
    /// The link is dead or stuck (no answer to our PING, registration timeout, server ERROR): close it
    /// and reconnect.
    case disconnect(reason: String)
}

/// A session failure; `message` says what to do and never contains a password.
public struct IRCSessionError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case saslFailed
        case saslUnavailable
        case banned
        case passwordMismatch
        case noUsableNick
    }

    public var code: Code
    public var message: String
    /// `true` when reconnecting with the same configuration cannot help.
    public var isPermanent: Bool

    public init(_ code: Code, _ message: String, isPermanent: Bool) {
        self.code = code
        self.message = message
        self.isPermanent = isPermanent
    }

    public var description: String { message }
}

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
