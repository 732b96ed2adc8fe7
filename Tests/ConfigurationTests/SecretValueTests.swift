import JSON
import Foundation
import ThreadpressTesting
import Testing

import BlogEngines
import ChatTransports
@testable import Configuration
@testable import ConfigurationReading

/// The secret every test uses; it must never appear in a message.
private let secret = "s3cr3t-Value"

/// One way of writing `blog.wordpress.application_password`, with what must come of it.
struct SecretCase: CustomTestStringConvertible, Sendable {
    var name: String
    /// Members of the `blog.wordpress` object.
    var members: String
    var environment: [String: String] = [:]
    /// Files to create in the configuration's folder.
    var files: [String: String] = [:]
    /// The source expected on success (`$DIR` is the folder), or nil when problems are expected.
    var source: SecretValue.Source?
    var problems: [String] = []
    var testDescription: String { name }
}

@Suite struct SecretValueTests {
    static let loaded: [SecretCase] = [
        SecretCase(name: "literal", members: #""application_password": "\#(secret)""#, source: .literal),
        SecretCase(
            name: "environmentVariable", members: #""application_password_env": "WP_PASS""#,
            environment: ["WP_PASS": secret], source: .environment("WP_PASS")),
        SecretCase(
            name: "fileRelativeToConfiguration", members: #""application_password_file": "secrets/wp.pass""#,
            files: ["secrets/wp.pass": secret + "\n"], source: .file("$DIR/secrets/wp.pass")),
        SecretCase(
            name: "fileWithWindowsLineEnding", members: #""application_password_file": "wp.pass""#,
            files: ["wp.pass": secret + "\r\n"], source: .file("$DIR/wp.pass")),
        SecretCase(
            name: "fileWithoutTrailingNewline", members: #""application_password_file": "wp.pass""#,
            files: ["wp.pass": secret], source: .file("$DIR/wp.pass")),
    ]

    static let rejected: [SecretCase] = [
        SecretCase(
            name: "missing", members: #""url": "https://blog.example.com""#,
            problems: [
                #"config.json: blog.wordpress.application_password: required but missing; give one of "application_password", "application_password_env" or "application_password_file""#
            ]),
        SecretCase(
            name: "literalAndEnvironment",
            members: #""application_password": "\#(secret)", "application_password_env": "WP_PASS""#,
            environment: ["WP_PASS": secret],
            problems: [
                #"config.json: blog.wordpress.application_password: give only one of "application_password", "application_password_env" or "application_password_file"; found "application_password" and "application_password_env""#
            ]),
        SecretCase(
            name: "allThreeForms",
            members: #""application_password_file": "x", "application_password": "\#(secret)", "application_password_env": "WP_PASS""#,
            problems: [
                #"config.json: blog.wordpress.application_password: give only one of "application_password", "application_password_env" or "application_password_file"; found "application_password", "application_password_env" and "application_password_file""#
            ]),
        SecretCase(
            name: "environmentVariableNotSet", members: #""application_password_env": "WP_PASS""#,
            problems: [
                "config.json: blog.wordpress.application_password_env: environment variable WP_PASS is not set (set it before starting threadpress)"
            ]),
        SecretCase(
            name: "environmentVariableEmpty", members: #""application_password_env": "WP_PASS""#,
            environment: ["WP_PASS": ""],
            problems: ["config.json: blog.wordpress.application_password_env: environment variable WP_PASS is empty"]),
        SecretCase(
            name: "secretPastedAsEnvironmentVariableName", members: #""application_password_env": "\#(secret)""#,
            problems: [
                "config.json: blog.wordpress.application_password_env: expected the name of an environment variable (letters, digits and _, not starting with a digit)"
            ]),
        SecretCase(
            name: "fileNotFound", members: #""application_password_file": "secrets/wp.pass""#,
            problems: [
                "config.json: blog.wordpress.application_password_file: file not found: $DIR/secrets/wp.pass (create it or fix the path)"
            ]),
        SecretCase(
            name: "fileIsAFolder", members: #""application_password_file": "secrets""#, files: ["secrets/other": secret],
            problems: [
                "config.json: blog.wordpress.application_password_file: $DIR/secrets is a folder; expected a file holding the secret"
            ]),
        SecretCase(
            name: "fileEmpty", members: #""application_password_file": "wp.pass""#, files: ["wp.pass": "\n"],
            problems: ["config.json: blog.wordpress.application_password_file: $DIR/wp.pass is empty"]),
        SecretCase(
            name: "literalEmpty", members: #""application_password": """#,
            problems: ["config.json: blog.wordpress.application_password: the secret is empty"]),
        SecretCase(
            name: "literalOfWrongTypeIsNotShown", members: #""application_password": ["\#(secret)"]"#,
            problems: ["config.json: blog.wordpress.application_password: expected a string, got an array"]),
        SecretCase(
            name: "numberIsNotShown", members: #""application_password": 31415926"#,
            problems: ["config.json: blog.wordpress.application_password: expected a string, got a number"]),
        SecretCase(
            name: "misspeltFormIsSuggested",
            members: #""application_pasword_env": "WP_PASS""#,
            problems: [
                #"config.json: blog.wordpress.application_password: required but missing; give one of "application_password", "application_password_env" or "application_password_file""#,
                #"config.json: blog.wordpress.application_pasword_env: unknown key; did you mean "application_password_env"?"#,
            ]),
    ]

    /// Reads `application_password` from a `blog.wordpress` object built from `testCase`, through
    /// the same reader the sections use.
    private func read(_ testCase: SecretCase) throws -> (secret: SecretValue?, problems: [String], folder: String) {
        let folder = try TemporaryDirectory(prefix: "threadpress-secret")
        defer { folder.remove() }
        for (name, contents) in testCase.files { try folder.write(name, contents) }
        let context = ConfigurationContext(
            sourceName: "config.json", baseDirectory: folder.path, environment: testCase.environment)
        let value = try JSONParser.parse(Array("{ \(testCase.members) }".utf8))
        let reader = try #require(ConfigurationObjectReader.root(value, path: "blog.wordpress", context: context))
        _ = reader.string("url")
        let secretValue = reader.secret("application_password", required: true)
        reader.finish()
        let problems = context.problems.map { $0.description.replacingOccurrences(of: folder.path, with: "$DIR") }
        return (secretValue, problems, folder.path)
    }

    @Test(arguments: loaded)
    func readsSecretsInEveryForm(_ testCase: SecretCase) throws {
        let result = try read(testCase)
        #expect(result.problems == [])
        let value = try #require(result.secret)
        #expect(value.value == secret)
        let source: SecretValue.Source =
            switch value.source {
            case .file(let path): .file(path.replacingOccurrences(of: result.folder, with: "$DIR"))
            case let other: other
            }
        #expect(source == testCase.source)
    }

    @Test(arguments: rejected)
    func reportsSecretProblemsWithoutTheValue(_ testCase: SecretCase) throws {
        let result = try read(testCase)
        #expect(result.secret == nil)
        #expect(result.problems == testCase.problems)
        for problem in result.problems {
            #expect(!problem.contains(secret))
            #expect(!problem.contains("31415926"))
        }
    }

    @Test func neverPrintsItsValue() {
        let value = SecretValue(secret, source: .environment("WP_PASS"))
        var dumped = ""
        dump(value, to: &dumped)
        let renderings = [
            value.description, value.debugDescription, "\(value)", String(describing: value), String(reflecting: value),
            dumped, "\([value])", "\(Optional(value) as Any)", "\(value.source)",
        ]
        for rendering in renderings {
            #expect(!rendering.contains(secret), "\(rendering)")
        }
        #expect(value.description == "<redacted>")
        #expect(value.debugDescription == "<redacted>")
        #expect(value.source.description == "environment variable WP_PASS")
    }

    @Test func secretsDoNotLeakThroughAFailedLoad() throws {
        // A secret pasted where a plain string is expected is the operator's mistake, but the
        // forms meant for secrets must never quote it, even when everything else is wrong too.
        let fixture = try ConfigurationFixture()
        let context = ConfigurationContext(sourceName: "config.json", baseDirectory: fixture.folder.path, environment: [:])
        let value = try JSONParser.parse(Array(#"{ "token": "\#(secret)", "token_env": "\#(secret)", "token_file": 1 }"#.utf8))
        let reader = try #require(ConfigurationObjectReader.root(value, path: "irc", context: context))
        #expect(reader.secret("token") == nil)
        reader.finish()
        let error = ConfigurationError(problems: context.problems)
        #expect(!error.problems.isEmpty)
        #expect(!error.description.contains(secret))
    }
}
