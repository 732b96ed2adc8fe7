import CurlHTTP
import Foundation
import Testing
import ThreadpressTesting

/// ``CurlStreamConnection`` against the real IRC servers of `Scripts/irc-test-servers`.
@Suite struct CurlStreamConnectionIRCTests {
    let servers: IRCTestServers

    init() throws {
        servers = try IRCTestServers.load()
    }

    /// Sends NICK/USER and returns the 001 line.
    private func register(_ reader: StreamLineReader, nick: String) async throws -> String {
        try reader.connection.send(line: "NICK \(nick)")
        try reader.connection.send(line: "USER \(nick) 0 * :threadpress stream test")
        return try await reader.line { $0.contains(" 001 \(nick) ") }
    }

    @Test func registersWithNgircdAndGetsPongForPing() async throws {
        let connection = try await CurlStreamConnection.open(host: servers.host, port: servers.ngircdPort, tls: false)
        defer { connection.close() }
        let reader = StreamLineReader(connection)
        let nick = IRCTestServers.uniqueNick("cs")

        let welcome = try await register(reader, nick: nick)
        try connection.send(line: "PING :threadpress-liveness-42")
        let pong = try await reader.line { $0.contains(" PONG ") }

        #expect(welcome.hasPrefix(":ngircd.threadpress.test 001 \(nick) :Welcome to the Internet Relay Network \(nick)!~\(nick)@127.0.0.1"))
        #expect(pong == ":ngircd.threadpress.test PONG ngircd.threadpress.test :threadpress-liveness-42")
    }

    @Test func registersOverTLSVerifiedAgainstTheTestCA() async throws {
        let connection = try await CurlStreamConnection.open(
            host: servers.host, port: servers.inspircdTLSPort, tls: true, caFile: servers.caFile)
        defer { connection.close() }
        let reader = StreamLineReader(connection)
        let nick = IRCTestServers.uniqueNick("tls")

        let welcome = try await register(reader, nick: nick)

        #expect(welcome == ":irc.threadpress.test 001 \(nick) :Welcome to the ThreadpressTest IRC Network \(nick)!\(nick)@127.0.0.1")
    }

    @Test func matchingPinIsEnoughWithoutVerification() async throws {
        let connection = try await CurlStreamConnection.open(
            host: servers.host, port: servers.inspircdTLSPort, tls: true, verify: false,
            pinnedSHA256: [servers.serverPublicKeyPin])
        defer { connection.close() }
        let reader = StreamLineReader(connection)
        let nick = IRCTestServers.uniqueNick("pin")

        let welcome = try await register(reader, nick: nick)

        #expect(welcome.hasPrefix(":irc.threadpress.test 001 \(nick) :Welcome"))
    }

    @Test func wrongPinIsRefusedEvenWithTheRightCA() async throws {
        let zeros = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="

        let error = try await #require(throws: CurlStreamError.self) {
            _ = try await CurlStreamConnection.open(
                host: servers.host, port: servers.inspircdTLSPort, tls: true, caFile: servers.caFile, pinnedSHA256: [zeros])
        }

        #expect(error.code == .pinMismatch)
        #expect(error.endpoint == "127.0.0.1:\(servers.inspircdTLSPort)")
        #expect(error.message.hasPrefix("127.0.0.1:\(servers.inspircdTLSPort) (TLS): the server's public key does not match the pinned SHA-256"))
        #expect(error.cause?.code == 90)  // CURLE_SSL_PINNEDPUBKEYNOTMATCH
    }

    @Test func certificateOfAnUnknownCAIsRejectedByDefault() async throws {
        let error = try await #require(throws: CurlStreamError.self) {
            _ = try await CurlStreamConnection.open(host: servers.host, port: servers.inspircdTLSPort, tls: true)
        }

        #expect(error.code == .certificateRejected)
        #expect(error.message.hasPrefix("127.0.0.1:\(servers.inspircdTLSPort) (TLS): the server's certificate was rejected; give the CA file"))
        #expect(error.cause?.code == 60)  // CURLE_PEER_FAILED_VERIFICATION
    }

    @Test func certificateIsRejectedWhenTheCAFileIsNotItsSigner() async throws {
        // The test client certificate is self-signed: a valid PEM file that did not sign the server's.
        let error = try await #require(throws: CurlStreamError.self) {
            _ = try await CurlStreamConnection.open(
                host: servers.host, port: servers.inspircdTLSPort, tls: true, caFile: servers.clientCertificateFile)
        }

        #expect(error.code == .certificateRejected)
    }

    @Test func saslPlainOverTLSLogsInToAnAnopeAccount() async throws {
        let account = IRCTestServers.uniqueNick("acct")
        let password = "pw-\(UUID().uuidString.prefix(12))"
        let owner = try await IRCTestClient.connect(port: servers.inspircdPort, nick: account)
        try await owner.registerAccount(password: password)
        owner.close()

        let connection = try await CurlStreamConnection.open(
            host: servers.host, port: servers.inspircdTLSPort, tls: true, caFile: servers.caFile)
        defer { connection.close() }
        let reader = StreamLineReader(connection)
        let nick = IRCTestServers.uniqueNick("sasl")
        try connection.send(line: "CAP LS 302")
        try connection.send(line: "NICK \(nick)")
        try connection.send(line: "USER \(nick) 0 * :threadpress stream test")
        let caps = try await reader.line { $0.contains(" CAP * LS ") }
        try connection.send(line: "CAP REQ :sasl")
        _ = try await reader.line { $0.contains(" CAP \(nick) ACK ") }
        try connection.send(line: "AUTHENTICATE PLAIN")
        _ = try await reader.line { $0.hasPrefix("AUTHENTICATE ") }
        try connection.send(line: "AUTHENTICATE " + Data("\(account)\0\(account)\0\(password)".utf8).base64EncodedString())
        let loggedIn = try await reader.line { $0.contains(" 900 ") || $0.contains(" 904 ") }
        _ = try await reader.line { $0.contains(" 903 ") }
        try connection.send(line: "CAP END")
        _ = try await reader.line { $0.contains(" 001 \(nick) ") }

        #expect(caps.contains(" sasl=EXTERNAL,PLAIN "))
        #expect(loggedIn == ":irc.threadpress.test 900 \(nick) \(nick)!\(nick)@127.0.0.1 \(account) :You are now logged in as \(account)")
    }

    @Test func clientCertificateIsPresentedToTheServer() async throws {
        let connection = try await CurlStreamConnection.open(
            host: servers.host, port: servers.inspircdTLSPort, tls: true, caFile: servers.caFile,
            clientCertificate: .init(certificateFile: servers.clientCertificateFile, keyFile: servers.clientKeyFile))
        defer { connection.close() }
        let reader = StreamLineReader(connection)
        let nick = IRCTestServers.uniqueNick("cert")
        _ = try await register(reader, nick: nick)

        try connection.send(line: "WHOIS \(nick)")
        let fingerprint = try await reader.line { $0.contains(" 276 ") || $0.contains(" 318 ") }

        #expect(fingerprint == ":irc.threadpress.test 276 \(nick) \(nick) :has TLS (SSL) client certificate fingerprint \(servers.clientCertificateFingerprint)")
    }

    @Test func saslExternalWithTheClientCertificateLogsInToItsAccount() async throws {
        let connection = try await CurlStreamConnection.open(
            host: servers.host, port: servers.inspircdTLSPort, tls: true, caFile: servers.caFile,
            clientCertificate: .init(certificateFile: servers.clientCertificateFile, keyFile: servers.clientKeyFile))
        defer { connection.close() }
        let reader = StreamLineReader(connection)
        let nick = IRCTestServers.uniqueNick("ext")
        try connection.send(line: "CAP REQ :sasl")
        try connection.send(line: "NICK \(nick)")
        try connection.send(line: "USER \(nick) 0 * :threadpress stream test")
        _ = try await reader.line { $0.contains(" ACK :sasl") }
        try connection.send(line: "AUTHENTICATE EXTERNAL")
        _ = try await reader.line { $0.hasPrefix("AUTHENTICATE ") }
        try connection.send(line: "AUTHENTICATE +")
        let loggedIn = try await reader.line { $0.contains(" 900 ") || $0.contains(" 904 ") }
        _ = try await reader.line { $0.contains(" 903 ") }
        try connection.send(line: "CAP END")
        _ = try await reader.line { $0.contains(" 001 \(nick) ") }

        let account = servers.saslExternalAccount
        #expect(loggedIn == ":irc.threadpress.test 900 \(nick) \(nick)!\(nick)@127.0.0.1 \(account) :You are now logged in as \(account)")
    }
}
