import Foundation
import Testing
import ThreadpressTesting
@testable import WebhookTransport

/// The acceptance path with real parts: libcurl plays the platform, the bot stores to SQLite and
/// publishes to a Markdown folder, replies land at a loopback sink.
@Suite(.serialized) struct WebhookEndToEndTests {
    @Test func mattermostFormConversationIsDraftedApprovedAndPublished() async throws {
        let bot = try await WebhookBot { url in
            WebhookSettings(flavor: .mattermost, token: Payload.mattermostToken, replyURL: url)
        }
        let form = "application/x-www-form-urlencoded"
        for (index, (user, name, text)) in [("u-alice", "alice", "shall we deploy on friday?"),
                                           ("u-bob", "bob", "only with a rollback plan"),
                                           ("u-alice", "alice", "!blog Deploy Friday")].enumerated() {
            let response = try await bot.post(Payload.mattermostForm(user: user, name: name, post: "p\(index)", text: text), contentType: form)
            #expect(response.status == 200)
        }
        #expect(await bot.sinkReceives("draft 1 \"Deploy Friday\""))
        // Someone named like the approver, with another user id: not an approver.
        let impostor = try await bot.post(Payload.mattermostForm(user: "u-mallory", name: "clark", post: "p3", text: "!approve 1"), contentType: form)
        #expect(impostor.status == 200)
        #expect(await bot.sinkReceives("only approvers can publish drafts"))
        #expect(bot.posts().isEmpty)

        let approval = try await bot.post(Payload.mattermostForm(user: "approver-id", name: "clark", post: "p4", text: "!approve 1"), contentType: form)
        #expect(approval.status == 200)
        #expect(await bot.sinkReceives("published draft 1"))
        #expect(await eventually { bot.posts().count == 1 })
        #expect(bot.posts().first?.hasSuffix("-deploy-friday.md") == true)
        #expect(try bot.messageCount() == 5)
        await bot.stop()
    }

    @Test func slackSignedEventsAreDraftedPublishedAndCommentsNeverPing() async throws {
        let bot = try await WebhookBot { url in
            WebhookSettings(flavor: .slack, signingSecret: Payload.slackSecret, replyURL: url)
        }
        let json = "application/json"
        let root = Payload.slackTS(0)
        let lines = [("U0ALICE", root, "shall we deploy on friday?", nil as String?),
                     ("U0BOB", Payload.slackTS(1), "only with a rollback plan", root),
                     ("U0ALICE", Payload.slackTS(2), "!blog Deploy Friday", root)]
        for (user, ts, text, thread) in lines {
            let body = Payload.slackEvent(user: user, ts: ts, text: text, threadTS: thread)
            let response = try await bot.post(body, contentType: json, headers: Payload.slackHeaders(body))
            #expect(response.status == 200)
        }
        #expect(await bot.sinkReceives("draft 1 \"Deploy Friday\""))
        // The reply goes into the thread the command was posted in.
        let draftReply = bot.sink.requests.first { String(decoding: $0.body, as: UTF8.self).contains("draft 1") }
        #expect(draftReply.map { String(decoding: $0.body, as: UTF8.self).contains("\"thread_ts\":\"\(root)\"") } == true)

        // Refused: bad signature, stale timestamp. Nothing is stored.
        let before = try bot.messageCount()
        let forged = Payload.slackEvent(user: "approver-id", ts: Payload.slackTS(3), text: "!approve 1", threadTS: root)
        #expect(try await bot.post(forged, contentType: json, headers: Payload.slackHeaders(forged, secret: "guessed")).status == 401)
        let stale = Payload.slackHeaders(forged, timestamp: Int(Date().timeIntervalSince1970) - 600)
        #expect(try await bot.post(forged, contentType: json, headers: stale).status == 401)
        #expect(try bot.messageCount() == before)
        #expect(bot.posts().isEmpty)

        let approval = Payload.slackEvent(user: "approver-id", ts: Payload.slackTS(4), text: "!approve 1", threadTS: root)
        var headers = Payload.slackHeaders(approval)
        #expect(try await bot.post(approval, contentType: json, headers: headers).status == 200)
        // Slack retries the same event: stored once.
        headers.append(("X-Slack-Retry-Num", "1"))
        #expect(try await bot.post(approval, contentType: json, headers: headers).status == 200)
        #expect(await bot.sinkReceives("published draft 1"))
        #expect(await eventually { bot.posts().count == 1 })
        #expect(try bot.messageCount() == before + 1)

        // A reader's comment with mass mentions and a disguised link reaches the channel inert.
        try bot.folder.write("blog/_data/comments/deploy-friday/c1.json",
            #"{"_id": "c1", "name": "Reader", "message": "<!channel> @here see <https://evil.example|docs>", "date": "2026-12-02T06:00:00Z"}"#)
        #expect(await bot.sinkReceives("new comment on"))
        let comment = try #require(bot.sink.requests.last { String(decoding: $0.body, as: UTF8.self).contains("new comment") })
        let body = String(decoding: comment.body, as: UTF8.self)
        #expect(!body.contains("<!channel>"))
        #expect(!body.contains("<https://"))
        #expect(!body.contains("@here"))
        #expect(body.contains("@\u{2060}here"))
        await bot.stop()
    }

    @Test func rocketChatConversationIsDraftedAndPublished() async throws {
        let bot = try await WebhookBot { url in
            WebhookSettings(flavor: .rocketchat, token: Payload.rocketToken, replyURL: url)
        }
        let json = "application/json"
        for (index, (user, name, text)) in [("r-alice", "alice", "shall we deploy on friday?"),
                                           ("r-bob", "bob", "only with a rollback plan"),
                                           ("r-alice", "alice", "!blog Deploy Friday")].enumerated() {
            #expect(try await bot.post(Payload.rocketChat(user: user, name: name, message: "m\(index)", text: text), contentType: json).status == 200)
        }
        #expect(await bot.sinkReceives("draft 1 \"Deploy Friday\""))
        let wrong = Payload.rocketChat(user: "approver-id", name: "clark", message: "m9", text: "!approve 1", token: "guess")
        #expect(try await bot.post(wrong, contentType: json).status == 403)
        #expect(try await bot.post(Payload.rocketChat(user: "approver-id", name: "clark", message: "m3", text: "!approve 1"), contentType: json).status == 200)
        #expect(await bot.sinkReceives("published draft 1"))
        #expect(await eventually { bot.posts().count == 1 })
        #expect(try bot.messageCount() == 4)
        await bot.stop()
    }
}
