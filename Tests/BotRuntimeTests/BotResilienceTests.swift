import BlogEngines
import Foundation
import SQLiteStorage
import Testing
import ThreadpressModel
import ThreadpressTesting

@Suite struct BotResilienceTests {
    let approved = hostileConversation + [("09:04:00", "alice", "!blog Deploy Friday"), ("09:05:00", "clark", "!approve 1")]

    @Test func blogOutageIsRetriedLaterAndPublishesOnce() async throws {
        let bot = try BotHarness()
        let faulty = bot.injectFaults()
        try bot.say(approved)
        faulty.inject(.failBefore(transient: true), on: .publish, times: 2)

        try await bot.runOnce()
        #expect(bot.files("_posts").isEmpty)
        #expect(bot.output.matching("could not publish draft 1 on the blog: injected failure").count == 1)
        #expect(bot.output.matching("I'll keep trying").count == 1)

        // Before the backoff has passed nothing is tried again.
        try await bot.runOnce()
        #expect(faulty.calls(.publish) == 1)

        bot.now = bot.now.addingTimeInterval(6)
        try await bot.runOnce()  // second failure: not announced again
        #expect(bot.output.matching("could not publish").count == 1)

        bot.now = bot.now.addingTimeInterval(3600)
        try await bot.runOnce()
        #expect(bot.files("_posts").count == 1)
        #expect(bot.output.matching("published draft 1").count == 1)
        #expect(faulty.calls(.publish) == 3)
    }

    @Test func answerLostAfterTheBlogActedDoesNotMakeASecondPost() async throws {
        let bot = try BotHarness()
        let faulty = bot.injectFaults()
        faulty.inject(.failAfter, on: .create)
        faulty.inject(.failAfter, on: .publish)
        try bot.say(approved)
        try await bot.runOnce()
        bot.now = bot.now.addingTimeInterval(3600)
        try await bot.runOnce()
        bot.now = bot.now.addingTimeInterval(3600)
        try await bot.runOnce()
        #expect(bot.files("_drafts").isEmpty)
        #expect(bot.files("_posts").count == 1)
        #expect(bot.output.matching("published draft 1").count == 1)
    }

    @Test func aCreateThatFailedForGoodDoesNotBlockALaterApproval() async throws {
        let bot = try BotHarness()
        let faulty = bot.injectFaults()
        faulty.inject(.failBefore(transient: false), on: .create)
        try bot.say([("09:00:00", "alice", "topic"), ("09:01:00", "alice", "!blog Notes")])
        try await bot.runOnce()
        #expect(bot.output.matching("could not write draft 1 on the blog").count == 1)
        #expect(bot.output.matching("giving up").count == 1)
        try bot.say([("09:02:00", "clark", "!approve 1")])
        try await bot.runOnce()
        #expect(bot.files("_posts").count == 1)
        #expect(bot.output.matching("clark: published draft 1").count == 1)
    }

    @Test func unwritableBlogFolderKeepsTheDraftAndSaysWhy() async throws {
        let bot = try BotHarness()
        // A regular file where the blog's parent folder should be: every write fails, even as root.
        try bot.folder.write("blocker", "not a folder")
        bot.blogDirectory = bot.folder.path("blocker/blog")
        try bot.say(approved)
        try await bot.runOnce()
        #expect(bot.output.matching("could not write draft 1 on the blog").count == 1)
        #expect(bot.logs.matching("blocker/blog").count >= 1)
        let draft = try #require(try bot.store().read { try $0.draft(number: 1) })
        #expect(draft.state == .publishing)
        #expect(draft.messageCount == 4)

        // The operator fixes the folder; the next run finishes the job.
        try FileManager.default.removeItem(atPath: bot.folder.path("blocker"))
        bot.now = bot.now.addingTimeInterval(3600)
        try await bot.runOnce()
        #expect(bot.folder.list("blocker/blog/_posts").count == 1)
        #expect(bot.output.matching("published draft 1").count == 1)
    }

    @Test func anUnwritableReplyFileKeepsRepliesQueuedAndTheBotGoingOn() async throws {
        let bot = try BotHarness()
        bot.replyPath = bot.folder.path("replies")
        try FileManager.default.createDirectory(atPath: bot.replyPath!, withIntermediateDirectories: true)
        try bot.say([("09:00:00", "alice", "topic"), ("09:01:00", "alice", "!blog Notes")])
        try await bot.runOnce()
        #expect(bot.files("_drafts") == ["notes.md"])
        #expect(bot.logs.matching("could not send to #team").count == 1)
        #expect(try bot.store().read { try $0.pendingReplies() }.count == 1)

        try FileManager.default.removeItem(atPath: bot.replyPath!)
        try await bot.runOnce()
        #expect(try bot.folder.read("replies").contains("alice: draft 1 \"Notes\""))
        #expect(try bot.store().read { try $0.pendingReplies() }.isEmpty)
        #expect(bot.output.matching("alice: draft 1").count == 1)
    }

    @Test func followModeActsOnAppendedLinesAndStopsCleanlyWhenCancelled() async throws {
        let bot = try BotHarness()
        let running = try bot.makeBot()
        let task = Task { try await running.run(once: false) }
        try bot.say(approved)
        let deadline = Date().addingTimeInterval(30)
        while bot.output.matching("published draft 1").isEmpty && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(bot.files("_posts").count == 1)
        task.cancel()
        // Stopping is a cancellation, never another failure.
        switch await task.result {
        case .success: break
        case .failure(let error): #expect(error is CancellationError, "stopped with \(error)")
        }
        // Restarted, the bot has nothing left to do with those lines.
        bot.output.removeAll()
        try await bot.runOnce()
        #expect(bot.output.lines.isEmpty)
        #expect(try bot.store().read { try $0.messageCount() } == 6)
    }
}
