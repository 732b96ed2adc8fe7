import Foundation
import ThreadpressModel
import Workflow

/// A channel log and draft list in arrays, for feeding the workflow without a store.
struct InMemoryLog: WorkflowQueries {
    var stored: [StoredMessage] = []
    var draftRecords: [DraftRecord] = []

    static let start = Date(timeIntervalSince1970: 1_795_770_000)  // 2026-11-27 09:00 UTC

    /// Appends lines given as (minutes after start, nick, text).
    mutating func add(_ lines: [(Double, String, String)], channel: String = "#team") {
        for (minutes, nick, text) in lines {
            let message = ChatMessage(
                channel: channel, time: Self.start.addingTimeInterval(minutes * 60), sender: ChatIdentity(nick: nick),
                text: text)
            stored.append(StoredMessage(sequence: Int64(stored.count + 1), message: message))
        }
    }

    /// Appends a line and returns it as stored.
    mutating func say(_ nick: String, _ text: String, atMinute minutes: Double, account: String? = nil) -> StoredMessage {
        let message = ChatMessage(
            channel: "#team", time: Self.start.addingTimeInterval(minutes * 60),
            sender: ChatIdentity(nick: nick, account: account), text: text)
        let item = StoredMessage(sequence: Int64(stored.count + 1), message: message)
        stored.append(item)
        return item
    }

    func messages(in channel: String, before sequence: Int64, limit: Int) throws -> [StoredMessage] {
        Array(stored.filter { $0.message.channel == channel && $0.sequence < sequence }.reversed().prefix(limit))
    }

    func draft(number: Int64) throws -> DraftRecord? { draftRecords.first { $0.number == number } }

    var draftLines: [Int64: [Int64]] = [:]
    var answers: [Int64: [ConsentAnswer]] = [:]
    var optOuts: Set<String> = []
    var grants: [RoleGrant] = []

    func message(in channel: String, reference: Int64) throws -> StoredMessage? {
        stored.first { $0.message.channel == channel && $0.reference == reference }
    }

    func message(in channel: String, networkID: String) throws -> StoredMessage? {
        stored.first { $0.message.channel == channel && $0.message.networkID == networkID }
    }

    func storedLines(ofDraft number: Int64) throws -> [StoredMessage] {
        (draftLines[number] ?? []).compactMap { sequence in stored.first { $0.sequence == sequence } }
    }

    func consent(ofDraft number: Int64) throws -> [ConsentAnswer] { answers[number] ?? [] }

    func optedOut() throws -> Set<String> { optOuts }

    func roleGrants() throws -> [RoleGrant] { grants }

    func drafts(in states: Set<DraftState>) throws -> [DraftRecord] { draftRecords.filter { states.contains($0.state) } }

    mutating func addDraft(number: Int64, state: DraftState, promoter: String, title: String = "T") {
        draftRecords.append(
            DraftRecord(
                number: number, key: "tp-\(number)", channel: "#team", title: title, state: state,
                promoter: ChatIdentity(nick: promoter), promoterPrincipal: promoter, created: Self.start,
                messageCount: 3, authors: [promoter],
                reference: state == .published
                    ? PostReference(remoteID: "_posts/x.md", location: "_posts/x.md", slug: "x", status: .published) : nil))
    }
}

extension WorkflowSettings {
    static func test(trustsNicks: Bool = true, approvers: Set<String> = ["clark"]) -> WorkflowSettings {
        WorkflowSettings(
            prefix: "!", conversationGap: 15 * 60, maximumMessages: 200, approvers: approvers, botNick: "threadpress",
            trustsNicks: trustsNicks, timeZone: IANATimeZone(identifier: "UTC")!)
    }
}

extension InMemoryLog {
    /// A log recorded as a transcript, one line each, for selection tests:
    ///
    ///     --- Day changed 2026-12-01
    ///     @msgid=m205;+draft/reply=m204;account=bob 205 23:42:30 <bob> only with a rollback plan
    ///     207 23:44:10 * alice sighs
    ///     203 22:40:12 -!- frank has joined #team
    ///     #ops 204 00:09:00 <dave> a line in another channel
    ///
    /// Optional IRCv3-style tags first (`msgid`, `+draft/reply` or `+reply`, `account`, `thread` for a
    /// platform thread's root, `echo` for the bot's own line), then an optional channel (the default is
    /// `channel`), the line's reference, its UTC time and an irssi-style body: `<nick> text` is a
    /// message, `* nick text` an action, `-nick- text` a notice, `-!- nick …` an event.
    init(transcript: String, channel: String = "#team") {
        self.init()
        add(transcript: transcript, channel: channel)
    }

    mutating func add(transcript: String, channel defaultChannel: String = "#team") {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var day = DateComponents(year: 2026, month: 12, day: 1)
        for rawLine in transcript.split(separator: "\n") {
            var rest = rawLine.trimmingCharacters(in: .whitespaces)[...]
            if rest.isEmpty { continue }
            if rest.hasPrefix("--- Day changed ") {
                let date = rest.split(separator: " ").last!.split(separator: "-").map { Int($0)! }
                day = DateComponents(year: date[0], month: date[1], day: date[2])
                continue
            }
            func word() -> Substring {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                defer { rest = rest[end...].drop { $0 == " " } }
                return rest[..<end]
            }
            var tags: [String: String] = [:]
            if rest.hasPrefix("@") {
                for tag in word().dropFirst().split(separator: ";") {
                    let parts = tag.split(separator: "=", maxSplits: 1)
                    tags[String(parts[0])] = parts.count == 2 ? String(parts[1]) : ""
                }
            }
            var channel = defaultChannel
            if rest.hasPrefix("#") { channel = String(word()) }
            let reference = Int64(word())!
            let clock = word().split(separator: ":").map { Int($0)! }
            var components = day
            (components.hour, components.minute, components.second) = (clock[0], clock[1], clock[2])
            let time = calendar.date(from: components)!

            let kind: ChatMessageKind
            let nick: String
            let text: String
            if rest.hasPrefix("<") {
                kind = .message
                nick = String(word().dropFirst().dropLast())
                text = String(rest)
            } else if rest.hasPrefix("-!- ") {
                kind = .event
                _ = word()
                nick = String(rest.prefix { $0 != " " })
                text = String(rest)
            } else if rest.hasPrefix("* ") {
                kind = .action
                _ = word()
                nick = String(word())
                text = String(rest)
            } else {
                kind = .notice
                nick = String(word().dropFirst().dropLast())
                text = String(rest)
            }
            let message = ChatMessage(
                channel: channel, time: time, sender: ChatIdentity(nick: nick, account: tags["account"]), kind: kind,
                text: text, networkID: tags["msgid"], replyTo: tags["+draft/reply"] ?? tags["+reply"],
                threadRoot: tags["thread"], isOwn: tags["echo"] != nil)
            stored.append(StoredMessage(sequence: Int64(stored.count + 1), message: message, reference: reference))
        }
    }

    /// The line `reference` of `channel`.
    func line(_ reference: Int64, in channel: String = "#team") -> StoredMessage? {
        stored.first { $0.message.channel == channel && $0.reference == reference }
    }

    /// Lines as a transcript shows them (`205 <bob> only with a rollback plan`, `207 * alice sighs`),
    /// for writing expected selections out.
    static func shown(_ lines: [StoredMessage]) -> [String] {
        lines.map { line in
            switch line.message.kind {
            case .action: "\(line.reference) * \(line.message.sender.nick) \(line.message.text)"
            default: "\(line.reference) <\(line.message.sender.nick)> \(line.message.text)"
            }
        }
    }
}
