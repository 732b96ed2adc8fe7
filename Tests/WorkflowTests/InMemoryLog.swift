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
