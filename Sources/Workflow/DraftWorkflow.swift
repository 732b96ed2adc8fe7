#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// The bot's command handling: a chat line goes in, ``WorkflowAction``s come out. No I/O.
///
/// ```swift
/// let workflow = DraftWorkflow(settings: settings)
/// let actions = try workflow.handle(storedMessage, log: transaction)
/// ```
public struct DraftWorkflow: Sendable {
    public var settings: WorkflowSettings
    public var parser: CommandParser

    public init(settings: WorkflowSettings) {
        self.settings = settings
        self.parser = CommandParser(prefix: settings.prefix, maximumMessages: settings.maximumMessages)
    }

    /// Decides what a stored line asks for. Lines that are not commands for this bot give no actions.
    public func handle(_ stored: StoredMessage, log: some WorkflowQueries) throws -> [WorkflowAction] {
        let message = stored.message
        // The cheap test first: almost every line is not a command.
        guard parser.looksLikeCommand(message.text), message.kind == .message, !message.isOwn,
            message.sender.nick.lowercased() != settings.botNick.lowercased(),
            let command = parser.parse(message.text)
        else { return [] }
        let nick = message.sender.nick
        let principal = message.sender.principal(trustingNicks: settings.trustsNicks)
        func reply(_ text: String) -> [WorkflowAction] { [.reply("\(nick): \(text)")] }

        switch command {
        case .invalid(_, let problem):
            return reply(problem)

        case .help(let topic):
            return reply(WorkflowText.help(topic: topic, prefix: settings.prefix))

        case .drafts:
            let open = try log.drafts(in: [.open, .publishing])
            return reply(WorkflowText.draftList(open))

        case .blog where isPrivateQuery(message):
            return reply("a private query has no conversation to promote; say \(settings.prefix)blog in the channel")

        case .blog(var selection, let title, let tags):
            // Said inside a platform thread, "the current conversation" is that thread; said as a
            // reply, it is the reply chain.
            if selection == .currentConversation, let root = message.threadRoot, !root.isEmpty {
                selection = .thread(root: root)
            } else if selection == .currentConversation, let parent = message.replyTo, !parent.isEmpty {
                selection = .replyChain(to: parent)
            }
            let outcome = try ConversationSelector(settings: settings).select(selection, before: stored, from: log)
            switch outcome {
            case .refused(let why):
                return reply(why)
            case .selected(let lines):
                var authors: [String] = []
                for line in lines where !authors.contains(line.message.sender.nick) {
                    authors.append(line.message.sender.nick)
                }
                let chosenTitle = title ?? WorkflowText.defaultTitle(for: lines)
                return [
                    .createDraft(
                        DraftProposal(
                            key: DraftKey.make(for: stored), title: chosenTitle, lines: lines, authors: authors,
                            promoter: message.sender, promoterPrincipal: principal, tags: tags))
                ]
            }

        case .approve(let number, let time):
            guard let principal else { return reply(WorkflowText.unidentified) }
            guard try roles(log).has(.approver, principal) else {
                return reply("only approvers can publish drafts, and \(principal) is not one")
            }
            guard let draft = try log.draft(number: number) else { return reply("there is no draft \(number)") }
            switch draft.state {
            case .open:
                if draft.consentOverride == nil {
                    let consent = try self.consent(of: draft, log: log)
                    if !consent.pending.isEmpty {
                        return reply(WorkflowText.consentPending(number: number, consent.pending, prefix: settings.prefix))
                    }
                }
                guard let time else { return [.approve(draft: number, requestedBy: nick)] }
                guard let instant = time.instant(in: settings.timeZone) else {
                    return reply("there is no \(time) in the calendar")
                }
                guard instant > message.time else {
                    return reply("\(time) (\(WorkflowText.zoneName(settings.timeZone))) has passed; to publish now, use \(settings.prefix)approve \(number)")
                }
                return [.approve(draft: number, requestedBy: nick, at: instant)]
            case .publishing: return reply("draft \(number) is already being published")
            case .published:
                return reply("draft \(number) is already published: \(draft.reference?.location ?? "on the blog")")
            case .rejected: return reply("draft \(number) was rejected; promote the conversation again to start over")
            }

        case .moderateComment(let id, let action):
            guard let principal else { return reply(WorkflowText.unidentified) }
            guard try roles(log).has(.approver, principal) else {
                return reply("only approvers can moderate comments, and \(principal) is not one")
            }
            return [.moderateComment(id: id, action: action, requestedBy: nick)]

        case .replyToComment(let id, let text):
            guard let principal else { return reply(WorkflowText.unidentified) }
            guard try roles(log).has(.replier, principal) else {
                return reply("only approvers and repliers can answer comments, and \(principal) is not one")
            }
            return [.replyToComment(id: id, text: text, requestedBy: nick)]

        case .reject(let number):
            guard let principal else { return reply(WorkflowText.unidentified) }
            guard let draft = try log.draft(number: number) else { return reply("there is no draft \(number)") }
            guard try roles(log).has(.approver, principal) || isPromoter(principal, of: draft) else {
                return reply("only approvers or whoever promoted draft \(number) can reject it")
            }
            switch draft.state {
            case .open:
                return [
                    .reject(draft: number, requestedBy: nick),
                    .reply("\(nick): rejected draft \(number) \(WorkflowText.quoted(draft.title))"),
                ]
            case .publishing: return reply("draft \(number) is being published and can no longer be rejected")
            case .published:
                return reply("draft \(number) is already published; remove it on the blog if it must go")
            case .rejected: return reply("draft \(number) was already rejected")
            }

        case .log(let count):
            // In a private query (IRC gives it the asker's nick as its channel), the log asked for
            // is the team channel's.
            let channel = isPrivateQuery(message) ? settings.homeChannel ?? message.channel : message.channel
            let lines = try log.messages(in: channel, before: stored.sequence, limit: count)
                .filter { $0.message.isConversation }.reversed()
            guard !lines.isEmpty else { return reply("nothing has been said here yet") }
            return longOutput(
                header: "the last \(lines.count == 1 ? "line" : "\(lines.count) lines") with their references "
                    + "(\(settings.prefix)blog from REF to REF):",
                lines: lines.map { WorkflowText.logLine($0, timeZone: settings.timeZone) }, to: nick, keepNewest: true)

        case .preview(let number):
            guard let draft = try log.draft(number: number) else { return reply("there is no draft \(number)") }
            let lines = try log.storedLines(ofDraft: number)
            let consent = DraftConsent(
                policy: settings.consentPolicy, lines: lines.map(\.message), answers: try log.consent(ofDraft: number),
                trustsNicks: settings.trustsNicks)
            return longOutput(
                header: WorkflowText.previewHeader(draft, lineCount: lines.count, consent: consent),
                lines: lines.enumerated().map { WorkflowText.previewLine($0.offset + 1, $0.element, timeZone: settings.timeZone) },
                to: nick)

        case .editDraft(let number, let edit):
            return try editDraft(number, edit, principal: principal, nick: nick, channel: message.channel, log: log)

        case .consent(let number), .redact(let number), .forget(let number):
            return try answerConsent(command, number: number, principal: principal, nick: nick, time: message.time, log: log)

        case .overrideConsent(let number, let reason):
            guard let principal else { return reply(WorkflowText.unidentified) }
            guard try roles(log).has(.approver, principal) else {
                return reply("only approvers can override consent, and \(principal) is not one")
            }
            guard let draft = try log.draft(number: number) else { return reply("there is no draft \(number)") }
            guard draft.state == .open else { return reply("draft \(number) is not open, so there is nothing to override") }
            return [
                .overrideConsent(draft: number, ConsentOverride(approver: nick, reason: reason, time: message.time)),
                .reply("\(nick): draft \(number) may be published without everyone's consent, because: \(reason)"),
            ]

        case .optOut, .optIn:
            guard let principal else { return reply(WorkflowText.unidentified) }
            let out = command == .optOut
            return [
                .setOptedOut(principal: principal.lowercased(), nick: nick, optedOut: out),
                .reply(
                    out
                        ? "\(nick): your lines will not be quoted in new drafts; \(settings.prefix)redact N takes them out of an existing one"
                        : "\(nick): your lines may be quoted again"),
            ]

        case .role(let roleCommand):
            return try role(roleCommand, principal: principal, nick: nick, time: message.time, log: log)
        }
    }

    /// A command said to the bot privately: transports give a query the asker's nick as its channel.
    func isPrivateQuery(_ message: ChatMessage) -> Bool {
        message.channel.lowercased() == message.sender.nick.lowercased()
    }

    /// Roles from the configuration plus those given in chat.
    func roles(_ log: some WorkflowQueries) throws -> RoleBook {
        RoleBook(settings: settings, grants: try log.roleGrants())
    }

    func isPromoter(_ principal: String, of draft: DraftRecord) -> Bool {
        draft.promoterPrincipal.map { $0.lowercased() == principal.lowercased() } ?? false
    }

    func consent(of draft: DraftRecord, log: some WorkflowQueries) throws -> DraftConsent {
        DraftConsent(
            policy: settings.consentPolicy, lines: try log.storedLines(ofDraft: draft.number).map(\.message),
            answers: try log.consent(ofDraft: draft.number), trustsNicks: settings.trustsNicks)
    }

    /// Output of many lines: privately where the transport can (after a one-line note in the
    /// channel), otherwise the newest few in the channel and a note of what was left out.
    func longOutput(header: String, lines: [String], to nick: String, keepNewest: Bool = false) -> [WorkflowAction] {
        if settings.privateReplies {
            return [
                .replyPrivately([header] + lines),
                .reply("\(nick): sent you \(lines.count == 1 ? "1 line" : "\(lines.count) lines") privately"),
            ]
        }
        let room = max(settings.channelLineBudget - 1, 1)
        guard lines.count > room else { return [.reply("\(nick): \(header)")] + lines.map { .reply($0) } }
        let shown = keepNewest ? Array(lines.suffix(room)) : Array(lines.prefix(room))
        return [.reply("\(nick): \(header)")] + shown.map { .reply($0) } + [
            .reply("…and \(lines.count - room) more, not shown: this chat has no private messages, so long output is cut")
        ]
    }
}

/// Derives the stable `threadpress_id` of a draft from the command that promoted it, so that the
/// same command read again (even into a fresh store) names the same post.
public enum DraftKey {
    public static func make(for command: StoredMessage) -> String {
        let m = command.message
        let material = [
            m.channel, String(Int64((m.time.timeIntervalSince1970 * 1000).rounded())), m.sender.nick,
            m.networkID ?? "", m.text,
        ].joined(separator: "\u{1F}")
        return "tp-" + hex(fnv1a(material, basis: 0xcbf2_9ce4_8422_2325)) + hex(fnv1a(material, basis: 0x6c62_272e_07bb_0142))
    }

    private static func fnv1a(_ text: String, basis: UInt64) -> UInt64 {
        var hash = basis
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
