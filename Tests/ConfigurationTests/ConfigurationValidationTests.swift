import Foundation
import ThreadpressTesting
import Testing

import BlogEngines
import ChatTransports
@testable import Configuration
@testable import ConfigurationReading

/// One invalid configuration and exactly the problems it must produce (`$DIR` is the fixture's
/// folder).
struct InvalidConfigurationCase: CustomTestStringConvertible, Sendable {
    var name: String
    var changes: [String: String?]
    var problems: [String]
    var testDescription: String { name }

    init(_ name: String, _ changes: [String: String?], _ problems: [String]) {
        self.name = name
        self.changes = changes
        self.problems = problems
    }
}

private func logfile(_ members: String) -> String {
    ##"{ "kind": "logfile", "logfile": { "path": "examples/team.log", "channel": "#team"\##(members) } }"##
}

private func markdown(_ members: String) -> String {
    #"{ "kind": "markdown", "markdown": { "directory": "example-blog"\#(members) } }"#
}

@Suite struct ConfigurationValidationTests {
    static let cases: [InvalidConfigurationCase] = [
        // Unknown keys.
        .init(
            "unknownKeyWithSuggestion", ["chat": logfile(#", "formt": "irssi""#)],
            [#"config.json: chat.logfile.formt: unknown key; did you mean "format"?"#]),
        .init(
            "unknownCamelCaseKeySuggestsSnakeCase", ["conversation": #"{ "gapMinutes": 15 }"#],
            [#"config.json: conversation.gapMinutes: unknown key; did you mean "gap_minutes"?"#]),
        .init(
            "unknownKeyWithPrefixSuggestion", ["chat": logfile(#", "poll": 100"#)],
            [#"config.json: chat.logfile.poll: unknown key; did you mean "poll_milliseconds"?"#]),
        .init(
            "unknownKeyWithoutCloseMatch", ["conversation": #"{ "colour": "blue" }"#],
            [#"config.json: conversation.colour: unknown key; expected one of "gap_minutes" or "maximum_messages""#]),
        .init(
            "unknownTopLevelSection", ["plugins": "{}"],
            [
                #"config.json: plugins: unknown key; expected one of "chat", "blog", "store", "roles", "conversation", "commands", "bot", "comments", "logging" or "consent""#
            ]),
        .init(
            "unknownKeyWithControlCharactersIsEscaped", ["bot": #"{ "ni\u0000ck": "x" }"#],
            [#"config.json: bot["ni\u{0}ck"]: unknown key; did you mean "nick"?"#]),
        .init(
            "unknownSubObjectForUnknownKind", ["chat": logfile("").dropLast(1) + #", "slack": {} }"#],
            [#"config.json: chat.slack: unknown key; expected one of "kind", "logfile", "webhook" or "irc""#]),
        // Wrong types.
        .init(
            "wholeNumberGivenAsString", ["conversation": #"{ "gap_minutes": "15" }"#],
            [#"config.json: conversation.gap_minutes: expected a whole number from 1 to 1440, got "15""#]),
        .init(
            "wholeNumberGivenAsFraction", ["conversation": #"{ "gap_minutes": 1.5 }"#],
            [#"config.json: conversation.gap_minutes: expected a whole number from 1 to 1440, got 1.5"#]),
        .init(
            "wholeNumberGivenAsNull", ["conversation": #"{ "gap_minutes": null }"#],
            [#"config.json: conversation.gap_minutes: expected a whole number from 1 to 1440, got null"#]),
        .init(
            "stringGivenAsBoolean", ["bot": #"{ "nick": true }"#],
            [#"config.json: bot.nick: expected a string, got true"#]),
        .init(
            "sectionGivenAsString", ["store": #""threadpress.sqlite""#],
            [#"config.json: store: expected an object { … }, got "threadpress.sqlite""#]),
        .init(
            "arrayGivenAsString", ["roles": #"{ "approvers": "clark" }"#],
            [#"config.json: roles.approvers: expected an array of strings ["…"], got "clark""#]),
        .init(
            "arrayElementOfWrongType", ["roles": #"{ "approvers": ["clark", 7, {}] }"#],
            [
                #"config.json: roles.approvers[1]: expected a string, got 7"#,
                #"config.json: roles.approvers[2]: expected a string, got an object"#,
            ]),
        .init(
            "longValuesAreTruncatedAndControlCharactersEscaped",
            ["bot": #"{ "nick": "a\u001b[31mb\u202Ec 0123456789012345678901234567890123456789" }"#],
            [
                #"config.json: bot.nick: expected a nick without spaces, such as "threadpress", got "a\u{1B}[31mb\u{202E}c 012345678901234567890123456789…""#
            ]),
        // Out of range.
        .init(
            "numberBelowRange", ["conversation": #"{ "gap_minutes": 0 }"#],
            [#"config.json: conversation.gap_minutes: expected a whole number from 1 to 1440, got 0"#]),
        .init(
            "numberAboveRange", ["conversation": #"{ "maximum_messages": 5001 }"#],
            [#"config.json: conversation.maximum_messages: expected a whole number from 1 to 5000, got 5001"#]),
        .init(
            "numberTooLargeForInt", ["comments": #"{ "poll_seconds": 99999999999999999999999 }"#],
            [#"config.json: comments.poll_seconds: expected a whole number from 1 to 86400, got 99999999999999999999999"#]),
        .init(
            "pollMillisecondsOutOfRange", ["chat": logfile(#", "poll_milliseconds": 5"#)],
            [#"config.json: chat.logfile.poll_milliseconds: expected a whole number from 10 to 60000, got 5"#]),
        // Invalid values.
        .init(
            "unknownLogFormatWithSuggestion", ["chat": logfile(#", "format": "irsi""#)],
            [#"config.json: chat.logfile.format: expected one of "weechat", "irssi" or "jsonl", got "irsi"; did you mean "irssi"?"#]),
        .init(
            "unknownLogLevel", ["logging": #"{ "level": "verbose" }"#],
            [#"config.json: logging.level: expected one of "error", "warning", "info" or "debug", got "verbose""#]),
        .init(
            "prefixWithLetters", ["commands": #"{ "prefix": "ab" }"#],
            [#"config.json: commands.prefix: expected 1 to 3 symbols such as "!" or ".", got "ab""#]),
        .init(
            "prefixTooLong", ["commands": #"{ "prefix": "!!!!" }"#],
            [#"config.json: commands.prefix: expected 1 to 3 symbols such as "!" or ".", got "!!!!""#]),
        .init(
            "prefixEmpty", ["commands": #"{ "prefix": "" }"#],
            [#"config.json: commands.prefix: expected 1 to 3 symbols such as "!" or ".", got """#]),
        .init(
            "channelWithSpace", ["chat": ##"{ "kind": "logfile", "logfile": { "path": "examples/team.log", "channel": "#my team" } }"##],
            [##"config.json: chat.logfile.channel: expected a channel name without spaces, such as "#team", got "#my team""##]),
        .init(
            "baseURLWithoutScheme", ["blog": markdown(#", "base_url": "blog.example""#)],
            [#"config.json: blog.markdown.base_url: expected an http(s) URL such as "https://blog.example.com", got "blog.example""#]),
        .init(
            "emptyTag", ["blog": markdown(#", "tags": ["chat", " "]"#)],
            [#"config.json: blog.markdown.tags[1]: expected a tag such as "chat", got " ""#]),
        .init(
            "timeZoneUnknownWithSuggestion", ["chat": logfile(#", "timezone": "Europe/Pariss""#)],
            [
                #"config.json: chat.logfile.timezone: unknown time zone "Europe/Pariss"; use an IANA name such as "Europe/Paris" or "UTC"; did you mean "Europe/Paris"?"#
            ]),
        .init(
            "timeZoneNonsense", ["chat": logfile(#", "timezone": "Middle Earth/Shire Reckoning""#)],
            [
                #"config.json: chat.logfile.timezone: unknown time zone "Middle Earth/Shire Reckoning"; use an IANA name such as "Europe/Paris" or "UTC""#
            ]),
        .init(
            "tildeIsNotExpanded", ["store": #"{ "path": "~/threadpress.sqlite" }"#],
            [#"config.json: store.path: '~' is not expanded; write the full path, or a path relative to the configuration file"#]),
        .init(
            "emptyPath", ["store": #"{ "path": "" }"#],
            [#"config.json: store.path: expected a path, got an empty string"#]),
        .init(
            "duplicateKey", ["conversation": "{ \"gap_minutes\": 15,\n \"gap_minutes\": 20 }"],
            [#"config.json: conversation.gap_minutes: appears more than once (lines 6 and 7); keep only one"#]),
        // Missing required keys.
        .init(
            "missingChatSection", ["chat": nil],
            [#"config.json: chat: required but missing; add "chat": { "kind": "logfile", "logfile": { … } }"#]),
        .init(
            "missingChannel", ["chat": #"{ "kind": "logfile", "logfile": { "path": "examples/team.log" } }"#],
            [##"config.json: chat.logfile.channel: required but missing; give the channel's name, e.g. "#team""##]),
        .init(
            "missingKind", ["blog": #"{ "markdown": { "directory": "b" } }"#],
            [#"config.json: blog.kind: required but missing; set it to "markdown" or "wordpress""#]),
        .init(
            "missingSelectedKindObject", ["blog": #"{ "kind": "markdown" }"#],
            [#"config.json: blog.markdown: required but missing; add "markdown": { "directory": … }"#]),
        // Kinds.
        .init(
            "ircTransportReadsItsOwnSection", ["chat": #"{ "kind": "irc", "irc": { "server": "irc.example.net" } }"#],
            [
                #"config.json: chat.irc.host: required but missing; give the server's name, e.g. "irc.libera.chat""#,
                ##"config.json: chat.irc.channels: required but missing; give the channels to join, e.g. ["#team"]"##,
                #"config.json: chat.irc.server: unknown key; did you mean "server_password"?"#,
            ]),
        .init(
            "webhookWithoutItsSettings", ["chat": #"{ "kind": "webhook" }"#],
            [#"config.json: chat.webhook: required but missing; add "webhook": { "listen": "127.0.0.1:8088", "flavor": "mattermost", … }"#]),
        .init(
            "wordpressWithEmptySettings", ["blog": #"{ "kind": "wordpress", "wordpress": {} }"#],
            [
                #"config.json: blog.wordpress.url: required but missing; give the blog's address, e.g. "https://blog.example.com""#,
                "config.json: blog.wordpress.username: required but missing; give the WordPress login the bot writes as",
                #"config.json: blog.wordpress.app_password: required but missing; give one of "app_password", "app_password_env" or "app_password_file""#,
            ]),
        .init(
            "unknownChatKind", ["chat": #"{ "kind": "slack" }"#],
            [#"config.json: chat.kind: unknown chat transport "slack"; this version supports "logfile", "webhook" or "irc""#]),
        .init(
            "misspeltBlogKind", ["blog": #"{ "kind": "markdwn" }"#],
            [#"config.json: blog.kind: unknown blog engine "markdwn"; this version supports "markdown" or "wordpress"; did you mean "markdown"?"#]),
        .init(
            "unselectedKindSettingsMustBeObjects", ["chat": logfile("").dropLast(1) + #", "irc": "yes" }"#],
            [#"config.json: chat.irc: expected an object { … }, got "yes""#]),
        // The file system.
        .init(
            "logFileNotFound", ["chat": ##"{ "kind": "logfile", "logfile": { "path": "examples/missing.log", "channel": "#team" } }"##],
            [#"config.json: chat.logfile.path: file not found: $DIR/examples/missing.log (create it or fix the path)"#]),
        .init(
            "logFileIsAFolder", ["chat": ##"{ "kind": "logfile", "logfile": { "path": "examples", "channel": "#team" } }"##],
            [#"config.json: chat.logfile.path: $DIR/examples is a folder; expected a file"#]),
        .init(
            "storeFolderMissing", ["store": #"{ "path": "data/threadpress.sqlite" }"#],
            [#"config.json: store.path: folder does not exist: $DIR/data (create it or fix the path)"#]),
        .init(
            "storeIsAFolder", ["store": #"{ "path": "examples" }"#],
            [#"config.json: store.path: $DIR/examples is a folder; expected a database file (e.g. $DIR/examples/threadpress.sqlite)"#]),
        .init(
            "blogDirectoryParentMissing", ["blog": #"{ "kind": "markdown", "markdown": { "directory": "site/_posts" } }"#],
            [#"config.json: blog.markdown.directory: folder does not exist: $DIR/site (create it or fix the path)"#]),
        .init(
            "blogDirectoryIsAFile", ["blog": #"{ "kind": "markdown", "markdown": { "directory": "examples/team.log" } }"#],
            [#"config.json: blog.markdown.directory: $DIR/examples/team.log is not a folder"#]),
        .init(
            "replyPathFolderMissing", ["chat": logfile(#", "reply_path": "out/replies.log""#)],
            [#"config.json: chat.logfile.reply_path: folder does not exist: $DIR/out (create it or fix the path)"#]),
    ]

    @Test(arguments: cases)
    func reportsExactlyTheExpectedProblems(_ testCase: InvalidConfigurationCase) throws {
        let fixture = try ConfigurationFixture()
        #expect(fixture.problems(exampleJSON(testCase.changes)) == testCase.problems)
    }

    @Test func reportsEveryProblemTogetherInDocumentOrder() throws {
        let fixture = try ConfigurationFixture()
        let json = exampleJSON([
            "chat": #"{ "kind": "logfile", "logfile": { "path": "examples/missing.log", "formt": "weechat" } }"#,
            "blog": #"{ "kind": "wordpress" }"#,
            "store": nil,
            "conversation": #"{ "gap_minutes": "15", "maximum_messages": 0 }"#,
            "logging": #"{ "level": 3 }"#,
        ])
        #expect(
            fixture.problems(json) == [
                "config.json: chat.logfile.path: file not found: $DIR/examples/missing.log (create it or fix the path)",
                ##"config.json: chat.logfile.channel: required but missing; give the channel's name, e.g. "#team""##,
                #"config.json: chat.logfile.formt: unknown key; did you mean "format"?"#,
                #"config.json: blog.wordpress: required but missing; add "wordpress": { "url": "https://blog.example.com", "username": …, "app_password_env": … }"#,
                #"config.json: store: required but missing; add "store": { "path": "threadpress.sqlite" }"#,
                #"config.json: conversation.gap_minutes: expected a whole number from 1 to 1440, got "15""#,
                "config.json: conversation.maximum_messages: expected a whole number from 1 to 5000, got 0",
                "config.json: logging.level: expected a string, got 3",
            ])
    }

    @Test(arguments: [
        ("[]", "config.json: expected a JSON object { … }, got an empty array"),
        (#""chat""#, #"config.json: expected a JSON object { … }, got "chat""#),
    ])
    func rejectsTopLevelValuesOtherThanObjects(json: String, problem: String) throws {
        let fixture = try ConfigurationFixture()
        #expect(fixture.problems(json) == [problem])
    }

    @Test func reportsInvalidJSONWithLineAndColumn() throws {
        let fixture = try ConfigurationFixture()
        let json = "{\n  \"a\": 1,\n  \"b\": \"xyz\" \"c\": 2\n}"
        #expect(fixture.problems(json) == ["config.json: invalid JSON at line 3, column 14: expected ',' or '}'"])
    }

    @Test func errorDescriptionHasOneLinePerProblem() {
        let error = ConfigurationError(problems: [
            ConfigurationProblem(sourceName: "c.json", path: "a.b", message: "one"),
            ConfigurationProblem(sourceName: "c.json", path: "", message: "two"),
        ])
        #expect(error.description == "c.json: a.b: one\nc.json: two")
    }
}
