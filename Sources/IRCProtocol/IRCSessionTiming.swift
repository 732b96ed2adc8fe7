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
    /// How long a `CHATHISTORY` request may go unanswered before live lines held for it go out.
    public var historyTimeout: Duration

    public init(pingAfterSilence: Duration = .seconds(90), deadAfterPing: Duration = .seconds(60),
                registrationTimeout: Duration = .seconds(60), nickRegainInterval: Duration = .seconds(60),
                rejoinDelay: Duration = .seconds(15), ctcpReplyInterval: Duration = .seconds(2),
                historyTimeout: Duration = .seconds(30)) {
        self.pingAfterSilence = pingAfterSilence
        self.deadAfterPing = deadAfterPing
        self.registrationTimeout = registrationTimeout
        self.nickRegainInterval = nickRegainInterval
        self.rejoinDelay = rejoinDelay
        self.ctcpReplyInterval = ctcpReplyInterval
        self.historyTimeout = historyTimeout
    }
}
