import ConfigurationReading
import JSON
import Testing
@testable import WebhookTransport

@Suite struct WebhookChatConfigurationTests {
    static func read(_ text: String, environment: [String: String] = [:]) -> (WebhookChatConfiguration?, [String]) {
        let context = ConfigurationContext(sourceName: "config.json", baseDirectory: "/tmp", environment: environment)
        guard let value = try? JSONParser.parse(Array(text.utf8)),
            let reader = ConfigurationObjectReader.root(value, path: "chat.webhook", context: context) else {
            return (nil, context.problems.map(\.description))
        }
        let configuration = WebhookChatConfiguration(reading: reader)
        return (configuration, context.problems.map(\.description))
    }

    @Test func readsTheIssuesExampleWithSecretsFromTheEnvironment() {
        let (configuration, problems) = Self.read("""
            { "listen": "127.0.0.1:8088", "path": "/hooks/chat", "flavor": "mattermost",
              "token_env": "THREADPRESS_WEBHOOK_TOKEN", "reply_url_env": "THREADPRESS_INCOMING_WEBHOOK_URL",
              "channel": "town-square", "channel_id": "c-town", "commit_timeout_ms": 4000 }
            """, environment: ["THREADPRESS_WEBHOOK_TOKEN": "tok-123", "THREADPRESS_INCOMING_WEBHOOK_URL": "https://chat.example/hooks/abc"])
        #expect(problems == [])
        #expect(configuration?.channel == "town-square")
        #expect(configuration?.settings.token == "tok-123")
        #expect(configuration?.settings.replyURL == "https://chat.example/hooks/abc")
        #expect(configuration?.settings.channelID == "c-town")
        #expect(configuration?.settings.commitTimeout == .milliseconds(4000))
    }

    @Test func reportsEachProblemWithItsPathAndNoSecret() {
        let (configuration, problems) = Self.read("""
            { "listen": "0.0.0.0:8088", "flavor": "slak", "reply_url": "ftp://hooks.example/very-secret", "tokn": "x" }
            """)
        #expect(configuration == nil)
        #expect(problems.contains { $0.contains("chat.webhook.flavor") && $0.contains("slack") })
        #expect(problems.contains { $0.contains("chat.webhook.tokn") })
        #expect(!problems.joined().contains("very-secret"))
    }

    @Test func refusesAPublicAddressWithoutAuthentication() {
        let (configuration, problems) = Self.read("""
            { "listen": "0.0.0.0:8088", "flavor": "slack", "reply_url": "https://hooks.slack.com/services/T/B/x" }
            """)
        #expect(configuration == nil)
        #expect(problems == ["config.json: chat.webhook.listen: 0.0.0.0:8088 is reachable from other machines; set signing_secret, or listen on 127.0.0.1"])
    }

    @Test func slackBotTokenNeedsAChannelID() {
        let (configuration, problems) = Self.read("""
            { "flavor": "slack", "signing_secret": "s3", "bot_token": "xoxb-1" }
            """)
        #expect(configuration == nil)
        #expect(problems == ["config.json: chat.webhook.channel_id: chat.postMessage needs the channel id (like \"C0123ABCD\") when bot_token is set"])
    }
}
