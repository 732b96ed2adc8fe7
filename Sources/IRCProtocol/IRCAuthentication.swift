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

extension IRCAuthentication: CustomDebugStringConvertible {
    public var debugDescription: String { description }
}
