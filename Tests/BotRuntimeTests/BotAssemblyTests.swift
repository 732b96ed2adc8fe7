import BlogEngines
import BotRuntime
import Configuration
import Foundation
import Testing
import ThreadpressTesting

/// Every `kind` a configuration can name is built into a bot (no network is touched here).
@Suite struct BotAssemblyTests {
    func bot(chat: String, blog: String) throws -> ThreadpressBot {
        let folder = try TemporaryDirectory(prefix: "assembly")
        try folder.write("team.log", "")
        let json = """
            { "chat": \(chat), "blog": \(blog), "store": { "path": "state.sqlite" }, "roles": { "approvers": ["u-clark"] } }
            """
        let configuration = try ConfigurationLoader.parse(
            data: Data(json.utf8), sourceName: "config.json", baseDirectory: folder.path,
            environment: ["WP_PW": "abcd efgh", "HOOK_TOKEN": "s3cret-token", "HOOK_URL": "http://127.0.0.1:9/hooks/in"])
        return try BotAssembly.makeBot(configuration, version: "9.9")
    }

    @Test func aWebhookChannelAndAWordPressBlogAreBuiltFromTheirSections() throws {
        let bot = try bot(
            chat: #"{ "kind": "webhook", "webhook": { "listen": "127.0.0.1:0", "flavor": "mattermost", "channel": "town", "token_env": "HOOK_TOKEN", "reply_url_env": "HOOK_URL" } }"#,
            blog: #"{ "kind": "wordpress", "wordpress": { "url": "https://blog.example.com", "username": "author", "app_password_env": "WP_PW" } }"#)
        #expect(bot.transport.identifier == "webhook:mattermost:town")
        #expect(bot.transport.channel == "town")
        #expect(!bot.transport.capabilities.trustsNicks)
        #expect(bot.engine.identifier == "wordpress:https://blog.example.com")
    }

    @Test func theEmbeddedDefaultIsALogFileAndAMarkdownFolder() throws {
        let bot = try bot(
            chat: ##"{ "kind": "logfile", "logfile": { "path": "team.log", "channel": "#team" } }"##,
            blog: #"{ "kind": "markdown", "markdown": { "directory": "blog" } }"#)
        #expect(bot.transport.identifier.hasPrefix("logfile:"))
        #expect(bot.transport.capabilities.trustsNicks)
        #expect(bot.engine is MarkdownFolderEngine)
    }
}
