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
    /// A `CHATHISTORY` backfill of `channel` ended; `messages` lines it delivered (as ``chat(_:)``).
    case historyBackfilled(channel: String, messages: Int)
    /// The server could not backfill `channel` (a `FAIL CHATHISTORY`, or no answer in time); live
    /// lines go on, the gap stays.
    case historyUnavailable(channel: String, reason: String)
    /// The link is dead or stuck (no answer to our PING, registration timeout, server ERROR): close it
    /// and reconnect.
    case disconnect(reason: String)
}
