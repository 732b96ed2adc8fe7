import Foundation
import Testing
import ThreadpressModel
import Workflow

/// `!log`, `!preview`, `!draft`, consent (`!ok`, `!redact`, `!forget`, `!override`), opt-outs and
/// `!role`, decided by the sans-I/O workflow over an in-memory log.
@Suite struct DraftEditingConsentTests {
    /// A zero-width joiner: names mentioned in passing carry one after their first letter.
    static let zwj = "\u{200D}"

    /// Four lines by alice, bob, carol and bob (references 1…4, 09:00…09:03), a command at 5, and
    /// draft 1 promoted by alice holding all four lines.
    static func fixture(
        policy: ConsentPolicy = .open, state: DraftState = .open, privateReplies: Bool = false
    ) -> (log: InMemoryLog, settings: WorkflowSettings) {
        var log = InMemoryLog()
        log.add([
            (0, "alice", "shall we deploy friday?"), (1, "bob", "only with a rollback plan"),
            (2, "carol", "bob: I'll write it"), (3, "bob", "then yes"),
        ])
        _ = log.say("dave", "!drafts", atMinute: 4)
        log.addDraft(number: 1, state: state, promoter: "alice", title: "Deploy Friday")
        log.draftLines[1] = [1, 2, 3, 4]
        var settings = WorkflowSettings.test()
        settings.consentPolicy = policy
        settings.privateReplies = privateReplies
        return (log, settings)
    }

    func handle(_ text: String, by nick: String, _ log: inout InMemoryLog, _ settings: WorkflowSettings, minute: Double = 10)
        throws -> [WorkflowAction]
    {
        let command = log.say(nick, text, atMinute: minute)
        return try DraftWorkflow(settings: settings).handle(command, log: log)
    }

    func replies(_ actions: [WorkflowAction]) -> [String] {
        actions.compactMap { if case .reply(let text) = $0 { return text } else { return nil } }
    }

    // MARK: !log and !preview

    @Test func logInTheChannelShowsTheNewestLinesAndSaysWhatWasLeftOut() throws {
        var (log, settings) = Self.fixture()
        let actions = try handle("!log 4", by: "erin", &log, settings)
        #expect(
            replies(actions) == [
                "erin: the last 4 lines with their references (!blog from REF to REF):",
                "4 09:03 b\(Self.zwj)ob: then yes",
                "5 09:04 d\(Self.zwj)ave: !drafts",
                "…and 2 more, not shown: this chat has no private messages, so long output is cut",
            ])
    }

    @Test func aLogOf200LinesGoesPrivatelyAndTheChannelGetsOneLine() throws {
        var (log, settings) = Self.fixture(privateReplies: true)
        log.add((0..<200).map { (5 + Double($0) * 0.01, "alice", "line \($0)") })
        let actions = try handle("!log 200", by: "erin", &log, settings)
        #expect(replies(actions) == ["erin: sent you 200 lines privately"])
        let privately = actions.compactMap { if case .replyPrivately(let lines) = $0 { return lines } else { return nil } }
        #expect(privately.count == 1)
        #expect(privately.first?.count == 201)
        #expect(privately.first?.first == "the last 200 lines with their references (!blog from REF to REF):")
        #expect(privately.first?.last == "205 09:06 a\(Self.zwj)lice: line 199")
    }

    @Test func aPreviewOf200LinesWithoutPrivateMessagesTakesThreeChannelLines() throws {
        var (log, settings) = Self.fixture()
        log.add((0..<196).map { (5 + Double($0) * 0.01, "alice", "line \($0)") })
        log.draftLines[1] = Array(1...4) + Array(6...201).map(Int64.init)
        let actions = try handle("!preview 1", by: "erin", &log, settings)
        #expect(actions.count == 4)
        #expect(replies(actions).dropFirst() == [
            "1. 09:00 a\(Self.zwj)lice: shall we deploy friday?",
            "2. 09:01 b\(Self.zwj)ob: only with a rollback plan",
            "…and 198 more, not shown: this chat has no private messages, so long output is cut",
        ])
    }

    @Test func previewNamesWhoIsQuotedAndWhereEachStands() throws {
        var (log, settings) = Self.fixture(policy: .ask, privateReplies: true)
        log.answers[1] = [ConsentAnswer(principal: "bob", nick: "bob", answer: .ok, time: InMemoryLog.start)]
        let actions = try handle("!preview 1", by: "erin", &log, settings)
        let privately = try #require(actions.compactMap { if case .replyPrivately(let l) = $0 { return l } else { return nil } }.first)
        #expect(
            privately == [
                "draft 1 \"Deploy Friday\" (open, 4 lines); quotes a\(Self.zwj)lice (not answered), b\(Self.zwj)ob (agreed), "
                    + "c\(Self.zwj)arol (not answered); consent: ask",
                "1. 09:00 a\(Self.zwj)lice: shall we deploy friday?",
                "2. 09:01 b\(Self.zwj)ob: only with a rollback plan",
                "3. 09:02 c\(Self.zwj)arol: bob: I'll write it",
                "4. 09:03 b\(Self.zwj)ob: then yes",
            ])
    }

    // MARK: !draft

    @Test(arguments: [
        ("!draft 1 drop 2-3", [1, 4] as [Int64], "alice: dropped 2 lines from draft 1, 2 left"),
        ("!draft 1 drop 1 4", [2, 3], "alice: dropped 2 lines from draft 1, 2 left"),
        ("!draft 1 add 5", [], "alice: line 5 is not conversation (a command, an event or my own line), so it can't be quoted"),
    ])
    func dropAndAddChangeTheLines(command: String, remaining: [Int64], answer: String) throws {
        var (log, settings) = Self.fixture()
        let actions = try handle(command, by: "alice", &log, settings)
        #expect(replies(actions) == [answer])
        let changed = actions.compactMap { action -> [Int64]? in
            if case .changeDraft(1, .lines(let lines), "alice") = action { return lines.map(\.sequence) }
            return nil
        }
        #expect(changed == (remaining.isEmpty ? [] : [remaining]))
        #expect(actions.contains(.rewriteDraft(draft: 1, requestedBy: "alice")) == !remaining.isEmpty)
    }

    @Test func addedLinesTakeTheirPlaceInTimeOrder() throws {
        var (log, settings) = Self.fixture()
        log.draftLines[1] = [1, 4]
        let actions = try handle("!draft 1 add 3 2", by: "clark", &log, settings)
        #expect(replies(actions) == ["clark: added 2 lines to draft 1, 4 in all"])
        #expect(actions.first.map { if case .changeDraft(1, .lines(let l), _) = $0 { l.map(\.sequence) } else { [] } } == [Int64(1), 2, 3, 4])
    }

    @Test(arguments: [
        ("!draft 1 drop 2-9", "alice: draft 1 has 4 lines, so there is no line 9; !preview 1 numbers them"),
        ("!draft 1 drop 1-4", "alice: that would leave draft 1 empty; !reject 1 discards it"),
        ("!draft 1 add 99", "alice: there is no line 99 in #team; !log shows the references"),
        ("!draft 1 add 2", "alice: draft 1 already has those lines"),
        ("!draft 1 drop x", "alice: !draft 1 drop takes line numbers from !preview 1, like 3 or 3-5, got x"),
        ("!draft 1 title", "alice: !draft 1 title needs the new title"),
        ("!draft 1 rename x", "alice: usage: !draft N title TEXT | !draft N drop 3-5 [8…] | !draft N add REF… | !draft N tag WORD… | !draft N intro TEXT"),
    ])
    func badEditsAreRefusedWithTheReason(command: String, answer: String) throws {
        var (log, settings) = Self.fixture()
        let actions = try handle(command, by: "alice", &log, settings)
        #expect(actions == [.reply(answer)])
    }

    @Test func titleIntroAndTagsAreChanged() throws {
        var (log, settings) = Self.fixture()
        #expect(
            try handle("!draft 1 title Friday, decided", by: "alice", &log, settings) == [
                .changeDraft(draft: 1, .title("Friday, decided"), requestedBy: "alice"),
                .rewriteDraft(draft: 1, requestedBy: "alice"), .reply("alice: draft 1 is now titled \"Friday, decided\""),
            ])
        #expect(
            try handle("!draft 1 intro We <b>argued</b> about deploys.", by: "clark", &log, settings) == [
                .changeDraft(draft: 1, .intro("We <b>argued</b> about deploys."), requestedBy: "clark"),
                .rewriteDraft(draft: 1, requestedBy: "clark"), .reply("clark: draft 1 has a new intro"),
            ])
        #expect(try handle("!draft 1 intro", by: "clark", &log, settings).first == .changeDraft(draft: 1, .intro(nil), requestedBy: "clark"))
        #expect(
            try handle("!draft 1 tag ops +Release ops", by: "alice", &log, settings) == [
                .changeDraft(draft: 1, .tags(["ops", "release"]), requestedBy: "alice"),
                .rewriteDraft(draft: 1, requestedBy: "alice"), .reply("alice: draft 1 is tagged ops, release"),
            ])
    }

    @Test func onlyApproversAndThePromoterEdit() throws {
        var (log, settings) = Self.fixture()
        #expect(
            try handle("!draft 1 title Mine now", by: "bob", &log, settings)
                == [.reply("bob: only approvers or whoever promoted draft 1 can edit it")])
    }

    @Test func aDraftAPersonChangedOnTheBlogIsNotEditedFromChat() throws {
        var (log, settings) = Self.fixture()
        log.draftRecords[0].editedOnBlog = true
        log.draftRecords[0].reference = PostReference(
            remoteID: "12", location: "https://blog.example/?p=12", slug: "x", status: .draft,
            editLocation: "https://blog.example/wp-admin/post.php?post=12&action=edit")
        #expect(
            try handle("!draft 1 drop 2", by: "alice", &log, settings) == [
                .reply(
                    "alice: draft 1 was changed on the blog since I wrote it, so I leave it alone; edit it there: "
                        + "https://blog.example/wp-admin/post.php?post=12&action=edit")
            ])
    }

    @Test func aPublishedDraftIsEditedOnTheBlog() throws {
        var (log, settings) = Self.fixture(state: .published)
        #expect(
            try handle("!draft 1 title Later", by: "clark", &log, settings)
                == [.reply("clark: draft 1 is published; edit it on the blog: _posts/x.md")])
    }

    // MARK: consent

    @Test func underAskApprovalWaitsForEveryoneQuoted() throws {
        var (log, settings) = Self.fixture(policy: .ask)
        #expect(
            try handle("!approve 1", by: "clark", &log, settings) == [
                .reply(
                    "clark: draft 1 waits for consent from a\(Self.zwj)lice, b\(Self.zwj)ob, c\(Self.zwj)arol: each answers "
                        + "!ok 1 (or !redact 1); an approver may !override 1 with a reason")
            ])
        for nick in ["alice", "carol"] {
            let ok = try handle("!ok 1", by: nick, &log, settings)
            #expect(ok.first == .recordConsent(draft: 1, ConsentAnswer(principal: nick, nick: nick, answer: .ok, time: InMemoryLog.start.addingTimeInterval(600))))
            #expect(replies(ok) == ["\(nick): thank you; draft 1 quotes you by name"])
            log.answers[1, default: []].append(ConsentAnswer(principal: nick, nick: nick, answer: .ok, time: InMemoryLog.start))
        }
        #expect(
            try handle("!approve 1", by: "clark", &log, settings) == [
                .reply("clark: draft 1 waits for consent from b\(Self.zwj)ob: each answers !ok 1 (or !redact 1); an approver may !override 1 with a reason")
            ])
        log.answers[1, default: []].append(ConsentAnswer(principal: "bob", nick: "bob", answer: .ok, time: InMemoryLog.start))
        #expect(try handle("!approve 1", by: "clark", &log, settings) == [.approve(draft: 1, requestedBy: "clark")])
    }

    @Test func anApproverOverridesWithAReasonThatIsSaidAndRecorded() throws {
        var (log, settings) = Self.fixture(policy: .ask)
        let time = InMemoryLog.start.addingTimeInterval(600)
        #expect(try handle("!override 1", by: "clark", &log, settings) == [.reply("clark: usage: !override N reason… (the reason is shown with the post's approval)")])
        #expect(try handle("!override 1 bob is on leave; he agreed by mail", by: "alice", &log, settings)
            == [.reply("alice: only approvers can override consent, and alice is not one")])
        #expect(
            try handle("!override 1 bob is on leave; he agreed by mail", by: "clark", &log, settings) == [
                .overrideConsent(draft: 1, ConsentOverride(approver: "clark", reason: "bob is on leave; he agreed by mail", time: time)),
                .reply("clark: draft 1 may be published without everyone's consent, because: bob is on leave; he agreed by mail"),
            ])
        log.draftRecords[0].consentOverride = ConsentOverride(approver: "clark", reason: "bob is on leave", time: time)
        #expect(try handle("!approve 1", by: "clark", &log, settings) == [.approve(draft: 1, requestedBy: "clark")])
    }

    @Test(arguments: [ConsentPolicy.open, .pseudonymous])
    func otherPoliciesDoNotHoldUpApproval(policy: ConsentPolicy) throws {
        var (log, settings) = Self.fixture(policy: policy)
        #expect(try handle("!approve 1", by: "clark", &log, settings) == [.approve(draft: 1, requestedBy: "clark")])
    }

    @Test func redactTakesOnlyThatPersonsLinesOut() throws {
        var (log, settings) = Self.fixture()
        let actions = try handle("!redact 1", by: "bob", &log, settings)
        let time = InMemoryLog.start.addingTimeInterval(600)
        #expect(actions.count == 4)
        #expect(actions[0] == .recordConsent(draft: 1, ConsentAnswer(principal: "bob", nick: "bob", answer: .redacted, time: time)))
        guard case .changeDraft(1, .lines(let lines), "bob") = actions[1] else {
            Issue.record("expected the draft's lines to change, got \(actions[1])")
            return
        }
        #expect(lines.map(\.message.text) == ["shall we deploy friday?", "bob: I'll write it"])
        #expect(actions[2] == .rewriteDraft(draft: 1, requestedBy: "bob"))
        #expect(actions[3] == .reply("bob: took your 2 lines out of draft 1"))
    }

    @Test func redactingTheOnlyPersonQuotedDiscardsTheDraft() throws {
        var (log, settings) = Self.fixture()
        log.draftLines[1] = [2, 4]
        let actions = try handle("!redact 1", by: "bob", &log, settings)
        #expect(actions.dropFirst() == [.reject(draft: 1, requestedBy: "bob"), .reply("bob: draft 1 only quoted you, so it is discarded")])
    }

    @Test func forgetRewritesThePublishedPostAndBlanksTheLinesInTheStore() throws {
        var (log, settings) = Self.fixture(state: .published)
        let actions = try handle("!forget 1", by: "bob", &log, settings)
        #expect(actions.contains(.forgetMessages([2, 4])))
        #expect(actions.contains(.rewriteDraft(draft: 1, requestedBy: "bob")))
        #expect(replies(actions) == ["bob: your 2 lines are taken out of post 1 on the blog and out of my log"])
        #expect(try handle("!redact 1", by: "bob", &log, settings)
            == [.reply("bob: draft 1 is already published; !forget 1 takes your lines out of the post")])
    }

    @Test func consentCommandsNeedToBeQuotedAndIdentified() throws {
        var (log, settings) = Self.fixture()
        #expect(try handle("!ok 1", by: "erin", &log, settings) == [.reply("erin: draft 1 does not quote you")])
        settings.trustsNicks = false
        #expect(try handle("!ok 1", by: "bob", &log, settings) == [.reply("bob: " + WorkflowText.unidentified)])
        #expect(try handle("!forget 9", by: "bob", &log, settings) == [.reply("bob: " + WorkflowText.unidentified)])
    }

    @Test func accountsNotNicksAnswerForQuotedPeople() throws {
        var log = InMemoryLog()
        _ = log.say("bob", "only with a rollback plan", atMinute: 0, account: "robert")
        _ = log.say("alice", "fine", atMinute: 1, account: "alice")
        log.addDraft(number: 1, state: .open, promoter: "alice")
        log.draftLines[1] = [1, 2]
        var settings = WorkflowSettings.test(trustsNicks: false)
        settings.consentPolicy = .ask
        // Someone else now using the nick "bob", without robert's account, is not bob.
        let impostor = log.say("bob", "!ok 1", atMinute: 5, account: "mallory")
        #expect(try DraftWorkflow(settings: settings).handle(impostor, log: log) == [.reply("bob: draft 1 does not quote you")])
        let robert = log.say("bobby", "!ok 1", atMinute: 6, account: "Robert")
        #expect(try DraftWorkflow(settings: settings).handle(robert, log: log).first
            == .recordConsent(draft: 1, ConsentAnswer(principal: "robert", nick: "bobby", answer: .ok, time: InMemoryLog.start.addingTimeInterval(360))))
    }

    @Test func pseudonymsReplaceSpeakersAndWholeWordMentionsOfThoseWhoDidNotAgree() {
        let start = InMemoryLog.start
        let lines = [
            ChatMessage(channel: "#team", time: start, sender: ChatIdentity(nick: "alice"), text: "bob, Carol: deploy?"),
            ChatMessage(channel: "#team", time: start, sender: ChatIdentity(nick: "bob"), text: "ask carolyn, not carol"),
            ChatMessage(channel: "#team", time: start, sender: ChatIdentity(nick: "carol"), text: "alice: yes"),
        ]
        let consent = DraftConsent(
            policy: .pseudonymous, lines: lines,
            answers: [ConsentAnswer(principal: "bob", nick: "bob", answer: .ok, time: start)], trustsNicks: true)
        let shown = consent.rendered(lines)
        #expect(shown.authors == ["Colleague A", "bob", "Colleague B"])
        #expect(shown.lines.map(\.sender.nick) == ["Colleague A", "bob", "Colleague B"])
        #expect(shown.lines.map(\.text) == ["bob, Colleague B: deploy?", "ask carolyn, not Colleague B", "Colleague A: yes"])
        // Under the other policies nothing is renamed.
        let open = DraftConsent(policy: .open, lines: lines, answers: [], trustsNicks: true).rendered(lines)
        #expect(open.lines == lines)
        #expect(open.authors == ["alice", "bob", "carol"])
    }

    @Test func okUnderThePseudonymousPolicyRewritesThePost() throws {
        var (log, settings) = Self.fixture(policy: .pseudonymous, state: .published)
        #expect(try handle("!ok 1", by: "carol", &log, settings).contains(.rewriteDraft(draft: 1, requestedBy: "carol")))
        settings.consentPolicy = .ask
        #expect(try !handle("!ok 1", by: "carol", &log, settings).contains(.rewriteDraft(draft: 1, requestedBy: "carol")))
    }

    // MARK: opt-outs and roles

    @Test func optOutAndOptInAreRecordedByPrincipal() throws {
        var (log, settings) = Self.fixture()
        #expect(
            try handle("!optout", by: "Bob", &log, settings) == [
                .setOptedOut(principal: "bob", nick: "Bob", optedOut: true),
                .reply("Bob: your lines will not be quoted in new drafts; !redact N takes them out of an existing one"),
            ])
        #expect(try handle("!optin", by: "bob", &log, settings).first == .setOptedOut(principal: "bob", nick: "bob", optedOut: false))
        #expect(try handle("!optout now", by: "bob", &log, settings) == [.reply("bob: usage: !optout (it takes no arguments)")])
    }

    @Test func adminsGiveAndTakeRolesAndGivenApproversCanPublish() throws {
        var (log, settings) = Self.fixture()
        settings.admins = ["perry"]
        let time = InMemoryLog.start.addingTimeInterval(600)
        #expect(try handle("!role add approver lois", by: "lois", &log, settings) == [.reply("lois: only admins can change roles, and lois is not one")])
        #expect(
            try handle("!role add approver Lois", by: "perry", &log, settings) == [
                .grantRole(RoleGrant(principal: "lois", role: .approver, grantedBy: "perry", time: time)),
                .reply("perry: L\(Self.zwj)ois is now an approver"),
            ])
        #expect(try handle("!approve 1", by: "lois", &log, settings) == [.reply("lois: only approvers can publish drafts, and lois is not one")])
        log.grants = [RoleGrant(principal: "lois", role: .approver, grantedBy: "perry", time: time)]
        #expect(try handle("!approve 1", by: "lois", &log, settings) == [.approve(draft: 1, requestedBy: "lois")])
        #expect(try handle("!role add approver lois", by: "perry", &log, settings) == [.reply("perry: l\(Self.zwj)ois is already an approver")])
        #expect(
            try handle("!role list", by: "bob", &log, settings) == [
                .reply("bob: approvers: c\(Self.zwj)lark, l\(Self.zwj)ois (added by p\(Self.zwj)erry); repliers: none; admins: p\(Self.zwj)erry")
            ])
        #expect(
            try handle("!role remove approver clark", by: "perry", &log, settings)
                == [.reply("perry: c\(Self.zwj)lark is an approver in the configuration file (roles); change it there")])
        #expect(
            try handle("!role remove approver lois", by: "perry", &log, settings) == [
                .revokeRole(.approver, principal: "lois"), .reply("perry: l\(Self.zwj)ois is no longer an approver"),
            ])
    }
}

@Suite struct PrivateQueryTests {
    @Test func logInAPrivateQueryShowsTheTeamChannelAndBlogIsRefused() throws {
        var log = InMemoryLog()
        log.add([(0, "alice", "in the channel")])
        log.add([(1, "erin", "hello bot")], channel: "erin")
        var settings = WorkflowSettings.test()
        settings.homeChannel = "#team"
        settings.privateReplies = true
        let workflow = DraftWorkflow(settings: settings)
        let asked = StoredMessage(
            sequence: 3,
            message: ChatMessage(
                channel: "erin", time: InMemoryLog.start.addingTimeInterval(120), sender: ChatIdentity(nick: "erin"),
                text: "!log 5"))
        let actions = try workflow.handle(asked, log: log)
        #expect(actions.first == .replyPrivately([
            "the last line with their references (!blog from REF to REF):", "1 09:00 a\u{200D}lice: in the channel",
        ]))
        var blog = asked
        blog.message.text = "!blog"
        #expect(try workflow.handle(blog, log: log)
            == [.reply("erin: a private query has no conversation to promote; say !blog in the channel")])
    }
}

@Suite struct WorkflowSurvivorTests {
    @Test func aLineOfSomeoneWhoOptedOutCannotBeAddedToADraft() throws {
        var (log, settings) = DraftEditingConsentTests.fixture()
        log.draftLines[1] = [1, 3]
        log.optOuts = ["bob"]
        let command = log.say("alice", "!draft 1 add 2", atMinute: 10)
        #expect(
            try DraftWorkflow(settings: settings).handle(command, log: log)
                == [.reply("alice: line 2 is by someone who opted out of being quoted")])
    }

    @Test func aPlainBlogSentAsAReplyPromotesTheReplyChainNotTheConversation() throws {
        var log = InMemoryLog()
        func line(_ minute: Double, _ nick: String, _ text: String, id: String, replyTo: String? = nil) {
            log.stored.append(
                StoredMessage(
                    sequence: Int64(log.stored.count + 1),
                    message: ChatMessage(
                        channel: "#team", time: InMemoryLog.start.addingTimeInterval(minute * 60),
                        sender: ChatIdentity(nick: nick), text: text, networkID: id, replyTo: replyTo)))
        }
        line(0, "alice", "who owns the pager?", id: "m1")
        line(1, "bob", "lunch anyone?", id: "m2")
        line(2, "carol", "I do this week", id: "m3", replyTo: "m1")
        line(3, "dave", "pizza", id: "m4", replyTo: "m2")
        line(4, "alice", "thanks carol", id: "m5", replyTo: "m3")
        let command = StoredMessage(
            sequence: 6,
            message: ChatMessage(
                channel: "#team", time: InMemoryLog.start.addingTimeInterval(300), sender: ChatIdentity(nick: "erin"),
                text: "!blog Pager", networkID: "m6", replyTo: "m5"))
        let actions = try DraftWorkflow(settings: .test()).handle(command, log: log)
        guard case .createDraft(let proposal)? = actions.first else {
            Issue.record("expected a draft, got \(actions)")
            return
        }
        #expect(proposal.lines.map(\.message.text) == ["who owns the pager?", "I do this week", "thanks carol"])
    }
}
