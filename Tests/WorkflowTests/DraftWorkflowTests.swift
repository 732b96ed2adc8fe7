import Foundation
import Testing
import ThreadpressModel
import Workflow

@Suite struct DraftWorkflowTests {
    let workflow = DraftWorkflow(settings: .test())

    func proposal(_ actions: [WorkflowAction]) -> DraftProposal? {
        for case .createDraft(let proposal) in actions { return proposal }
        return nil
    }

    func replies(_ actions: [WorkflowAction]) -> [String] {
        actions.compactMap { if case .reply(let text) = $0 { return text } else { return nil } }
    }

    @Test func promotesTheCurrentConversationBackToTheLastSilence() throws {
        var log = InMemoryLog()
        log.add([
            (0, "dave", "old topic"), (1, "erin", "still old"),
            (30, "alice", "shall we deploy friday?"), (31, "bob", "only with a rollback plan"),
            (32, "threadpress", "bot chatter is never promoted"), (33, "alice", "!drafts"),
            (40, "clark", "agreed"),
        ])
        let command = log.say("alice", "!blog Deploy Friday", atMinute: 41)
        let actions = try workflow.handle(command, log: log)
        let draft = try #require(proposal(actions))
        #expect(draft.title == "Deploy Friday")
        #expect(draft.lines.map(\.message.text) == ["shall we deploy friday?", "only with a rollback plan", "agreed"])
        #expect(draft.authors == ["alice", "bob", "clark"])
        #expect(draft.promoter.nick == "alice")
        #expect(draft.key.hasPrefix("tp-") && draft.key.count == 35)
    }

    @Test func boundsTheConversationAtTheConfiguredMaximum() throws {
        var settings = WorkflowSettings.test()
        settings.maximumMessages = 5
        var log = InMemoryLog()
        log.add((0..<50).map { (Double($0) * 0.1, "alice", "line \($0)") })
        let command = log.say("bob", "!blog", atMinute: 6)
        let draft = try #require(proposal(try DraftWorkflow(settings: settings).handle(command, log: log)))
        #expect(draft.lines.map(\.message.text) == ["line 45", "line 46", "line 47", "line 48", "line 49"])
    }

    @Test func selectsTheLastNLinesSkippingCommandsAndEvents() throws {
        var log = InMemoryLog()
        log.add([(0, "alice", "one"), (1, "bob", "two"), (2, "bob", "!help"), (3, "carol", "three")])
        log.stored.append(
            StoredMessage(
                sequence: 5,
                message: ChatMessage(
                    channel: "#team", time: InMemoryLog.start.addingTimeInterval(200), sender: ChatIdentity(nick: "dan"),
                    kind: .event, text: "dan has joined")))
        let command = log.say("alice", "!blog last 2", atMinute: 5)
        let draft = try #require(proposal(try workflow.handle(command, log: log)))
        #expect(draft.lines.map(\.message.text) == ["two", "three"])
        #expect(draft.title == "two")
    }

    @Test func selectsEverythingSinceAClockTime() throws {
        var log = InMemoryLog()  // start is 09:00 UTC
        log.add([(0, "alice", "before"), (10, "bob", "at 09:10"), (20, "carol", "later")])
        let command = log.say("alice", "!blog since 09:10 Morning", atMinute: 25)
        let draft = try #require(proposal(try workflow.handle(command, log: log)))
        #expect(draft.lines.map(\.message.text) == ["at 09:10", "later"])
    }

    @Test func sinceALaterClockTimeMeansYesterday() throws {
        var log = InMemoryLog()
        log.add([(0, "alice", "today 09:00")])
        let command = log.say("alice", "!blog since 23:00", atMinute: 1)
        let draft = try #require(proposal(try workflow.handle(command, log: log)))
        #expect(draft.lines.count == 1)
    }

    @Test func refusesToPromoteNothing() throws {
        var log = InMemoryLog()
        let command = log.say("alice", "!blog", atMinute: 0)
        let actions = try workflow.handle(command, log: log)
        #expect(proposal(actions) == nil)
        #expect(replies(actions).first?.hasPrefix("alice: there is no conversation") == true)
    }

    @Test func approverCanApproveAnOpenDraft() throws {
        var log = InMemoryLog()
        log.addDraft(number: 1, state: .open, promoter: "alice")
        let command = log.say("clark", "!approve 1", atMinute: 1)
        #expect(try workflow.handle(command, log: log) == [.approve(draft: 1, requestedBy: "clark")])
    }

    @Test func approverNamesAreCaseInsensitive() throws {
        var log = InMemoryLog()
        log.addDraft(number: 1, state: .open, promoter: "alice")
        let command = log.say("Clark", "!approve 1", atMinute: 1)
        #expect(try workflow.handle(command, log: log) == [.approve(draft: 1, requestedBy: "Clark")])
    }

    @Test func rejectsApprovalFromANonApprover() throws {
        var log = InMemoryLog()
        log.addDraft(number: 1, state: .open, promoter: "alice")
        let command = log.say("bob", "!approve 1", atMinute: 1)
        let actions = try workflow.handle(command, log: log)
        #expect(actions.count == 1)
        #expect(replies(actions) == ["bob: only approvers can publish drafts, and bob is not one"])
    }

    @Test func rejectsApprovalFromUnidentifiedNickOnATransportThatNeedsAccounts() throws {
        let strict = DraftWorkflow(settings: .test(trustsNicks: false))
        var log = InMemoryLog()
        log.addDraft(number: 1, state: .open, promoter: "alice")
        let impostor = log.say("clark", "!approve 1", atMinute: 1)
        #expect(replies(try strict.handle(impostor, log: log)) == ["clark: \(WorkflowText.unidentified)"])
        let real = log.say("clark_", "!approve 1", atMinute: 2, account: "clark")
        #expect(try strict.handle(real, log: log) == [.approve(draft: 1, requestedBy: "clark_")])
    }

    @Test(arguments: [
        (DraftState.publishing, "already being published"), (.published, "already published"), (.rejected, "was rejected"),
    ])
    func refusesToApproveADraftThatIsNotOpen(state: DraftState, phrase: String) throws {
        var log = InMemoryLog()
        log.addDraft(number: 4, state: state, promoter: "alice")
        let command = log.say("clark", "!approve 4", atMinute: 1)
        let answer = try #require(replies(try workflow.handle(command, log: log)).first)
        #expect(answer.contains(phrase))
    }

    @Test func saysWhenADraftDoesNotExist() throws {
        var log = InMemoryLog()
        let command = log.say("clark", "!approve 9", atMinute: 1)
        #expect(replies(try workflow.handle(command, log: log)) == ["clark: there is no draft 9"])
    }

    @Test(arguments: ["clark", "alice"])
    func approverOrPromoterCanReject(nick: String) throws {
        var log = InMemoryLog()
        log.addDraft(number: 2, state: .open, promoter: "alice", title: "Old news")
        let command = log.say(nick, "!reject 2", atMinute: 1)
        let actions = try workflow.handle(command, log: log)
        #expect(actions.first == .reject(draft: 2, requestedBy: nick))
        #expect(replies(actions) == ["\(nick): rejected draft 2 \"Old news\""])
    }

    @Test func othersCannotReject() throws {
        var log = InMemoryLog()
        log.addDraft(number: 2, state: .open, promoter: "alice")
        let command = log.say("mallory", "!reject 2", atMinute: 1)
        let actions = try workflow.handle(command, log: log)
        #expect(!actions.contains(.reject(draft: 2, requestedBy: "mallory")))
        #expect(replies(actions).first?.contains("only approvers or whoever promoted draft 2") == true)
    }

    @Test func listsOpenDrafts() throws {
        var log = InMemoryLog()
        log.addDraft(number: 1, state: .published, promoter: "alice", title: "Done")
        log.addDraft(number: 2, state: .open, promoter: "bob", title: "Pending")
        let command = log.say("carol", "!drafts", atMinute: 1)
        #expect(replies(try workflow.handle(command, log: log)) == ["carol: open drafts: 2 \"Pending\" (3 lines by b\u{200D}ob)"])
    }

    @Test func helpIsGeneratedFromTheCommandTable() throws {
        var log = InMemoryLog()
        let all = try workflow.handle(log.say("carol", "!help", atMinute: 1), log: log)
        for specification in CommandTable.all {
            #expect(replies(all).first?.contains("!\(specification.name)") == true)
        }
        let one = try workflow.handle(log.say("carol", "!help approve", atMinute: 2), log: log)
        #expect(replies(one) == ["carol: !approve N | !approve N at YYYY-MM-DD HH:MM: publish draft N now, or schedule it (approvers only)"])
    }

    @Test func ignoresTheBotsOwnLinesAndNotices() throws {
        var log = InMemoryLog()
        log.add([(0, "alice", "hi")])
        // The bot's configured nick, its own line under another nick, and a notice from a person.
        #expect(try workflow.handle(log.say("threadpress", "!blog", atMinute: 1), log: log).isEmpty)
        var own = log.say("threadpress_", "!blog", atMinute: 2)
        own.message.isOwn = true
        #expect(try workflow.handle(own, log: log).isEmpty)
        var notice = log.say("alice", "!blog", atMinute: 3)
        notice.message.kind = .notice
        #expect(try workflow.handle(notice, log: log).isEmpty)
        // The same line as an ordinary message from a person is a command.
        #expect(try !workflow.handle(log.say("alice", "!blog", atMinute: 4), log: log).isEmpty)
    }

    @Test func draftKeyIsStableForTheSameCommand() {
        var log = InMemoryLog()
        let command = log.say("alice", "!blog", atMinute: 3)
        // The same line read again (a log rewritten as a new file) is stored under a new sequence.
        let reread = StoredMessage(sequence: command.sequence + 100, message: command.message)
        #expect(DraftKey.make(for: command) == DraftKey.make(for: reread))
        #expect(DraftKey.make(for: command).hasPrefix("tp-"))
        var other = command
        other.message.time = other.message.time.addingTimeInterval(1)
        #expect(DraftKey.make(for: command) != DraftKey.make(for: other))
    }

    @Test func aBlogCommandInsideAThreadPromotesThatThreadOnly() throws {
        var log = InMemoryLog()
        func post(_ nick: String, _ text: String, minute: Double, id: String, root: String?) -> StoredMessage {
            var message = log.say(nick, text, atMinute: minute)
            message.message.networkID = id
            message.message.threadRoot = root
            log.stored[log.stored.count - 1] = message
            return message
        }
        _ = post("alice", "before the thread", minute: 0, id: "p0", root: nil)
        _ = post("alice", "thread starts here", minute: 1, id: "t1", root: nil)
        _ = post("bob", "channel chatter", minute: 2, id: "p2", root: nil)
        _ = post("bob", "a reply in the thread", minute: 3, id: "t2", root: "t1")
        _ = post("carol", "another thread", minute: 4, id: "u1", root: nil)
        _ = post("carol", "!not a thread command", minute: 5, id: "p5", root: nil)
        _ = post("alice", "second reply", minute: 6, id: "t3", root: "t1")
        let command = post("alice", "!blog Our thread", minute: 7, id: "t4", root: "t1")
        let actions = try workflow.handle(command, log: log)
        guard case .createDraft(let proposal)? = actions.first else {
            Issue.record("expected a draft, got \(actions)")
            return
        }
        #expect(proposal.lines.map(\.message.text) == ["thread starts here", "a reply in the thread", "second reply"])
        #expect(proposal.title == "Our thread")
    }
}
