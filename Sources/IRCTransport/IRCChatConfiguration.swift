import ConfigurationReading
import IRCProtocol

/// Settings of the IRC transport (`chat.irc`): which server, how TLS is trusted, who the bot is,
/// which channels it joins, how it logs in and how fast it may talk.
///
/// ```json
/// "irc": { "host": "irc.libera.chat", "port": 6697, "nick": "threadpress", "channels": ["#team"],
///          "sasl": { "account": "threadpress", "password_env": "THREADPRESS_IRC_PASSWORD" } }
/// ```
///
/// Secrets (`sasl.password*`, `server_password*`) are ``SecretValue``s and never print themselves.
public struct IRCChatConfiguration: Sendable {
    /// A channel to join, with its key (`+k`) when it has one.
    public struct Channel: Sendable, Hashable {
        public var name: String
        public var key: String?

        public init(_ name: String, key: String? = nil) {
            self.name = name
            self.key = key
        }
    }

    /// How the bot logs in to its services account during registration.
    public enum SASLMechanism: String, Sendable, Hashable, CaseIterable {
        /// Account name and password.
        case plain = "PLAIN"
        /// The TLS client certificate (`client_certificate`) is the identity.
        case external = "EXTERNAL"
    }

    /// `chat.irc.sasl`.
    public struct SASL: Sendable, Hashable {
        public var mechanism: SASLMechanism
        /// Required for PLAIN; informational for EXTERNAL.
        public var account: String?
        /// Required for PLAIN.
        public var password: SecretValue?

        public init(mechanism: SASLMechanism = .plain, account: String? = nil, password: SecretValue? = nil) {
            self.mechanism = mechanism
            self.account = account
            self.password = password
        }
    }

    /// Server name or address (`host`, required).
    public var host: String
    /// `port`, default 6697 with TLS and 6667 without.
    public var port: Int
    /// `tls`, default true.
    public var tls: Bool
    /// Check the server's certificate chain and name (`tls_verify`, default true).
    public var tlsVerify: Bool
    /// PEM file of the certificate authorities to trust instead of the system's (`ca_file`).
    public var caFile: String?
    /// SHA-256 digests of acceptable server public keys, `sha256//…` base64 (`tls_pin_sha256`).
    public var tlsPinSHA256: [String]
    /// PEM client certificate for SASL EXTERNAL (`client_certificate`) and its key (`client_key`,
    /// when it is not inside the certificate file).
    public var clientCertificate: String?
    public var clientKey: String?
    /// `nick`; `nil` means `bot.nick`.
    public var nick: String?
    public var alternativeNicks: [String]
    public var username: String?
    public var realname: String?
    /// Channels to join; the first is the transport's channel (comment announcements go there).
    public var channels: [Channel]
    public var sasl: SASL?
    /// Whether a nick alone identifies a person (`trust_nicks`, default false). Only for servers
    /// without accounts that the team controls; the bot warns at start-up when it is on.
    public var trustNicks: Bool
    /// Outbound pacing (`pacing`: `"inspircd"`, `"ngircd"` or an object), default InspIRCd's.
    public var pacing: IRCPacing
    /// Sent as `PASS` before registration (`server_password`).
    public var serverPassword: SecretValue?

    public init(
        host: String, port: Int? = nil, tls: Bool = true, tlsVerify: Bool = true, caFile: String? = nil,
        tlsPinSHA256: [String] = [], clientCertificate: String? = nil, clientKey: String? = nil, nick: String? = nil,
        alternativeNicks: [String] = [], username: String? = nil, realname: String? = nil, channels: [Channel],
        sasl: SASL? = nil, trustNicks: Bool = false, pacing: IRCPacing = .inspIRCd, serverPassword: SecretValue? = nil
    ) {
        self.host = host
        self.port = port ?? (tls ? 6697 : 6667)
        self.tls = tls
        self.tlsVerify = tlsVerify
        self.caFile = caFile
        self.tlsPinSHA256 = tlsPinSHA256
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.nick = nick
        self.alternativeNicks = alternativeNicks
        self.username = username
        self.realname = realname
        self.channels = channels
        self.sasl = sasl
        self.trustNicks = trustNicks
        self.pacing = pacing
        self.serverPassword = serverPassword
    }

    /// The session's authentication, `nil` without `sasl`.
    public var authentication: IRCAuthentication? {
        guard let sasl else { return nil }
        switch sasl.mechanism {
        case .external: return .external
        case .plain: return .plain(account: sasl.account ?? "", password: sasl.password?.value ?? "")
        }
    }
}
