#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// `!draft`, `!ok`/`!redact`/`!forget` and `!role`: decided here, carried out by the runtime.
extension DraftWorkflow {
    func editDraft(
        _ number: Int64, _ edit: DraftEdit, principal: String?, nick: String, channel: String, log: some WorkflowQueries
    ) throws -> [WorkflowAction] {
        func reply(_ text: String) -> [WorkflowAction] { [.reply("\(nick): \(text)")] }
        guard let principal else { return reply(WorkflowText.unidentified) }
        guard let draft = try log.draft(number: number) else { return reply("there is no draft \(number)") }
        guard try roles(log).has(.approver, principal) || isPromoter(principal, of: draft) else {
            return reply("only approvers or whoever promoted draft \(number) can edit it")
        }
        switch draft.state {
        case .open: break
        case .publishing: return reply("draft \(number) is being published; edit it on the blog")
        case .published:
            return reply("draft \(number) is published; edit it on the blog: \(draft.reference?.editLocation ?? draft.reference?.location ?? "")")
        case .rejected: return reply("draft \(number) was rejected")
        }
        if draft.editedOnBlog {
            return reply(
                "draft \(number) was changed on the blog since I wrote it, so I leave it alone; edit it there: "
                    + (draft.reference?.editLocation ?? draft.reference?.location ?? "on the blog"))
        }
        let change: DraftChange
        let said: String
        switch edit {
        case .title(let title):
            change = .title(title)
            said = "draft \(number) is now titled \(WorkflowText.quoted(title))"
        case .intro(let intro):
            change = .intro(intro.isEmpty ? nil : intro)
            said = intro.isEmpty ? "draft \(number) has no intro now" : "draft \(number) has a new intro"
        case .tags(let tags):
            change = .tags(tags)
            said = tags.isEmpty ? "draft \(number) has no tags of its own now" : "draft \(number) is tagged " + tags.joined(separator: ", ")
        case .drop(let ranges):
            let lines = try log.storedLines(ofDraft: number)
            if let beyond = ranges.first(where: { $0.upperBound > lines.count }) {
                return reply("draft \(number) has \(lines.count) lines, so there is no line \(beyond.upperBound); \(settings.prefix)preview \(number) numbers them")
            }
            let remaining = lines.enumerated().filter { item in !ranges.contains { $0.contains(item.offset + 1) } }.map(\.element)
            guard !remaining.isEmpty else {
                return reply("that would leave draft \(number) empty; \(settings.prefix)reject \(number) discards it")
            }
            change = .lines(remaining)
            let dropped = lines.count - remaining.count
            said = "dropped \(dropped == 1 ? "1 line" : "\(dropped) lines") from draft \(number), \(remaining.count) left"
        case .add(let references):
            var lines = try log.storedLines(ofDraft: number)
            let optedOut = try log.optedOut()
            let selector = ConversationSelector(settings: settings)
            var added = 0
            for reference in references {
                guard let line = try log.message(in: draft.channel, reference: reference) else {
                    return reply("there is no line \(reference) in \(draft.channel); \(settings.prefix)log shows the references")
                }
                guard selector.isConversationLine(line.message) else {
                    return reply("line \(reference) is not conversation (a command, an event or my own line), so it can't be quoted")
                }
                if let who = line.message.sender.principal(trustingNicks: settings.trustsNicks)?.lowercased(), optedOut.contains(who) {
                    return reply("line \(reference) is by someone who opted out of being quoted")
                }
                if lines.contains(where: { $0.sequence == line.sequence }) { continue }
                lines.append(line)
                added += 1
            }
            guard added > 0 else { return reply("draft \(number) already has those lines") }
            guard lines.count <= settings.maximumMessages else {
                return reply("a draft takes at most \(settings.maximumMessages) lines")
            }
            change = .lines(lines.sorted { $0.sequence < $1.sequence })
            said = "added \(added == 1 ? "1 line" : "\(added) lines") to draft \(number), \(lines.count) in all"
        }
        return [
            .changeDraft(draft: number, change, requestedBy: nick), .rewriteDraft(draft: number, requestedBy: nick),
            .reply("\(nick): \(said)"),
        ]
    }

    func answerConsent(
        _ command: ChatCommand, number: Int64, principal: String?, nick: String, time: Date, log: some WorkflowQueries
    ) throws -> [WorkflowAction] {
        func reply(_ text: String) -> [WorkflowAction] { [.reply("\(nick): \(text)")] }
        guard let principal else { return reply(WorkflowText.unidentified) }
        let me = principal.lowercased()
        guard let draft = try log.draft(number: number) else { return reply("there is no draft \(number)") }
        let lines = try log.storedLines(ofDraft: number)
        let mine = lines.filter { $0.message.sender.principal(trustingNicks: settings.trustsNicks)?.lowercased() == me }
        guard !mine.isEmpty else { return reply("draft \(number) does not quote you") }
        let remaining = lines.filter { line in !mine.contains { $0.sequence == line.sequence } }
        switch command {
        case .consent:
            guard draft.state != .rejected else { return reply("draft \(number) was rejected") }
            var actions: [WorkflowAction] = [
                .recordConsent(draft: number, ConsentAnswer(principal: me, nick: nick, answer: .ok, time: time))
            ]
            // Under the pseudonymous policy, agreeing puts the real name on the blog.
            if settings.consentPolicy == .pseudonymous { actions.append(.rewriteDraft(draft: number, requestedBy: nick)) }
            actions.append(.reply("\(nick): thank you; draft \(number) quotes you by name"))
            return actions

        case .redact:
            switch draft.state {
            case .open: break
            case .publishing, .published:
                return reply("draft \(number) is already \(draft.state == .published ? "published" : "being published"); \(settings.prefix)forget \(number) takes your lines out of the post")
            case .rejected: return reply("draft \(number) was rejected, so nothing of yours will be published")
            }
            let answer = ConsentAnswer(principal: me, nick: nick, answer: .redacted, time: time)
            if remaining.isEmpty {
                return [
                    .recordConsent(draft: number, answer), .reject(draft: number, requestedBy: nick),
                    .reply("\(nick): draft \(number) only quoted you, so it is discarded"),
                ]
            }
            return [
                .recordConsent(draft: number, answer), .changeDraft(draft: number, .lines(remaining), requestedBy: nick),
                .rewriteDraft(draft: number, requestedBy: nick),
                .reply("\(nick): took your \(mine.count == 1 ? "line" : "\(mine.count) lines") out of draft \(number)"),
            ]

        default:  // .forget
            let answer = ConsentAnswer(principal: me, nick: nick, answer: .forgotten, time: time)
            var actions: [WorkflowAction] = [.recordConsent(draft: number, answer)]
            switch draft.state {
            case .open where remaining.isEmpty:
                actions.append(.reject(draft: number, requestedBy: nick))
            case .rejected:
                break
            default:
                actions += [
                    .changeDraft(draft: number, .lines(remaining), requestedBy: nick),
                    .rewriteDraft(draft: number, requestedBy: nick),
                ]
            }
            actions.append(.forgetMessages(mine.map(\.sequence)))
            let place = draft.state == .published ? "post \(number) on the blog" : "draft \(number)"
            actions.append(.reply("\(nick): your \(mine.count == 1 ? "line is" : "\(mine.count) lines are") taken out of \(place) and out of my log"))
            return actions
        }
    }

    func role(
        _ command: RoleCommand, principal: String?, nick: String, time: Date, log: some WorkflowQueries
    ) throws -> [WorkflowAction] {
        func reply(_ text: String) -> [WorkflowAction] { [.reply("\(nick): \(text)")] }
        let grants = try log.roleGrants()
        switch command {
        case .list:
            return reply(WorkflowText.roleList(settings: settings, grants: grants))
        case .add(let role, let who), .remove(let role, let who):
            guard let principal else { return reply(WorkflowText.unidentified) }
            guard RoleBook(settings: settings, grants: grants).has(.admin, principal) else {
                return reply("only admins can change roles, and \(principal) is not one")
            }
            let person = who.lowercased()
            let holders = Self.configured(role, settings: settings)
                .union(grants.filter { $0.role == role }.map(\.principal))
            if case .add = command {
                guard !holders.contains(person) else {
                    return reply("\(WorkflowText.unhighlighted(who)) is already \(WorkflowText.article(role)) \(role.rawValue)")
                }
                return [
                    .grantRole(RoleGrant(principal: person, role: role, grantedBy: nick, time: time)),
                    .reply("\(nick): \(WorkflowText.unhighlighted(who)) is now \(WorkflowText.article(role)) \(role.rawValue)"),
                ]
            }
            guard grants.contains(where: { $0.principal == person && $0.role == role }) else {
                if Self.configured(role, settings: settings).contains(person) {
                    return reply("\(WorkflowText.unhighlighted(who)) is \(WorkflowText.article(role)) \(role.rawValue) in the configuration file (roles); change it there")
                }
                return reply("\(WorkflowText.unhighlighted(who)) is not \(WorkflowText.article(role)) \(role.rawValue)")
            }
            return [
                .revokeRole(role, principal: person),
                .reply("\(nick): \(WorkflowText.unhighlighted(who)) is no longer \(WorkflowText.article(role)) \(role.rawValue)"),
            ]
        }
    }

    static func configured(_ role: RoleGrant.Role, settings: WorkflowSettings) -> Set<String> {
        switch role {
        case .approver: settings.approvers
        case .replier: Set(settings.repliers.map { $0.lowercased() })
        case .admin: Set(settings.admins.map { $0.lowercased() })
        }
    }
}
