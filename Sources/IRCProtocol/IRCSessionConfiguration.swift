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

    public init(nick: String, alternativeNicks: [String] = [], username: String? = nil, realname: String? = nil,
                channels: [IRCChannelJoin] = [], authentication: IRCAuthentication? = nil, serverPassword: String? = nil,
                versionReply: String = "threadpress", timing: IRCSessionTiming = IRCSessionTiming()) {
        self.nick = nick
        self.alternativeNicks = alternativeNicks
        self.username = username ?? nick
        self.realname = realname ?? nick
        self.channels = channels
        self.authentication = authentication
        self.serverPassword = serverPassword
        self.versionReply = versionReply
        self.timing = timing
    }

    public var description: String {
        "IRCSessionConfiguration(nick: \(nick), channels: \(channels.map(\.name)), authentication: \(authentication.map { "\($0)" } ?? "none"))"
    }
}

/// A channel to join, with its key if it has one.
public struct IRCChannelJoin: Hashable, Sendable {
    public var name: String
    public var key: String?

    public init(_ name: String, key: String? = nil) {
        self.name = name
        self.key = key
    }
}

/// How the bot logs in to its services account during registration.
public enum IRCAuthentication: Hashable, Sendable, CustomStringConvertible {
    /// SASL PLAIN with an account name and password.
    case plain(account: String, password: String)
    /// SASL EXTERNAL: the TLS client certificate is the identity.
    case external

    public var mechanism: String {
        switch self {
        case .plain: "PLAIN"
        case .external: "EXTERNAL"
        }
    }

    public var description: String {
        switch self {
        case .plain(let account, _): "SASL PLAIN as \(account)"
        case .external: "SASL EXTERNAL"
        }
    }
}

/// The session's timers.
public struct IRCSessionTiming: Hashable, Sendable {
    /// Silence from the server after which the bot sends its own PING.
    public var pingAfterSilence: Duration
    /// Time after that PING without any line from the server before the link is declared dead.
    public var deadAfterPing: Duration
    /// How long registration (up to 001) may take before the link is given up.
    public var registrationTimeout: Duration
    /// How often to try to get the wanted nick back while using another.
    public var nickRegainInterval: Duration
    /// Delay before rejoining a channel after a kick or a refused join.
    public var rejoinDelay: Duration
    /// Minimum gap between two CTCP answers (a CTCP flood must not spend the bot's send budget).
    public var ctcpReplyInterval: Duration

    public init(pingAfterSilence: Duration = .seconds(90), deadAfterPing: Duration = .seconds(60),
                registrationTimeout: Duration = .seconds(60), nickRegainInterval: Duration = .seconds(60),
                rejoinDelay: Duration = .seconds(15), ctcpReplyInterval: Duration = .seconds(2)) {
        self.pingAfterSilence = pingAfterSilence
        self.deadAfterPing = deadAfterPing
        self.registrationTimeout = registrationTimeout
        self.nickRegainInterval = nickRegainInterval
        self.rejoinDelay = rejoinDelay
        self.ctcpReplyInterval = ctcpReplyInterval
    }
}
