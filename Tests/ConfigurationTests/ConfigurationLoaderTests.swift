import ChatTransports
import Foundation
import ThreadpressModel
import ThreadpressTesting
import Testing

import BlogEngines
import ChatTransports
@testable import Configuration
@testable import ConfigurationReading

@Suite struct ConfigurationLoaderTests {
    @Test func loadsTheExampleContractWithDefaults() throws {
        let fixture = try ConfigurationFixture()
        let configuration = try fixture.parse(exampleJSON())
        let base = fixture.folder.path

        guard case .logfile(let logfile) = configuration.chat else { Issue.record("not a logfile chat"); return }
        #expect(logfile.path == "\(base)/examples/team.log")
        #expect(logfile.format == .weechat)
        #expect(logfile.channel == "#team")
        #expect(logfile.timeZone == IANATimeZone.current)
        #expect(logfile.replyPath == nil)
        #expect(logfile.pollMilliseconds == 250)

        guard case .markdown(let markdown) = configuration.blog else { Issue.record("not a markdown blog"); return }
        #expect(markdown.directory == "\(base)/example-blog")
        #expect(markdown.tags == ["chat"])
        #expect(markdown.baseURL == nil)

        #expect(configuration.store.path == "\(base)/threadpress.sqlite")
        #expect(configuration.roles.approvers == ["clark"])
        #expect(configuration.conversation.gapMinutes == 15)
        #expect(configuration.conversation.maximumMessages == 200)
        #expect(configuration.commands.prefix == "!")
        #expect(configuration.bot.nick == "threadpress")
        #expect(configuration.comments.pollSeconds == 60)
        #expect(configuration.comments.excerptCharacters == 200)
        #expect(configuration.logging.level == .info)
    }

    @Test func appliesDefaultsWhenOnlyRequiredSectionsAreGiven() throws {
        let fixture = try ConfigurationFixture()
        let configuration = try fixture.parse(
            exampleJSON(["roles": nil, "conversation": nil, "commands": nil]))
        #expect(configuration.roles.approvers == [])
        #expect(configuration.conversation.gapMinutes == 15)
        #expect(configuration.commands.prefix == "!")
    }

    @Test func readsEveryOptionalKey() throws {
        let fixture = try ConfigurationFixture()
        try fixture.folder.write("site/.keep", "")
        let json = exampleJSON([
            "chat": #"""
                { "kind": "logfile", "logfile": { "path": "examples/team.log", "format": "irssi", "channel": "&ops",
                  "timezone": "Europe/Paris", "reply_path": "examples/replies.log", "poll_milliseconds": 10 } }
                """#,
            "blog": #"""
                { "kind": "markdown", "markdown": { "directory": "site/_posts", "tags": ["chat", "team notes"],
                  "base_url": "https://blog.example.com/" } }
                """#,
            "conversation": #"{ "gap_minutes": 1440, "maximum_messages": 5000 }"#,
            "commands": #"{ "prefix": ">>" }"#,
            "bot": #"{ "nick": "pressbot" }"#,
            "comments": #"{ "poll_seconds": 86400, "excerpt_characters": 80 }"#,
            "logging": #"{ "level": "debug" }"#,
        ])
        let configuration = try fixture.parse(json)
        guard case .logfile(let logfile) = configuration.chat, case .markdown(let markdown) = configuration.blog else {
            Issue.record("wrong kinds")
            return
        }
        #expect(logfile.format == .irssi)
        #expect(logfile.channel == "&ops")
        #expect(logfile.timeZone.identifier == "Europe/Paris")
        #expect(logfile.replyPath == fixture.folder.path("examples/replies.log"))
        #expect(logfile.pollMilliseconds == 10)
        #expect(markdown.directory == fixture.folder.path("site/_posts"))
        #expect(markdown.tags == ["chat", "team notes"])
        #expect(markdown.baseURL == "https://blog.example.com/")
        #expect(configuration.conversation.gapMinutes == 1440)
        #expect(configuration.conversation.maximumMessages == 5000)
        #expect(configuration.commands.prefix == ">>")
        #expect(configuration.bot.nick == "pressbot")
        #expect(configuration.comments.pollSeconds == 86400)
        #expect(configuration.comments.excerptCharacters == 80)
        #expect(configuration.logging.level == .debug)
    }

    @Test(arguments: ChatLogFormat.allCases)
    func acceptsEveryLogFormat(_ format: ChatLogFormat) throws {
        let fixture = try ConfigurationFixture()
        let configuration = try fixture.parse(exampleJSON([
            "chat": ##"{ "kind": "logfile", "logfile": { "path": "examples/team.log", "format": "\##(format.rawValue)", "channel": "#team" } }"##
        ]))
        guard case .logfile(let logfile) = configuration.chat else { Issue.record("not a logfile chat"); return }
        #expect(logfile.format == format)
    }

    @Test func keepsSettingsOfKindsNotSelected() throws {
        let fixture = try ConfigurationFixture()
        let json = exampleJSON([
            "chat": #"""
                { "kind": "logfile", "irc": { "server": "irc.example.net", "anything": [1, 2] },
                  "webhook": {}, "logfile": { "path": "examples/team.log", "channel": "#team" } }
                """#,
            "blog": #"{ "kind": "markdown", "wordpress": { "url": "https://x" }, "markdown": { "directory": "b" } }"#,
        ])
        #expect(fixture.problems(json) == [])
    }

    @Test func resolvesRelativePathsAgainstTheConfigurationFolderNotTheCurrentDirectory() throws {
        let fixture = try ConfigurationFixture()
        try fixture.folder.write("etc/threadpress/logs/team.log", "")
        let configurationPath = try fixture.folder.write(
            "etc/threadpress/config.json",
            exampleJSON([
                "chat": ##"{ "kind": "logfile", "logfile": { "path": "logs/team.log", "channel": "#team" } }"##,
                "blog": #"{ "kind": "markdown", "markdown": { "directory": "../threadpress/./posts" } }"#,
                "store": #"{ "path": "\#(fixture.folder.path("state.sqlite"))" }"#,
            ]))
        let configuration = try ConfigurationLoader.load(path: configurationPath, environment: [:])
        guard case .logfile(let logfile) = configuration.chat, case .markdown(let markdown) = configuration.blog else {
            Issue.record("wrong kinds")
            return
        }
        #expect(logfile.path == fixture.folder.path("etc/threadpress/logs/team.log"))
        #expect(markdown.directory == fixture.folder.path("etc/threadpress/../threadpress/posts"))
        #expect(configuration.store.path == fixture.folder.path("state.sqlite"))
    }

    @Test(arguments: [
        ("/srv/tp", "a.log", "/srv/tp/a.log"),
        ("/srv/tp", "./logs//a.log", "/srv/tp/logs/a.log"),
        ("/srv/tp", "../a.log", "/srv/tp/../a.log"),
        ("/srv/tp", "/var/log/a.log", "/var/log/a.log"),
        ("/srv/tp/", "a/", "/srv/tp/a"),
        ("/", "a", "/a"),
    ])
    func resolvesPaths(base: String, path: String, expected: String) {
        #expect(ConfigurationContext.absolute(path, relativeTo: base) == expected)
    }

    @Test func namesTheFileAsGivenWhenItIsMissing() throws {
        let fixture = try ConfigurationFixture()
        let missing = fixture.folder.path("nope.json")
        #expect {
            try ConfigurationLoader.load(path: missing, environment: [:])
        } throws: { error in
            (error as? ConfigurationError)?.description
                == "\(missing): configuration file not found: \(missing) (create it from config.example.json or fix the path)"
        }
    }

    @Test func reportsProblemsWithTheFileNameAsGiven() throws {
        let fixture = try ConfigurationFixture()
        let path = try fixture.folder.write("bad.json", "{ \"chat\": 1 ")
        #expect {
            try ConfigurationLoader.load(path: path, environment: [:])
        } throws: { error in
            (error as? ConfigurationError)?.problems.first?.sourceName == path
        }
    }

    @Test func refusesOversizedFiles() throws {
        let fixture = try ConfigurationFixture()
        let big = Data(repeating: UInt8(ascii: " "), count: ConfigurationLoader.maximumFileBytes + 1)
        #expect(fixture.problems(data: big).count == 1)
        #expect(fixture.problems(data: big).first?.contains("at most 1 MiB") == true)
    }
}
