import Foundation
import Testing
import ThreadpressModel
@testable import Workflow

/// Every `!blog` selection form over recorded conversations: lines across midnight, the bot's own
/// lines, commands inside the range, people who opted out, interleaved reply chains, empty selections.
/// Expected lines are written out as the transcript shows them.
@Suite struct ConversationSelectionTests {
    /// One selection made at one command of a transcript.
    struct Case: CustomTestStringConvertible, Sendable {
        var behaviour: String
        /// The reference of the command line in the transcript's channel.
        var command: Int64
        var selection: ConversationSelection
        var expected: Expected
        var maximumMessages = 200

        enum Expected: Sendable, Equatable {
            case lines([String])
            case refusal(String)
        }

        init(
            _ behaviour: String, at command: Int64, _ selection: ConversationSelection, maximum: Int = 200,
            lines: [String]
        ) {
            (self.behaviour, self.command, self.selection, self.expected, self.maximumMessages) =
                (behaviour, command, selection, .lines(lines), maximum)
        }

        init(
            _ behaviour: String, at command: Int64, _ selection: ConversationSelection, maximum: Int = 200,
            refusal: String
        ) {
            (self.behaviour, self.command, self.selection, self.expected, self.maximumMessages) =
                (behaviour, command, selection, .refusal(refusal), maximum)
        }

        var testDescription: String { behaviour }
    }

    /// Opted out: Mallory's IRC account and Zoe's Mattermost user id (any case).
    static let optedOut: Set<String> = ["mallory", "u-zoe"]

    static func outcome(
        of testCase: Case, in log: InMemoryLog, channel: String, trustsNicks: Bool = false, scanBudget: Int? = nil
    ) throws -> Case.Expected {
        var settings = WorkflowSettings.test(trustsNicks: trustsNicks)
        settings.maximumMessages = testCase.maximumMessages
        var selector = ConversationSelector(settings: settings)
        if let scanBudget { selector.scanBudget = scanBudget }
        let command = try #require(log.line(testCase.command, in: channel))
        switch try selector.select(testCase.selection, before: command, from: log) {
        case .selected(let lines):
            #expect(lines.allSatisfy { $0.message.channel == channel && $0.sequence < command.sequence })
            return .lines(InMemoryLog.shown(lines))
        case .refused(let why):
            return .refusal(why)
        }
    }

    // MARK: - IRC #team: a conversation across midnight, the bot, commands, an opted-out person

    static let team = """
        --- Day changed 2026-12-01
        @account=erin 200 22:05:00 <erin> !blog
        @msgid=m201;account=dave 201 22:10:03 <dave> anyone seen the staging cert expiry warning?
        @msgid=m202;+draft/reply=m201;account=erin 202 22:11:40 <erin> renewed it this morning, you can ignore it
        203 22:40:12 -!- frank has joined #team
        @msgid=m204;account=alice 204 23:41:05 <alice> shall we deploy on Friday?
        @msgid=m205;+draft/reply=m204;account=bob 205 23:42:30 <bob> only with a rollback plan
        @msgid=m206;account=carol 206 23:43:02 <carol> the invoice migration is not reversible
        @msgid=m207;account=alice 207 23:44:10 * alice sighs
        @msgid=m208 208 23:45:00 <threadpress> Draft 3 "Cert renewal" is open: approvers can !approve 3
        @msgid=m209;account=bob 209 23:46:20 <bob> !drafts
        @msgid=m210;account=Mallory 210 23:52:00 <mallory> Friday deploys are fine, ship it
        @msgid=m211;+draft/reply=m206;account=carol 211 23:59:41 <carol> then we need a feature flag instead
        --- Day changed 2026-12-02
        @msgid=m212;+draft/reply=m211;account=alice 212 00:03:15 <alice> agreed: flag first, deploy Friday after
        @msgid=m213;account=erin 213 00:05:12 <erin> Café rule: small deploys, often
        @msgid=m214;echo 214 00:07:30 <threadpress_> erin: there is no draft 9
        @msgid=m215;account=bob 215 00:08:02 <bob> !blog Flags before Friday
        @msgid=o1;account=dave #ops 204 00:09:00 <dave> ops: disk on db2 at 91%, deploy friday is off
        @msgid=m216;account=frank 216 00:30:00 <frank> is the build broken?
        @msgid=m217;account=dave 217 00:31:10 <dave> yes, my fault, reverting now
        @msgid=m218;account=frank 218 00:32:00 <frank> !blog about deploy friday
        @msgid=o2;account=erin #ops 205 00:32:30 <erin> ops: db2 cleaned up
        """

    /// The conversation from 23:41 to 00:05 as it is quoted.
    static let lateConversation = [
        "204 <alice> shall we deploy on Friday?",
        "205 <bob> only with a rollback plan",
        "206 <carol> the invoice migration is not reversible",
        "207 * alice sighs",
        "211 <carol> then we need a feature flag instead",
        "212 <alice> agreed: flag first, deploy Friday after",
        "213 <erin> Café rule: small deploys, often",
    ]

    static let teamCases: [Case] = [
        // The current conversation.
        Case(
            "current conversation runs across midnight, kept going by an opted-out person's line, without "
                + "the bot's lines, commands or the opted-out line", at: 215, .currentConversation,
            lines: lateConversation),
        Case(
            "current conversation stops at a silence of the gap", at: 218, .currentConversation,
            lines: ["216 <frank> is the build broken?", "217 <dave> yes, my fault, reverting now"]),
        Case(
            "current conversation keeps its most recent lines up to the maximum", at: 215, .currentConversation,
            maximum: 3,
            lines: [
                "211 <carol> then we need a feature flag instead", "212 <alice> agreed: flag first, deploy Friday after",
                "213 <erin> Café rule: small deploys, often",
            ]),
        Case(
            "current conversation before anything was said is refused", at: 200, .currentConversation,
            refusal: "there is no conversation before that command to promote"),

        // The last N lines.
        Case(
            "last N skips the bot's echoed line and commands", at: 218, .last(4),
            lines: [
                "212 <alice> agreed: flag first, deploy Friday after", "213 <erin> Café rule: small deploys, often",
                "216 <frank> is the build broken?", "217 <dave> yes, my fault, reverting now",
            ]),
        Case(
            "last N skips the opted-out person", at: 212, .last(2),
            lines: ["207 * alice sighs", "211 <carol> then we need a feature flag instead"]),
        Case(
            "last N before anything was said is refused", at: 200, .last(5),
            refusal: "there are no lines before that command to promote"),

        // Since a clock time.
        Case(
            "since a time later than the command's means yesterday, across midnight", at: 218, .since(hour: 23, minute: 55),
            lines: [
                "211 <carol> then we need a feature flag instead", "212 <alice> agreed: flag first, deploy Friday after",
                "213 <erin> Café rule: small deploys, often", "216 <frank> is the build broken?",
                "217 <dave> yes, my fault, reverting now",
            ]),
        Case(
            "since a time after midnight stays today", at: 218, .since(hour: 0, minute: 5),
            lines: [
                "213 <erin> Café rule: small deploys, often", "216 <frank> is the build broken?",
                "217 <dave> yes, my fault, reverting now",
            ]),
        Case(
            "since a time that starts on the opted-out line leaves it out", at: 212, .since(hour: 23, minute: 52),
            lines: ["211 <carol> then we need a feature flag instead"]),
        Case(
            "since with only the bot's line after it is refused", at: 215, .since(hour: 0, minute: 6),
            refusal: "nobody has said anything since 00:06"),
        Case(
            "since selecting more than the maximum is refused", at: 218, .since(hour: 23, minute: 0), maximum: 5,
            refusal: "that selects more than 5 lines; pick a later time or use last N"),

        // An explicit range of references.
        Case(
            "range leaves out the bot, the command and the opted-out line inside it", at: 218, .range(from: 204, to: 212),
            lines: Array(lateConversation.prefix(6))),
        Case(
            "range without an end runs up to the command, past another channel's lines", at: 218, .range(from: 209, to: nil),
            lines: [
                "211 <carol> then we need a feature flag instead", "212 <alice> agreed: flag first, deploy Friday after",
                "213 <erin> Café rule: small deploys, often", "216 <frank> is the build broken?",
                "217 <dave> yes, my fault, reverting now",
            ]),
        Case(
            "range of one line", at: 218, .range(from: 207, to: 207), lines: ["207 * alice sighs"]),
        Case(
            "range reaching past the command ends before it", at: 215, .range(from: 212, to: 217),
            lines: ["212 <alice> agreed: flag first, deploy Friday after", "213 <erin> Café rule: small deploys, often"]),
        Case(
            "range holding only the bot, a command and an opted-out line is refused", at: 218, .range(from: 208, to: 210),
            refusal:
                "there is nothing to quote from line 208 to 210 (commands, events, the bot's own lines and lines of people who opted out are never quoted)"
        ),
        Case(
            "range from the bot's echoed line up to the command is refused", at: 215, .range(from: 214, to: nil),
            refusal:
                "there is nothing to quote from line 214 up to this command (commands, events, the bot's own lines and lines of people who opted out are never quoted)"
        ),
        Case(
            "range from a reference that does not exist is refused", at: 218, .range(from: 999, to: nil),
            refusal: "there is no line 999 in #team; !log shows the references"),
        Case(
            "range to a reference that does not exist is refused", at: 218, .range(from: 204, to: 999),
            refusal: "there is no line 999 in #team; !log shows the references"),
        Case(
            "range starting after the command is refused", at: 215, .range(from: 216, to: 217),
            refusal: "line 216 is not before this command; a range ends at the command at the latest (!log shows the references)"),
        Case(
            "range starting at the command itself is refused", at: 200, .range(from: 200, to: nil),
            refusal: "line 200 is not before this command; a range ends at the command at the latest (!log shows the references)"),
        Case(
            "range holding more than the maximum is refused", at: 218, .range(from: 201, to: 217), maximum: 5,
            refusal: "there are more than 5 lines to quote from line 201 to 217, and a draft takes at most 5; pick a shorter range"),
        Case(
            "range holding exactly the maximum is taken", at: 218, .range(from: 211, to: 217), maximum: 5,
            lines: [
                "211 <carol> then we need a feature flag instead", "212 <alice> agreed: flag first, deploy Friday after",
                "213 <erin> Café rule: small deploys, often", "216 <frank> is the build broken?",
                "217 <dave> yes, my fault, reverting now",
            ]),

        // About some words.
        Case(
            "about takes the most recent conversation holding every word, whole", at: 218, .about(["deploy", "friday"]),
            lines: lateConversation),
        Case(
            "about matches without case or diacritics", at: 218, .about(["CAFE"]), lines: lateConversation),
        Case(
            "about finds an older conversation", at: 218, .about(["cert", "ignore"]),
            lines: [
                "201 <dave> anyone seen the staging cert expiry warning?",
                "202 <erin> renewed it this morning, you can ignore it",
            ]),
        Case(
            "about prefers the most recent conversation", at: 218, .about(["the"]),
            lines: ["216 <frank> is the build broken?", "217 <dave> yes, my fault, reverting now"]),
        Case(
            "about never matches an opted-out person's words", at: 218, .about(["ship"]),
            refusal: "nothing about “ship” in the last 18 lines of #team"),
        Case(
            "about never matches commands or the bot's lines", at: 218, .about(["approve"]),
            refusal: "nothing about “approve” in the last 18 lines of #team"),
        Case(
            "about needs every word in the same conversation", at: 218, .about(["rollback", "reverting"]),
            refusal: "nothing about “rollback reverting” in the last 18 lines of #team"),
        Case(
            "about a conversation longer than the maximum is refused with its references", at: 218, .about(["flag"]),
            maximum: 3,
            refusal:
                "the most recent conversation about “flag” (lines 204 to 213) holds more than 3 lines, and a draft takes at most 3; pick part of it with !blog from REF to REF"
        ),
        Case(
            "about before anything was said is refused", at: 200, .about(["deploy"]),
            refusal: "there are no lines before that command to look through"),
    ]

    @Test(arguments: teamCases)
    func selectsFromAnIRCChannelAcrossMidnight(_ testCase: Case) throws {
        var log = InMemoryLog(transcript: Self.team)
        log.optOuts = Self.optedOut
        #expect(try Self.outcome(of: testCase, in: log, channel: "#team") == testCase.expected)
    }

    // MARK: - IRC #dev: two interleaved reply chains

    static let dev = """
        --- Day changed 2026-12-03
        @msgid=d1;account=alice 301 09:00:05 <alice> the nightly import failed again
        @msgid=d2;account=bob 302 09:00:40 <bob> which table this time?
        @msgid=d3;+draft/reply=d1;account=carol 303 09:01:10 <carol> it failed on the invoices table
        @msgid=d4;account=dave 304 09:01:30 <dave> lunch at noon?
        @msgid=d5;+draft/reply=d4;account=erin 305 09:02:00 <erin> yes, the usual place
        @msgid=d6;+draft/reply=d3;account=alice 306 09:02:45 <alice> invoices again: the currency column is null
        @msgid=d7;+draft/reply=d5;account=bob 307 09:03:00 <bob> count me in for lunch
        @msgid=d8;+draft/reply=d6;account=mallory 308 09:03:20 <mallory> I broke it, sorry
        @msgid=d9;+draft/reply=d8;account=carol 309 09:04:00 <carol> no blame: we add a NOT NULL check
        @msgid=d10;+draft/reply=d1 310 09:04:30 <threadpress> Draft 4 "Import" is open
        @msgid=d11;+draft/reply=d10;account=dave 311 09:05:00 <dave> the bot was quick
        @msgid=d12;+draft/reply=d6;account=erin 312 09:05:20 <erin> !drafts
        @msgid=d13;+draft/reply=d5;account=dave 313 09:05:40 * dave waves from the usual place
        @msgid=d14;+draft/reply=d9;account=alice 314 09:06:00 <alice> !blog Invoice import
        @msgid=d15;+draft/reply=d6;account=bob 315 09:06:30 <bob> a late reply after the command
        @msgid=d16;+draft/reply=d7;account=erin 316 09:07:00 <erin> !blog Lunch
        @msgid=d17;+draft/reply=gone1;account=frank 317 09:08:00 <frank> replying to something from before I joined
        @msgid=d18;+draft/reply=d17;account=alice 318 09:08:30 <alice> me neither
        @msgid=d19;+draft/reply=d18;account=frank 319 09:09:00 <frank> !blog
        @msgid=d20;+draft/reply=nope;account=bob 320 09:09:30 <bob> !blog
        @msgid=c1;+draft/reply=c2;account=carol 321 09:10:00 <carol> a reply to a message that comes later
        @msgid=c2;+draft/reply=c1;account=dave 322 09:10:30 <dave> and a reply back to it
        @msgid=d23;+draft/reply=c2;account=carol 323 09:11:00 <carol> !blog
        @msgid=b1 330 09:12:00 <threadpress> Draft 5 "Lunch" is open
        @msgid=b2;+draft/reply=b1;account=erin 331 09:12:30 <erin> !preview 5
        @msgid=b3;+draft/reply=b1;account=erin 332 09:13:00 <erin> !blog
        """

    static let invoiceChain = [
        "301 <alice> the nightly import failed again",
        "303 <carol> it failed on the invoices table",
        "306 <alice> invoices again: the currency column is null",
        "309 <carol> no blame: we add a NOT NULL check",
        "311 <dave> the bot was quick",
    ]

    static let devCases: [Case] = [
        Case(
            "reply chain climbs to the root and takes the whole tree, through the opted-out and bot lines, "
                + "without the interleaved chain", at: 314, .replyChain(to: "d9"), lines: invoiceChain),
        Case(
            "reply chain from the root is the same tree", at: 314, .replyChain(to: "d1"), lines: invoiceChain),
        Case(
            "the interleaved reply chain is selected on its own, actions included", at: 316, .replyChain(to: "d7"),
            lines: [
                "304 <dave> lunch at noon?", "305 <erin> yes, the usual place", "307 <bob> count me in for lunch",
                "313 * dave waves from the usual place",
            ]),
        Case(
            "reply chain stops climbing at a message the log does not have", at: 319, .replyChain(to: "d18"),
            lines: ["317 <frank> replying to something from before I joined", "318 <alice> me neither"]),
        Case(
            "reply chain follows replies in time order only, so a loop ends", at: 323, .replyChain(to: "c2"),
            lines: ["321 <carol> a reply to a message that comes later", "322 <dave> and a reply back to it"]),
        Case(
            "reply to a message the log does not have is refused", at: 320, .replyChain(to: "nope"),
            refusal:
                "I don't have the message you replied to, so I cannot follow its reply chain; !blog from REF to REF works instead (!log shows the references)"
        ),
        Case(
            "reply to a message said after the command is refused", at: 314, .replyChain(to: "d15"),
            refusal:
                "I don't have the message you replied to, so I cannot follow its reply chain; !blog from REF to REF works instead (!log shows the references)"
        ),
        Case(
            "reply chain of only the bot and commands is refused", at: 332, .replyChain(to: "b1"),
            refusal:
                "that reply chain holds nothing to quote (commands, events, the bot's own lines and lines of people who opted out are never quoted)"
        ),
        Case(
            "reply chain longer than the maximum is refused", at: 314, .replyChain(to: "d9"), maximum: 4,
            refusal: "that reply chain holds more than 4 lines, and a draft takes at most 4; pick part of it with !blog from 301 to REF"),
        Case(
            "reply chain of exactly the maximum is taken", at: 314, .replyChain(to: "d9"), maximum: 5, lines: invoiceChain),
    ]

    @Test(arguments: devCases)
    func selectsInterleavedReplyChains(_ testCase: Case) throws {
        var log = InMemoryLog(transcript: Self.dev, channel: "#dev")
        log.optOuts = Self.optedOut
        #expect(try Self.outcome(of: testCase, in: log, channel: "#dev") == testCase.expected)
    }

    // MARK: - Mattermost town-square: a thread, and a silence across midnight

    static let townSquare = """
        --- Day changed 2026-12-04
        @msgid=p1;account=u-alice 401 23:30:00 <alice> postmortem thread for last night's outage, add what you saw
        @msgid=p2;thread=p1;account=u-bob 402 23:31:10 <bob> the load balancer dropped health checks at 02:10
        @msgid=p3;account=u-carol 403 23:32:00 <carol> unrelated: who has the projector key?
        @msgid=p4;thread=p1;account=U-Zoe 404 23:33:30 <zoe> I restarted it without telling anyone
        @msgid=p5;thread=p1;account=u-carol 405 23:35:00 <carol> !drafts
        @msgid=p6;thread=p1 406 23:36:00 <threadpress> Draft 7 "Outage" is open
        @msgid=p7;account=u-dave 407 23:40:00 <dave> the key is in the top drawer
        --- Day changed 2026-12-05
        @msgid=p8;thread=p1;account=u-erin 408 00:05:00 <erin> health checks now alert the on-call phone
        @msgid=p9;account=u-bob 409 00:06:00 <bob> good night all
        @msgid=p10;thread=p1;account=u-alice 410 00:07:00 <alice> !blog Outage postmortem
        @msgid=p11;account=u-dave 411 00:08:00 <dave> !blog
        """

    static let townSquareCases: [Case] = [
        Case(
            "thread takes its root and replies across midnight, without the channel around it, the bot, "
                + "commands or the opted-out person", at: 410, .thread(root: "p1"),
            lines: [
                "401 <alice> postmortem thread for last night's outage, add what you saw",
                "402 <bob> the load balancer dropped health checks at 02:10",
                "408 <erin> health checks now alert the on-call phone",
            ]),
        Case(
            "thread of only an opted-out person's post is refused", at: 411, .thread(root: "p4"),
            refusal: "there is nothing in this thread to promote yet"),
        Case(
            "current conversation stops at a silence across midnight", at: 411, .currentConversation,
            lines: ["408 <erin> health checks now alert the on-call phone", "409 <bob> good night all"]),
        Case(
            "since a time before midnight crosses the silence", at: 411, .since(hour: 23, minute: 35),
            lines: [
                "407 <dave> the key is in the top drawer", "408 <erin> health checks now alert the on-call phone",
                "409 <bob> good night all",
            ]),
        Case(
            "last N crosses the silence", at: 411, .last(3),
            lines: [
                "407 <dave> the key is in the top drawer", "408 <erin> health checks now alert the on-call phone",
                "409 <bob> good night all",
            ]),
        Case(
            "range leaves out the opted-out user id in any case", at: 411, .range(from: 401, to: 404),
            lines: [
                "401 <alice> postmortem thread for last night's outage, add what you saw",
                "402 <bob> the load balancer dropped health checks at 02:10",
                "403 <carol> unrelated: who has the projector key?",
            ]),
        Case(
            "about finds the conversation before the silence", at: 411, .about(["projector"]),
            lines: [
                "401 <alice> postmortem thread for last night's outage, add what you saw",
                "402 <bob> the load balancer dropped health checks at 02:10",
                "403 <carol> unrelated: who has the projector key?", "407 <dave> the key is in the top drawer",
            ]),
        Case(
            "about finds the conversation after the silence first", at: 411, .about(["health", "checks"]),
            lines: ["408 <erin> health checks now alert the on-call phone", "409 <bob> good night all"]),
    ]

    @Test(arguments: townSquareCases)
    func selectsFromAPlatformChannelWithThreads(_ testCase: Case) throws {
        var log = InMemoryLog(transcript: Self.townSquare, channel: "town-square")
        log.optOuts = Self.optedOut
        #expect(try Self.outcome(of: testCase, in: log, channel: "town-square") == testCase.expected)
    }

    // MARK: - A log file, where nicks are trusted: an opted-out nick in every form

    static let wiki = """
        --- Day changed 2026-12-06
        501 10:00:00 <ann> the wiki search is slow
        502 10:01:00 <Zoe> it is the new index, my bad
        503 10:02:00 <ben> rebuild it tonight?
        504 10:03:00 <ann> !blog
        """

    static let wikiCases: [Case] = [
        Case("current conversation leaves out the opted-out nick", at: 504, .currentConversation, lines: wikiQuoted),
        Case("last N leaves out the opted-out nick", at: 504, .last(5), lines: wikiQuoted),
        Case("since leaves out the opted-out nick", at: 504, .since(hour: 10, minute: 0), lines: wikiQuoted),
        Case("range leaves out the opted-out nick", at: 504, .range(from: 501, to: nil), lines: wikiQuoted),
        Case("about leaves out the opted-out nick", at: 504, .about(["wiki"]), lines: wikiQuoted),
        Case(
            "about never matches the opted-out nick's words", at: 504, .about(["index"]),
            refusal: "nothing about “index” in the last 3 lines of #wiki"),
        Case(
            "range of only the opted-out nick is refused", at: 504, .range(from: 502, to: 502),
            refusal:
                "there is nothing to quote from line 502 to 502 (commands, events, the bot's own lines and lines of people who opted out are never quoted)"
        ),
    ]

    static let wikiQuoted = ["501 <ann> the wiki search is slow", "503 <ben> rebuild it tonight?"]

    @Test(arguments: wikiCases)
    func leavesOutAnOptedOutNickWhereNicksAreTrusted(_ testCase: Case) throws {
        var log = InMemoryLog(transcript: Self.wiki, channel: "#wiki")
        log.optOuts = ["zoe"]
        #expect(try Self.outcome(of: testCase, in: log, channel: "#wiki", trustsNicks: true) == testCase.expected)
    }

    @Test func aNickIsNotAnOptedOutPersonWhereNicksAreNotTrusted() throws {
        var log = InMemoryLog(transcript: Self.wiki, channel: "#wiki")
        log.optOuts = ["zoe"]
        let testCase = Case(
            "", at: 504, .currentConversation,
            lines: ["501 <ann> the wiki search is slow", "502 <Zoe> it is the new index, my bad", "503 <ben> rebuild it tonight?"])
        #expect(try Self.outcome(of: testCase, in: log, channel: "#wiki", trustsNicks: false) == testCase.expected)
    }

    // MARK: - Through the workflow: the parser's forms reach the selector

    static func handled(_ line: String, log: inout InMemoryLog) throws -> [WorkflowAction] {
        log.add(transcript: "--- Day changed 2026-12-02\n" + line)
        let command = try #require(log.stored.last)
        return try DraftWorkflow(settings: .test(trustsNicks: false)).handle(command, log: log)
    }

    static func teamLog() -> InMemoryLog {
        var log = InMemoryLog(transcript: team)
        log.optOuts = optedOut
        return log
    }

    @Test func blogFromToWithATitleProposesTheRange() throws {
        var log = Self.teamLog()
        let actions = try Self.handled("@account=frank 219 00:33:00 <frank> !blog from 204 to 212 Flags first", log: &log)
        guard case .createDraft(let proposal) = try #require(actions.first) else {
            Issue.record("expected a draft, got \(actions)")
            return
        }
        #expect(proposal.title == "Flags first")
        #expect(InMemoryLog.shown(proposal.lines) == Array(Self.lateConversation.prefix(6)))
        #expect(proposal.authors == ["alice", "bob", "carol"])
    }

    @Test func blogAboutProposesTheConversation() throws {
        var log = Self.teamLog()
        let actions = try Self.handled("@account=frank 219 00:33:00 <frank> !blog about Deploy FRIDAY", log: &log)
        guard case .createDraft(let proposal) = try #require(actions.first) else {
            Issue.record("expected a draft, got \(actions)")
            return
        }
        #expect(proposal.title == "shall we deploy on Friday?")
        #expect(InMemoryLog.shown(proposal.lines) == Self.lateConversation)
        #expect(proposal.authors == ["alice", "bob", "carol", "erin"])
    }

    @Test(arguments: [
        ("@account=frank 219 00:33:00 <frank> !blog from 999", "frank: there is no line 999 in #team; !log shows the references"),
        (
            "@account=frank 219 00:33:00 <frank> !blog about kubernetes",
            "frank: nothing about “kubernetes” in the last 19 lines of #team"
        ),
    ])
    func blogFormsThatSelectNothingAnswerWithOneLine(_ line: String, _ answer: String) throws {
        var log = Self.teamLog()
        #expect(try Self.handled(line, log: &log) == [.reply(answer)])
    }

    @Test func aboutRefusalKeepsUntrustedWordsOnOneLine() throws {
        let log = Self.teamLog()
        let testCase = Case(
            "", at: 218, .about(["x\r\nPRIVMSG", "#team\u{0}:hi"]),
            refusal: "nothing about “x PRIVMSG #team :hi” in the last 18 lines of #team")
        #expect(try Self.outcome(of: testCase, in: log, channel: "#team") == testCase.expected)
    }

    // MARK: - Scan budgets

    static func longLog() -> InMemoryLog {
        var log = InMemoryLog()
        log.add((1...50).map { (Double($0) * 0.1, "alice", "line \($0)") })
        _ = log.say("bob", "!blog", atMinute: 6)
        return log
    }

    @Test func aboutSaysHowFarItLookedWhenTheBudgetRunsOut() throws {
        let log = Self.longLog()
        let testCase = Case("", at: 51, .about(["zebra"]), refusal: "nothing about “zebra” in the last 20 lines of #team")
        #expect(try Self.outcome(of: testCase, in: log, channel: "#team", scanBudget: 20) == testCase.expected)
    }

    @Test func aboutTakesWhatTheBudgetReachedOfAMatchingConversation() throws {
        let log = Self.longLog()
        let testCase = Case("", at: 51, .about(["line 4"]), lines: ["48 <alice> line 48", "49 <alice> line 49", "50 <alice> line 50"])
        #expect(try Self.outcome(of: testCase, in: log, channel: "#team", scanBudget: 3) == testCase.expected)
    }

    @Test func rangeLongerThanTheScanBudgetIsRefused() throws {
        let log = Self.longLog()
        let testCase = Case(
            "", at: 51, .range(from: 1, to: 50),
            refusal: "the range from line 1 to 50 spans more than 20 lines; pick a shorter one")
        #expect(try Self.outcome(of: testCase, in: log, channel: "#team", scanBudget: 20) == testCase.expected)
    }

    @Test func replyChainBeyondTheScanBudgetKeepsItsAncestors() throws {
        var log = InMemoryLog(transcript: Self.dev, channel: "#dev")
        log.optOuts = Self.optedOut
        let testCase = Case(
            "", at: 314, .replyChain(to: "d9"),
            lines: [
                "301 <alice> the nightly import failed again", "303 <carol> it failed on the invoices table",
                "306 <alice> invoices again: the currency column is null", "309 <carol> no blame: we add a NOT NULL check",
                "311 <dave> the bot was quick",
            ])
        // The window reaches back to 309 only: the root and the lines on the way to it come from the climb.
        #expect(try Self.outcome(of: testCase, in: log, channel: "#dev", scanBudget: 5) == testCase.expected)
    }

    // MARK: - Folding for about

    @Test(arguments: [
        ("Café", "cafe"), ("ÅLBORG", "alborg"), ("Ünïcödé", "unicode"), ("Cafe\u{301}", "cafe"), ("Øl", "ol"),
        ("Ελλάδα", "ελλαδα"), ("ǖ", "u"), ("straße", "straße"), ("plain ASCII 42", "plain ascii 42"),
    ])
    func foldsCaseAndDiacritics(_ input: String, _ folded: String) {
        #expect(SearchText.fold(input) == folded)
    }
}
