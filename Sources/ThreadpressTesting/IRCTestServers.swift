import Foundation

/// The real IRC servers started by `Scripts/irc-test-servers start`, as described by the
/// `.peers/irc.env` file that script writes (docs/TEST-PEERS.md).
///
/// ```swift
/// let servers = try IRCTestServers.load()
/// let client = try await IRCTestClient.connect(port: servers.ngircdPort, nick: IRCTestServers.uniqueNick("ana"))
/// ```
public struct IRCTestServers: Sendable, Equatable {
    public var host: String
    /// ngircd 26, plain TCP (RFC 2812: no SASL, NICKLEN 9).
    public var ngircdPort: Int
    /// InspIRCd 3 linked with Anope 2 (IRCv3 caps, SASL PLAIN/EXTERNAL), plain TCP.
    public var inspircdPort: Int
    /// The same InspIRCd over TLS, with a certificate signed by ``caFile`` for 127.0.0.1.
    public var inspircdTLSPort: Int
    /// The InspIRCd server name, e.g. `irc.threadpress.test`.
    public var inspircdServerName: String
    /// PEM file of the test CA that signed the TLS port's certificate.
    public var caFile: String
    public var serverCertificateFile: String
    /// `sha256//…` digest of the TLS port's public key (libcurl's pinned-key form).
    public var serverPublicKeyPin: String
    /// A client certificate and key (PEM) for SASL EXTERNAL tests.
    public var clientCertificateFile: String
    public var clientKeyFile: String
    /// SHA-256 of the client certificate, lowercase hex without colons, as InspIRCd reports it (276)
    /// and as `NickServ CERT ADD` takes it.
    public var clientCertificateFingerprint: String
    /// The services account whose certificate list holds ``clientCertificateFingerprint``: SASL
    /// EXTERNAL with the client certificate logs in to it (registered by the script at each Anope start).
    public var saslExternalAccount: String

    /// Reads `<repository>/.peers/irc.env`; the repository is found from `filePath` (leave the default).
    public static func load(filePath: String = #filePath) throws -> IRCTestServers {
        let root = try repositoryRoot(from: filePath)
        let envPath = root + "/.peers/irc.env"
        guard let text = try? String(contentsOfFile: envPath, encoding: .utf8) else {
            throw IRCTestServersError(
                "\(envPath) is missing: the IRC test servers are not running. Run `Scripts/irc-test-servers start` "
                    + "(as root the first time: it installs ngircd, inspircd and anope) and run the tests again.")
        }
        return try parse(text, source: envPath)
    }

    /// Parses the `KEY=value` lines of an irc.env file.
    public static func parse(_ text: String, source: String) throws -> IRCTestServers {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            values[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        func string(_ key: String) throws -> String {
            guard let value = values[key], !value.isEmpty else {
                throw IRCTestServersError("\(source): \(key) is missing; run `Scripts/irc-test-servers start` again to rewrite it")
            }
            return value
        }
        func port(_ key: String) throws -> Int {
            let text = try string(key)
            guard let port = Int(text), (1...65535).contains(port) else {
                throw IRCTestServersError("\(source): \(key) should be a port number, got \"\(text)\"")
            }
            return port
        }
        return IRCTestServers(
            host: try string("IRC_HOST"), ngircdPort: try port("IRC_NGIRCD_PORT"),
            inspircdPort: try port("IRC_INSPIRCD_PORT"), inspircdTLSPort: try port("IRC_INSPIRCD_TLS_PORT"),
            inspircdServerName: try string("IRC_INSPIRCD_SERVER_NAME"), caFile: try string("IRC_TLS_CA_FILE"),
            serverCertificateFile: try string("IRC_TLS_SERVER_CERTIFICATE"),
            serverPublicKeyPin: try string("IRC_TLS_SERVER_PIN"),
            clientCertificateFile: try string("IRC_TLS_CLIENT_CERTIFICATE"),
            clientKeyFile: try string("IRC_TLS_CLIENT_KEY"),
            clientCertificateFingerprint: try string("IRC_TLS_CLIENT_FINGERPRINT"),
            saslExternalAccount: try string("IRC_SASL_EXTERNAL_ACCOUNT"))
    }

    /// A nick no other test uses: `prefix` (at most 4 characters kept) and 5 random letters and
    /// digits, so it fits ngircd's NICKLEN of 9.
    public static func uniqueNick(_ prefix: String = "t") -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String(prefix.prefix(4)) + String((0..<5).map { _ in alphabet.randomElement()! })
    }

    static func repositoryRoot(from filePath: String) throws -> String {
        var folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                return folder.path
            }
            folder.deleteLastPathComponent()
        }
        throw IRCTestServersError("no Package.swift above \(filePath); cannot find the repository's .peers/irc.env")
    }
}

/// Why the IRC test servers cannot be used; the message says what to do.
public struct IRCTestServersError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
