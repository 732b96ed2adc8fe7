#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// The words the bot says. Every piece of untrusted text is folded onto one line here; transports
/// still make the whole line safe for their wire.
public enum WorkflowText {
    public static let unidentified =
        "I can't tell who you are: log in to your account (services/SASL) and try again"

    public static func quoted(_ title: String) -> String { "\"\(ChatReply.oneLine(title))\"" }

    /// Reply to a successful `!blog`.
    public static func draftCreated(number: Int64, proposal: DraftProposal, prefix: String) -> String {
        let who = proposal.authors.map(unhighlighted).joined(separator: ", ")
        let lines = proposal.lines.count == 1 ? "1 line" : "\(proposal.lines.count) lines"
        return "\(proposal.promoter.nick): draft \(number) \(quoted(proposal.title)): \(lines) from \(who). "
            + "An approver can publish it with \(prefix)approve \(number)"
    }

    /// Reply to a `!blog` line that was already turned into a draft (read twice, or sent twice).
    public static func alreadyDraft(_ draft: DraftRecord, requestedBy nick: String) -> String {
        "\(nick): that is already draft \(draft.number) \(quoted(draft.title))"
    }

    /// A title from the first line when none was given.
    public static func defaultTitle(for lines: [StoredMessage]) -> String {
        let first = lines.first.map { ChatReply.oneLine($0.message.text) } ?? ""
        let title = ChatTextNormalizer.title(first, maximumLength: 60)
        return title.isEmpty ? "Conversation" : title
    }

    /// The `!drafts` answer.
    public static func draftList(_ drafts: [DraftRecord]) -> String {
        guard !drafts.isEmpty else { return "no open drafts" }
        let shown = drafts.prefix(10).map { draft in
            let state = draft.state == .publishing ? ", publishing" : ""
            return "\(draft.number) \(quoted(draft.title)) (\(draft.messageCount) lines by \(unhighlighted(draft.promoter.nick))\(state))"
        }
        let more = drafts.count > 10 ? "; and \(drafts.count - 10) more" : ""
        return "open drafts: " + shown.joined(separator: "; ") + more
    }

    /// The `!help` answer, generated from ``CommandTable``.
    public static func help(topic: String?, prefix: String) -> String {
        if let topic {
            guard let specification = CommandTable.specification(named: topic) else {
                return "no command \(prefix)\(ChatReply.oneLine(topic).prefix(30)); try \(prefix)help"
            }
            return "\(CommandTable.usage(of: specification, prefix: prefix)): \(specification.summary)"
        }
        let names = CommandTable.all.map { prefix + $0.name }.joined(separator: ", ")
        return "commands: \(names). \(prefix)help <command> explains one"
    }

    /// Said when the blog confirms a publish.
    /// Said when the blog has the draft and a place to edit it (WordPress).
    public static func draftWritten(number: Int64, editLocation: String, requestedBy: String) -> String {
        "\(requestedBy): draft \(number) is on the blog; edit it at \(ChatReply.oneLine(editLocation))"
    }

    /// Said when the blog accepted a scheduled publish.
    public static func scheduled(
        number: Int64, title: String, at date: Date, timeZone: IANATimeZone, location: String, requestedBy: String
    ) -> String {
        let c = timeZone.localTime(of: date)
        let time = WallClockTime(year: c.year, month: c.month, day: c.day, hour: c.hour, minute: c.minute)
        return "\(requestedBy): scheduled draft \(number) \(quoted(title)) for \(time) (\(zoneName(timeZone))): \(location)"
    }

    /// A zone's IANA name, with Foundation's "GMT" for UTC written as people configure it.
    public static func zoneName(_ zone: IANATimeZone) -> String { zone.identifier == "GMT" ? "UTC" : zone.identifier }

    public static func published(number: Int64, title: String, location: String, requestedBy: String) -> String {
        "\(requestedBy): published draft \(number) \(quoted(title)): \(location)"
    }

    /// Said when a blog operation failed.
    public static func blogFailure(
        operation: String, number: Int64, error: String, willRetry: Bool, conflict: Bool = false, requestedBy: String
    ) -> String {
        let tail = willRetry
            ? "; it is queued and I'll keep trying"
            : conflict ? "; someone changed it in the blog, so I left it as it is" : "; giving up on it"
        return "\(requestedBy): could not \(operation) draft \(number) on the blog: \(ChatReply.oneLine(error))\(tail)"
    }

    /// The announcement of a new comment, pingback or trackback.
    public static func commentAnnouncement(_ comment: BlogComment, postTitle: String, excerptLength: Int) -> String {
        // A reader's name may be a colleague's nick: mentioned in passing, it must not highlight them.
        let name = unhighlighted(ChatTextNormalizer.excerpt(comment.authorName, maximumLength: 40))
        let text = ChatTextNormalizer.excerpt(comment.text, maximumLength: excerptLength)
        // The id is what `!comment` and `!reply` take; the link is where to read it in full.
        let tail = " [#\(ChatReply.oneLine(comment.id))" + (comment.link.map { " \(ChatReply.oneLine($0))" } ?? "") + "]"
        switch comment.kind {
        case .comment: return "new comment on \(quoted(postTitle)) by \(name): \(text)" + tail
        case .pingback: return "pingback on \(quoted(postTitle)) from \(name): \(text)" + tail
        case .trackback: return "trackback on \(quoted(postTitle)) from \(name): \(text)" + tail
        }
    }

    /// One line for the comments beyond a poll's announcement limit.
    public static func commentSummary(_ comments: [BlogComment]) -> String {
        var titles: [String] = []
        for comment in comments {
            let title = comment.postTitle.map { quoted($0) } ?? "a post"
            if !titles.contains(title) { titles.append(title) }
        }
        let shown = titles.prefix(3).joined(separator: ", ") + (titles.count > 3 ? " and \(titles.count - 3) more posts" : "")
        let noun = comments.count == 1 ? "comment" : "comments"
        return "…and \(comments.count) more new \(noun) on \(shown); read them on the blog"
    }

    /// One line telling approvers that comments wait for moderation (their text is never shown).
    public static func heldComments(newly: [String], total: Int, prefix: String) -> String {
        let noun = newly.count == 1 ? "comment awaits" : "comments await"
        let waiting = total > newly.count ? " (\(total) waiting in all)" : ""
        let ids = newly.prefix(10).map { "#" + ChatReply.oneLine($0) }.joined(separator: ", ") + (newly.count > 10 ? ", …" : "")
        return "\(newly.count) new \(noun) moderation on the blog (\(ids))\(waiting); approvers: "
            + "\(prefix)comment approve ID, or the blog's admin"
    }

    /// Said once when a person sends commands faster than the limit.
    public static func slowDown(nick: String, retryAfterSeconds: Int) -> String {
        "\(nick): slow down: too many commands; I'll ignore yours for \(retryAfterSeconds) s"
    }

    /// Said when the blog carried out `!comment ACTION ID`.
    public static func commentModerated(id: String, action: CommentModeration, requestedBy: String) -> String {
        let done: String
        switch action {
        case .approve: done = "approved"
        case .spam: done = "marked as spam"
        case .trash: done = "moved to the trash"
        }
        return "\(requestedBy): comment \(id) \(done)"
    }

    /// Said when the blog took a `!reply`.
    public static func commentAnswered(id: String, link: String?, requestedBy: String) -> String {
        "\(requestedBy): replied to comment \(id)" + (link.map { ": \(ChatReply.oneLine($0))" } ?? "")
    }

    /// Said when a moderation or reply failed.
    public static func commentActionFailed(id: String, error: String, willRetry: Bool, requestedBy: String) -> String {
        "\(requestedBy): could not act on comment \(id): \(ChatReply.oneLine(error))"
            + (willRetry ? "; it is queued and I'll keep trying" : "; giving up on it")
    }

    /// A name written so that it does not highlight its owner in chat clients (a zero-width joiner
    /// after the first character): for names mentioned in passing, never for the person addressed.
    public static func unhighlighted(_ nick: String) -> String {
        let name = ChatReply.oneLine(nick)
        guard name.count > 1 else { return name }
        return String(name.prefix(1)) + "\u{200D}" + String(name.dropFirst())
    }

    static func article(_ role: RoleGrant.Role) -> String { role == .approver || role == .admin ? "an" : "a" }

    /// `HH:MM` in `zone`.
    public static func clock(_ date: Date, in zone: IANATimeZone) -> String {
        let c = zone.localTime(of: date)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return two(c.hour) + ":" + two(c.minute)
    }

    /// One `!log` line: reference, time, speaker (not highlighted), text.
    public static func logLine(_ line: StoredMessage, timeZone: IANATimeZone) -> String {
        let text = ChatTextNormalizer.excerpt(line.message.text, maximumLength: 300)
        let who = unhighlighted(line.message.sender.nick)
        let said = line.message.kind == .action ? "* \(who) \(text)" : "\(who): \(text)"
        return "\(line.reference) \(clock(line.message.time, in: timeZone)) \(said)"
    }

    /// One `!preview` line: its number in the draft (what `!draft N drop` takes), time, speaker, text.
    public static func previewLine(_ position: Int, _ line: StoredMessage, timeZone: IANATimeZone) -> String {
        let text = ChatTextNormalizer.excerpt(line.message.text, maximumLength: 300)
        let who = unhighlighted(line.message.sender.nick)
        let said = line.message.kind == .action ? "* \(who) \(text)" : "\(who): \(text)"
        return "\(position). \(clock(line.message.time, in: timeZone)) \(said)"
    }

    /// The first line of `!preview N`: title, state, size, and where each quoted person stands.
    public static func previewHeader(_ draft: DraftRecord, lineCount: Int, consent: DraftConsent) -> String {
        var parts = ["draft \(draft.number) \(quoted(draft.title)) (\(draft.state.rawValue), \(lineCount == 1 ? "1 line" : "\(lineCount) lines"))"]
        if !draft.tags.isEmpty { parts.append("tags: " + draft.tags.joined(separator: ", ")) }
        if let intro = draft.intro { parts.append("intro: " + ChatTextNormalizer.excerpt(intro, maximumLength: 80)) }
        let pseudonyms = consent.pseudonyms
        let people = consent.people.map { person -> String in
            var state: String
            switch person.answer {
            case .ok: state = "agreed"
            case .redacted, .forgotten: state = "withdrew"
            case nil:
                state = person.principal == nil ? "cannot answer (not identified)" : (consent.policy == .ask ? "not answered" : "")
            }
            if let pseudonym = pseudonyms[person.nick] { state += (state.isEmpty ? "" : ", ") + "shown as \(pseudonym)" }
            return unhighlighted(person.nick) + (state.isEmpty ? "" : " (\(state))")
        }
        parts.append("quotes " + (people.isEmpty ? "nobody" : people.joined(separator: ", ")))
        parts.append("consent: \(consent.policy.rawValue)")
        if let override = draft.consentOverride {
            parts.append("overridden by \(unhighlighted(override.approver)): \(ChatReply.oneLine(override.reason))")
        }
        return parts.joined(separator: "; ")
    }

    /// Why `!approve N` waits under the `ask` policy.
    public static func consentPending(number: Int64, _ pending: [DraftConsent.Person], prefix: String) -> String {
        let names = pending.prefix(10).map { unhighlighted($0.nick) + ($0.principal == nil ? " (not identified)" : "") }
            .joined(separator: ", ") + (pending.count > 10 ? " and \(pending.count - 10) more" : "")
        return "draft \(number) waits for consent from \(names): each answers \(prefix)ok \(number) (or \(prefix)redact \(number)); "
            + "an approver may \(prefix)override \(number) with a reason"
    }

    /// `!role list`.
    public static func roleList(settings: WorkflowSettings, grants: [RoleGrant]) -> String {
        var parts: [String] = []
        for role in RoleGrant.Role.allCases {
            let configured = DraftWorkflow.configured(role, settings: settings).sorted().map(unhighlighted)
            let given = grants.filter { $0.role == role }.map {
                "\(unhighlighted($0.principal)) (added by \(unhighlighted($0.grantedBy)))"
            }
            let all = configured + given
            parts.append("\(role.rawValue)s: " + (all.isEmpty ? "none" : all.joined(separator: ", ")))
        }
        return parts.joined(separator: "; ")
    }
}
