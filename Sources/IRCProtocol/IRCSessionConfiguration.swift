/// Who the bot is on one IRC server and how it behaves there; input to ``IRCSessionStateMachine``.
///
/// The password in ``authentication`` goes into `AUTHENTICATE` lines only; this type's description
/// never shows it.
public struct IRCSessionConfiguration: Sendable, CustomStringConvertible {
    /// The nick the bot wants; it falls back to ``alternativeNicks`` (then generated ones) when taken
    /// and tries to regain this one periodically.
    public var nick: String
    public var alternativeNicks: [String]
    public var username: String
    public var realname: String
    /// Channels to join after registration (and after every reconnect), with optional keys.
    public var channels: [IRCChannelJoin]
    /// SASL, or `nil` to connect without an account.
    public var authentication: IRCAuthentication?
    /// Sent as `PASS` before registration when set.
    public var serverPassword: String?
    /// Answer to CTCP VERSION.
    public var versionReply: String
    public var timing: IRCSessionTiming
    /// Lines asked for per `CHATHISTORY AFTER` request when the server offers `draft/chathistory`
    /// (lowered to the server's ISUPPORT `CHATHISTORY=`); 0 turns backfill off.
    public var historyPageSize: Int

    public init(nick: String, alternativeNicks: [String] = [], username: String? = nil, realname: String? = nil,
                channels: [IRCChannelJoin] = [], authentication: IRCAuthentication? = nil, serverPassword: String? = nil,
                versionReply: String = "threadpress", timing: IRCSessionTiming = IRCSessionTiming(),
                historyPageSize: Int = 100) {
        self.nick = nick
        self.alternativeNicks = alternativeNicks
        self.username = username ?? nick
        self.realname = realname ?? nick
        self.channels = channels
        self.authentication = authentication
        self.serverPassword = serverPassword
        self.versionReply = versionReply
        self.timing = timing
        self.historyPageSize = max(0, historyPageSize)
    }

    public var description: String {
        "IRCSessionConfiguration(nick: \(nick), channels: \(channels.map(\.name)), authentication: \(authentication.map { "\($0)" } ?? "none"))"
    }
}

extension IRCSessionConfiguration: CustomDebugStringConvertible {
    public var debugDescription: String { description }
}
