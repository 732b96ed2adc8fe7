#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Picks the lines a `!blog` command promotes from the channel log.
///
/// Only conversation lines count: messages and actions, not events, not the bot's own lines, not
/// commands (to this bot or any other that uses the prefix).
public struct ConversationSelector {
    public var settings: WorkflowSettings

    public init(settings: WorkflowSettings) { self.settings = settings }

    public enum Outcome: Sendable, Hashable {
        case selected([StoredMessage])
        /// Nothing to promote, or too much; the text says why.
        case refused(String)
    }

    /// Whether a stored line can be part of a promoted conversation.
    public func isConversationLine(_ message: ChatMessage) -> Bool {
        message.isConversation && !message.isOwn
            && message.sender.nick.lowercased() != settings.botNick.lowercased()
            && !CommandParser(prefix: settings.prefix).looksLikeCommand(message.text)
    }

    public func select(
        _ selection: ConversationSelection, before command: StoredMessage, from log: some WorkflowQueries
    ) throws -> Outcome {
        let channel = command.message.channel
        let limit = settings.maximumMessages
        var chosen: [StoredMessage] = []  // newest first while collecting
        var cursor = command.sequence
        var scanned = 0
        let scanBudget = max(limit * 20, 2_000)
        let sinceDate = selection.sinceDate(before: command.message.time, in: settings.timeZone)

        paging: while scanned < scanBudget {
            let page = try log.messages(in: channel, before: cursor, limit: 500)
            if page.isEmpty { break }
            for candidate in page {
                scanned += 1
                cursor = candidate.sequence
                if let sinceDate, candidate.message.time < sinceDate { break paging }
                guard isConversationLine(candidate.message) else { continue }
                switch selection {
                case .currentConversation:
                    if let newer = chosen.last,
                        newer.message.time.timeIntervalSince(candidate.message.time) >= settings.conversationGap
                    {
                        break paging
                    }
                    if chosen.count == limit { break paging }
                case .last(let count):
                    if chosen.count == count { break paging }
                case .since:
                    if chosen.count == limit {
                        return .refused(
                            "that selects more than \(limit) lines; pick a later time or use last N")
                    }
                case .thread(let root):
                    let isRoot = candidate.message.networkID == root
                    guard isRoot || candidate.message.threadRoot == root else { continue }
                    if chosen.count == limit { break paging }
                    chosen.append(candidate)
                    if isRoot { break paging }
                    continue
                }
                chosen.append(candidate)
            }
        }
        guard !chosen.isEmpty else {
            switch selection {
            case .currentConversation: return .refused("there is no conversation before that command to promote")
            case .last: return .refused("there are no lines before that command to promote")
            case .since(let hour, let minute):
                return .refused("nobody has said anything since \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)")
            case .thread:
                return .refused("there is nothing in this thread to promote yet")
            }
        }
        return .selected(chosen.reversed())
    }
}

extension ConversationSelection {
    /// For `.since`: the latest moment at `hour:minute` in `timeZone` at or before `reference`.
    func sinceDate(before reference: Date, in timeZone: IANATimeZone) -> Date? {
        guard case .since(let hour, let minute) = self else { return nil }
        var local = timeZone.localTime(of: reference)
        local.hour = hour
        local.minute = minute
        local.second = 0
        guard let sameDay = timeZone.date(from: local) else { return nil }
        return sameDay <= reference ? sameDay : timeZone.date(from: local.addingDays(-1))
    }
}
