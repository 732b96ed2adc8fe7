import Foundation
import Testing
import ThreadpressTesting

/// The IRC test support itself: the env file reader and the scripted client's SASL login.
@Suite struct IRCTestSupportTests {
    @Test func missingEnvFileSaysToRunTheScript() throws {
        let folder = try TemporaryDirectory(prefix: "irc-env")
        defer { folder.remove() }
        try folder.write("Package.swift", "// swift-tools-version:6.0\n")
        let testFile = try folder.write("Tests/SomeTests/SomeTests.swift", "")

        let error = try #require(throws: IRCTestServersError.self) { try IRCTestServers.load(filePath: testFile) }

        #expect(error.description == "\(folder.path)/.peers/irc.env is missing: the IRC test servers are not running. "
            + "Run `Scripts/irc-test-servers start` (as root the first time: it installs ngircd, inspircd and anope) and run the tests again.")
    }

    @Test func envFileWithABadPortNamesTheKey() throws {
        let text = """
            IRC_HOST=127.0.0.1
            IRC_NGIRCD_PORT=sixteen
            """

        let error = try #require(throws: IRCTestServersError.self) { try IRCTestServers.parse(text, source: "irc.env") }

        #expect(error.description == #"irc.env: IRC_NGIRCD_PORT should be a port number, got "sixteen""#)
    }

    @Test func uniqueNicksFitNgircdsNickLength() {
        let nicks = (0..<50).map { _ in IRCTestServers.uniqueNick("approver") }

        #expect(nicks.allSatisfy { $0.count == 9 && $0.hasPrefix("appr") })
        #expect(Set(nicks).count == 50)
    }

    @Test func scriptedClientLogsInWithSASLAndIsSeenWithItsAccount() async throws {
        let servers = try IRCTestServers.load()
        let account = IRCTestServers.uniqueNick("acc")
        let owner = try await IRCTestClient.connect(port: servers.inspircdPort, nick: account)
        try await owner.registerAccount(password: "correct-horse")
        owner.close()

        let nick = IRCTestServers.uniqueNick("alt")
        let client = try await IRCTestClient.connect(
            port: servers.inspircdPort, nick: nick, sasl: (account: account, password: "correct-horse"))
        defer { client.close() }
        try await client.send("WHOIS \(nick)")
        let whois = try await client.readLine { $0.contains(" 330 ") || $0.contains(" 318 ") }

        #expect(whois == ":irc.threadpress.test 330 \(nick) \(nick) \(account) :is logged in as")
    }

    @Test func scriptedClientReportsAFailedSASLLogin() async throws {
        let servers = try IRCTestServers.load()
        let account = IRCTestServers.uniqueNick("acc")
        let owner = try await IRCTestClient.connect(port: servers.inspircdPort, nick: account)
        try await owner.registerAccount(password: "correct-horse")
        owner.close()

        let error = try await #require(throws: IRCTestServersError.self) {
            _ = try await IRCTestClient.connect(
                port: servers.inspircdPort, nick: IRCTestServers.uniqueNick("bad"), sasl: (account: account, password: "wrong"))
        }

        #expect(error.description == "SASL login as \(account) failed: 904 SASL authentication failed")
    }
}
