import Testing
import ThreadpressModel
@testable import WebhookTransport

@Suite struct WebhookReplyTests {
    @Test(arguments: [
        (WebhookFlavor.slack, "<!channel> look at <https://evil.example|this harmless link> & <@U123>",
         "&lt;!channel&gt; look at &lt;https://evil.example|this harmless link&gt; &amp; &lt;@U123&gt;"),
        (.slack, "hey @here and @Channel, @everyone", "hey @\u{2060}here and @\u{2060}Channel, @\u{2060}everyone"),
        (.mattermost, "@all @channel @here please read", "@\u{2060}all @\u{2060}channel @\u{2060}here please read"),
        (.mattermost, "mail me at a@here.example or @alice", "mail me at a@\u{2060}here.example or @alice"),
        (.rocketchat, "＠all and @ALL\r\nnext line", "＠\u{2060}all and @\u{2060}ALL next line"),
        (.rocketchat, "@allison is not everyone", "@allison is not everyone"),
    ])
    func neutralisesMassMentionsAndSlackMarkup(flavor: WebhookFlavor, text: String, expected: String) {
        #expect(WebhookMarkup.neutralize(text, flavor: flavor) == expected)
    }

    @Test func mattermostReplyBodyCarriesTheThreadRoot() {
        let encoder = WebhookReplyEncoder(settings: WebhookSettings(flavor: .mattermost, replyURL: "http://127.0.0.1:1/hooks/x"))
        #expect(encoder.body(for: ChatReply(channel: "#team", text: "draft 1: \"Title\"", threadRoot: "p1"))
            == #"{"text":"draft 1: \"Title\"","root_id":"p1"}"#)
        #expect(encoder.body(for: ChatReply(channel: "#team", text: "plain")) == #"{"text":"plain"}"#)
        #expect(encoder.url == "http://127.0.0.1:1/hooks/x")
        #expect(encoder.headers.isEmpty)
    }

    @Test func rocketChatReplyBodyUsesTmid() {
        let encoder = WebhookReplyEncoder(settings: WebhookSettings(flavor: .rocketchat, replyURL: "http://127.0.0.1:1/hooks/x"))
        #expect(encoder.body(for: ChatReply(channel: "#team", text: "ok @all", threadRoot: "t1"))
            == "{\"text\":\"ok @\u{2060}all\",\"tmid\":\"t1\"}")
    }

    @Test func slackBotTokenRepliesGoToPostMessageWithTheChannel() {
        let encoder = WebhookReplyEncoder(settings: WebhookSettings(flavor: .slack, botToken: "xoxb-123", channelID: "C1"))
        #expect(encoder.url == "https://slack.com/api/chat.postMessage")
        #expect(encoder.headers.map { "\($0.0): \($0.1)" } == ["Authorization: Bearer xoxb-123"])
        #expect(encoder.body(for: ChatReply(channel: "#team", text: "<!here>", threadRoot: "1.5"))
            == #"{"channel":"C1","text":"&lt;!here&gt;","thread_ts":"1.5","link_names":false,"unfurl_links":false}"#)
    }

    @Test(arguments: [
        (200, nil as String?, "ok", 0, WebhookReplyEncoder.Outcome.delivered),
        (429, "7", "", 0, .retry(after: .seconds(7))),
        (429, nil, "", 1, .retry(after: .milliseconds(1000))),
        (429, "100000", "", 0, .retry(after: .seconds(120))),
        (503, nil, "", 2, .retry(after: .milliseconds(2000))),
        (404, nil, "no_service", 0, .failed("the mattermost reply URL answered HTTP 404; check reply_url/bot_token")),
    ])
    func judgesThePlatformsAnswer(status: Int, retryAfter: String?, body: String, attempt: Int, expected: WebhookReplyEncoder.Outcome) {
        let encoder = WebhookReplyEncoder(settings: WebhookSettings(flavor: .mattermost, replyURL: "http://127.0.0.1:1/x"))
        #expect(encoder.outcome(status: status, retryAfter: retryAfter, body: Array(body.utf8), attempt: attempt) == expected)
    }

    @Test func slackWebAPIErrorsInsideA200AreFailures() {
        let encoder = WebhookReplyEncoder(settings: WebhookSettings(flavor: .slack, botToken: "xoxb-1", channelID: "C1"))
        #expect(encoder.outcome(status: 200, retryAfter: nil, body: Array(#"{"ok":false,"error":"channel_not_found"}"#.utf8), attempt: 0)
            == .failed("chat.postMessage refused the reply: channel_not_found"))
        #expect(encoder.outcome(status: 200, retryAfter: nil, body: Array(#"{"ok":true}"#.utf8), attempt: 0) == .delivered)
    }

    @Test func settingsValidationNamesEachProblemAndHidesSecrets() {
        let settings = WebhookSettings(path: "hooks", flavor: .slack, token: "t0ken", botToken: "xoxb-secret")
        #expect(settings.validate() == [
            "path: expected an absolute path like \"/hooks/chat\", got \"hooks\"",
            "channel_id: chat.postMessage needs the channel id (like \"C0123ABCD\") when bot_token is set",
        ])
        #expect(!String(describing: settings).contains("secret"))
        #expect(!String(reflecting: settings).contains("xoxb-secret"))
        #expect(!String(reflecting: settings).contains("t0ken"))
        #expect(WebhookSettings(flavor: .mattermost).validate() == ["reply_url: set the incoming webhook URL the bot posts its replies to"])
    }

    @Test func ledgerGivesEachDeliveryOnePositionAndRemembersCommits() {
        var ledger = DeliveryLedger(capacity: 2)
        ledger.resume(after: "41")
        var results: [DeliveryLedger.Admission] = []
        results.append(ledger.admit("c/p1"))
        results.append(ledger.admit("c/p1"))
        results.append(ledger.admit("c/p2"))
        let moved = ledger.commit(through: "42")
        let movedBack = ledger.commit(through: "41")
        results.append(ledger.admit("c/p1"))
        results.append(ledger.admit("c/p2"))
        results.append(ledger.admit("c/p3"))
        // Capacity 2: p1 is forgotten and would be yielded again (the store drops it by network id).
        results.append(ledger.admit("c/p1"))
        results.append(ledger.admit("c/p3"))
        #expect(moved && !movedBack)
        #expect(results == [.new(42), .pending(42), .new(43), .committed, .pending(43), .new(44), .new(45), .pending(44)])
    }
}
