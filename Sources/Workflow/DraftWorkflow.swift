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

        case .blog(var selection, let title, let tags):
            // Said inside a platform thread, "the current conversation" is that thread.
            if selection == .currentConversation, let root = message.threadRoot, !root.isEmpty {
                selection = .thread(root: root)
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
            guard settings.isApprover(principal) else {
                return reply("only approvers can publish drafts, and \(principal) is not one")
            }
            guard let draft = try log.draft(number: number) else { return reply("there is no draft \(number)") }
            switch draft.state {
            case .open:
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
            guard settings.isApprover(principal) else {
                return reply("only approvers can moderate comments, and \(principal) is not one")
            }
            return [.moderateComment(id: id, action: action, requestedBy: nick)]

        case .replyToComment(let id, let text):
            guard let principal else { return reply(WorkflowText.unidentified) }
            guard settings.mayReply(principal) else {
                return reply("only approvers and the people in roles.repliers can answer comments, and \(principal) is not one")
            }
            return [.replyToComment(id: id, text: text, requestedBy: nick)]

        case .reject(let number):
            guard let principal else { return reply(WorkflowText.unidentified) }
            guard let draft = try log.draft(number: number) else { return reply("there is no draft \(number)") }
            let isPromoter = draft.promoterPrincipal.map { $0.lowercased() == principal.lowercased() } ?? false
            guard settings.isApprover(principal) || isPromoter else {
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
        }
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
