import Configuration
import ConfigurationReading
import Foundation
import IRCProtocol
import IRCTransport
import Testing
import ThreadpressTesting

/// `chat.irc` read through the real configuration loader, in a folder with a CA file in it.
final class IRCConfigurationFixture {
    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory(prefix: "irc-config")
        try folder.write("ca.pem", "-----BEGIN CERTIFICATE-----\n")
        try folder.write("client.pem", "-----BEGIN CERTIFICATE-----\n")
        try folder.write("irc.pass", "s3cret-from-file\n")
    }

    deinit { folder.remove() }

    private func json(_ irc: String) -> String {
        """
        { "chat": { "kind": "irc", "irc": \(irc) },
          "blog": { "kind": "markdown", "markdown": { "directory": "blog" } },
          "store": { "path": "state.sqlite" } }
        """
    }

    func parse(_ irc: String, environment: [String: String] = [:]) throws -> IRCChatConfiguration {
        let configuration = try ConfigurationLoader.parse(
            data: Data(json(irc).utf8), sourceName: "config.json", baseDirectory: folder.path, environment: environment)
        guard case .irc(let settings) = configuration.chat else { throw TestFailure("not an irc chat") }
        return settings
    }

    /// The problems, `$DIR` standing for the folder; empty when it loads.
    func problems(_ irc: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try parse(irc, environment: environment)
            return []
        } catch let error as ConfigurationError {
            return error.problems.map { $0.description.replacingOccurrences(of: folder.path, with: "$DIR") }
        } catch {
            return ["\(error)"]
        }
    }
}

struct IRCConfigurationCase: CustomTestStringConvertible, Sendable {
    var name: String
    var irc: String
    var problems: [String]
    var testDescription: String { name }

    init(_ name: String, _ irc: String, _ problems: [String]) {
        self.name = name
        self.irc = irc
        self.problems = problems
    }
}

@Suite struct IRCChatConfigurationTests {
    @Test func minimalSectionGetsSafeDefaults() throws {
        let fixture = try IRCConfigurationFixture()

        let irc = try fixture.parse(##"{ "host": "irc.example.net", "channels": ["#team"] }"##)

        #expect(irc.host == "irc.example.net")
        #expect(irc.port == 6697)
        #expect(irc.tls && irc.tlsVerify)
        #expect(irc.nick == nil)
        #expect(irc.channels == [.init("#team")])
        #expect(irc.sasl == nil)
        #expect(!irc.trustNicks)
        #expect(irc.pacing == .inspIRCd)
        #expect(irc.serverPassword == nil)
    }

    @Test func everyKeyIsRead() throws {
        let fixture = try IRCConfigurationFixture()

        let irc = try fixture.parse(
            ##"""
            { "host": "127.0.0.1", "port": 16669, "tls": true, "tls_verify": false, "ca_file": "ca.pem",
              "tls_pin_sha256": "sha256//+YoDtuDXGcaHtJFGHHLCtEqgW9n9oRIz/v1EkK4VyZ4=",
              "client_certificate": "client.pem", "nick": "tp", "alternative_nicks": ["tp_", "tp2"],
              "username": "tpbot", "realname": "threadpress bot",
              "channels": ["#team", { "name": "#ops", "key": "k3y" }],
              "sasl": { "account": "tpaccount", "password_file": "irc.pass" },
              "trust_nicks": false, "pacing": { "line_burst": 2, "lines_per_second": 1, "byte_burst": 1024, "bytes_per_second": 256 },
              "server_password_env": "IRC_SERVER_PASS" }
            """##, environment: ["IRC_SERVER_PASS": "from-env"])

        #expect(irc.port == 16669)
        #expect(!irc.tlsVerify)
        #expect(irc.caFile == fixture.folder.path("ca.pem"))
        #expect(irc.tlsPinSHA256 == ["sha256//+YoDtuDXGcaHtJFGHHLCtEqgW9n9oRIz/v1EkK4VyZ4="])
        #expect(irc.clientCertificate == fixture.folder.path("client.pem"))
        #expect(irc.nick == "tp")
        #expect(irc.alternativeNicks == ["tp_", "tp2"])
        #expect(irc.username == "tpbot")
        #expect(irc.realname == "threadpress bot")
        #expect(irc.channels == [.init("#team"), .init("#ops", key: "k3y")])
        #expect(irc.sasl?.mechanism == .plain)
        #expect(irc.sasl?.account == "tpaccount")
        #expect(irc.sasl?.password?.value == "s3cret-from-file")
        #expect(irc.pacing == IRCPacing(lineBurst: 2, linesPerSecond: 1, byteBurst: 1024, bytesPerSecond: 256))
        #expect(irc.serverPassword?.value == "from-env")
        #expect(irc.authentication == .plain(account: "tpaccount", password: "s3cret-from-file"))
    }

    @Test func plainTCPDefaultsToPort6667AndNamedPacing() throws {
        let fixture = try IRCConfigurationFixture()

        let irc = try fixture.parse(##"{ "host": "127.0.0.1", "tls": false, "channels": ["#team"], "pacing": "ngircd", "trust_nicks": true }"##)

        #expect(irc.port == 6667)
        #expect(!irc.tls)
        #expect(irc.pacing == .ngircd)
        #expect(irc.trustNicks)
    }

    static let invalid: [IRCConfigurationCase] = [
        .init("hostWithSpace", ##"{ "host": "irc example", "channels": ["#team"] }"##,
              [#"config.json: chat.irc.host: expected a host name or address such as "irc.libera.chat", got "irc example""#]),
        .init("portOutOfRange", ##"{ "host": "h", "port": 70000, "channels": ["#team"] }"##,
              ["config.json: chat.irc.port: expected a whole number from 1 to 65535, got 70000"]),
        .init("noChannels", ##"{ "host": "h", "channels": [] }"##,
              [##"config.json: chat.irc.channels: expected a non-empty array of channels such as ["#team"] or [{ "name": "#team", "key": "…" }], got an empty array"##]),
        .init("channelWithoutHash", ##"{ "host": "h", "channels": ["team"] }"##,
              [##"config.json: chat.irc.channels[0]: expected a channel name such as "#team" (starting with #, &, + or !, no spaces or commas), got "team""##]),
        .init("channelKeyWithSpaceIsNotQuoted", ##"{ "host": "h", "channels": [{ "name": "#a", "key": "two words" }] }"##,
              ["config.json: chat.irc.channels[0].key: expected a channel key without spaces, commas or control characters"]),
        .init("channelObjectUnknownKey", ##"{ "host": "h", "channels": [{ "name": "#a", "pass": "x" }] }"##,
              [#"config.json: chat.irc.channels[0].pass: unknown key; expected one of "name" or "key""#]),
        .init("duplicateChannel", ##"{ "host": "h", "channels": ["#team", "#Team"] }"##,
              [##"config.json: chat.irc.channels: lists "#Team" twice; keep one"##]),
        .init("nickStartingWithDigit", ##"{ "host": "h", "nick": "9lives", "channels": ["#team"] }"##,
              [#"config.json: chat.irc.nick: expected an IRC nick (1 to 30 characters, no spaces or ,*?!@:#&. and not starting with a digit or '-'), got "9lives""#]),
        .init("plainSASLWithoutPassword", ##"{ "host": "h", "channels": ["#team"], "sasl": { "account": "tp" } }"##,
              [#"config.json: chat.irc.sasl.password: required but missing; give one of "password", "password_env" or "password_file""#]),
        .init("externalSASLWithoutCertificate", ##"{ "host": "h", "channels": ["#team"], "sasl": { "mechanism": "EXTERNAL" } }"##,
              [#"config.json: chat.irc.sasl.mechanism: EXTERNAL needs TLS and a client certificate; set "tls": true and "client_certificate""#]),
        .init("unknownSASLMechanism", ##"{ "host": "h", "channels": ["#team"], "sasl": { "mechanism": "SCRAM", "account": "a", "password": "p" } }"##,
              [#"config.json: chat.irc.sasl.mechanism: expected one of "PLAIN" or "EXTERNAL", got "SCRAM""#]),
        .init("saslPasswordFromMissingVariable", ##"{ "host": "h", "channels": ["#team"], "sasl": { "account": "a", "password_env": "NOPE_UNSET" } }"##,
              ["config.json: chat.irc.sasl.password_env: environment variable NOPE_UNSET is not set (set it before starting threadpress)"]),
        .init("serverPasswordOfWrongTypeIsNotShown", ##"{ "host": "h", "channels": ["#team"], "server_password": 123456 }"##,
              ["config.json: chat.irc.server_password: expected a string, got a number"]),
        .init("unknownPacingName", ##"{ "host": "h", "channels": ["#team"], "pacing": "fast" }"##,
              [#"config.json: chat.irc.pacing: expected "inspircd", "ngircd" or { "line_burst": …, "lines_per_second": …, "byte_burst": …, "bytes_per_second": … }, got "fast""#]),
        .init("pacingBurstTooSmall", ##"{ "host": "h", "channels": ["#team"], "pacing": { "line_burst": 0, "lines_per_second": 1, "byte_burst": 1024, "bytes_per_second": 512 } }"##,
              ["config.json: chat.irc.pacing.line_burst: expected a whole number from 1 to 100, got 0"]),
        .init("tlsOptionsWithoutTLS", ##"{ "host": "h", "tls": false, "ca_file": "ca.pem", "channels": ["#team"] }"##,
              [#"config.json: chat.irc.ca_file: applies only with TLS; remove it or set "tls": true"#]),
        .init("noVerificationWithoutPin", ##"{ "host": "h", "tls_verify": false, "channels": ["#team"] }"##,
              [#"config.json: chat.irc.tls_verify: false without "tls_pin_sha256" would trust any server; pin its key or give its CA in "ca_file""#]),
        .init("malformedPin", ##"{ "host": "h", "tls_pin_sha256": "abc", "channels": ["#team"] }"##,
              [#"config.json: chat.irc.tls_pin_sha256: expected the base64 SHA-256 of the server's public key, "sha256//" and 44 characters (openssl x509 -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64), got "abc""#]),
        .init("missingCAFile", ##"{ "host": "h", "ca_file": "nope.pem", "channels": ["#team"] }"##,
              ["config.json: chat.irc.ca_file: file not found: $DIR/nope.pem (create it or fix the path)"]),
        .init("clientKeyWithoutCertificate", ##"{ "host": "h", "client_key": "client.pem", "channels": ["#team"] }"##,
              [#"config.json: chat.irc.client_key: a client key needs its certificate; add "client_certificate""#]),
        .init("misspeltKey", ##"{ "host": "h", "channel": ["#team"] }"##,
              [
                  ##"config.json: chat.irc.channels: required but missing; give the channels to join, e.g. ["#team"]"##,
                  #"config.json: chat.irc.channel: unknown key; did you mean "channels"?"#,
              ]),
    ]

    @Test(arguments: invalid)
    func reportsExactlyTheExpectedProblems(_ testCase: IRCConfigurationCase) throws {
        let fixture = try IRCConfigurationFixture()

        #expect(fixture.problems(testCase.irc) == testCase.problems)
    }

    @Test func secretsNeverAppearInProblemsOrDescriptions() throws {
        let fixture = try IRCConfigurationFixture()

        let problems = fixture.problems(
            ##"{ "host": "h", "channels": ["#team"], "sasl": { "account": "a", "password": "hunter2", "password_env": "X" } }"##)
        let irc = try fixture.parse(##"{ "host": "h", "channels": ["#team"], "sasl": { "account": "a", "password": "hunter2" } }"##)
        let transport = IRCChatTransport(configuration: irc, botNick: "tp")

        #expect(problems == [#"config.json: chat.irc.sasl.password: give only one of "password", "password_env" or "password_file"; found "password" and "password_env""#])
        #expect(!"\(irc)".contains("hunter2"))
        #expect(!"\(transport.sessionConfiguration)".contains("hunter2"))
    }
}
