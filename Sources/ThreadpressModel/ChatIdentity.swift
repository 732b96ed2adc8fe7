/// Who said something in chat.
///
/// A nick is a display name anyone can take; an account is what a transport vouches for
/// (IRC services/SASL account, a webhook platform's user id). Roles are checked against
/// ``principal(trustingNicks:)``: the account when there is one, the nick only on transports
/// whose nicks are trusted (a log file written by the team's own client).
public struct ChatIdentity: Sendable, Hashable, Codable {
    /// The display name shown in chat.
    public var nick: String
    /// The account the transport vouches for, if any.
    public var account: String?

    public init(nick: String, account: String? = nil) {
        self.nick = nick
        self.account = account
    }

    /// The name roles are checked against, or `nil` when this person cannot be identified.
    public func principal(trustingNicks: Bool) -> String? {
        if let account, !account.isEmpty { return account }
        return trustingNicks ? nick : nil
    }
}
