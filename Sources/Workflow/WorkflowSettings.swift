#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// The knobs of the draft workflow, taken from the configuration and the transport.
public struct WorkflowSettings: Sendable, Hashable {
    public var prefix: String
    /// A silence at least this long ends a conversation.
    public var conversationGap: TimeInterval
    /// The most lines one draft takes.
    public var maximumMessages: Int
    /// Principals (accounts, or nicks on transports that trust nicks), compared case-insensitively.
    public var approvers: Set<String>
    /// The bot's own nick: its lines are never promoted.
    public var botNick: String
    /// Whether the transport's nicks identify people (log files only).
    public var trustsNicks: Bool
    /// Where wall-clock times (`since HH:MM`, times in replies) are read.
    public var timeZone: IANATimeZone
    /// Principals who may answer blog comments with `!reply` (approvers may too).
    public var repliers: Set<String> = []

    public init(
        prefix: String = "!", conversationGap: TimeInterval = 15 * 60, maximumMessages: Int = 200,
        approvers: Set<String>, botNick: String = "threadpress", trustsNicks: Bool, timeZone: IANATimeZone
    ) {
        self.prefix = prefix
        self.conversationGap = conversationGap
        self.maximumMessages = maximumMessages
        self.approvers = Set(approvers.map { $0.lowercased() })
        self.botNick = botNick
        self.trustsNicks = trustsNicks
        self.timeZone = timeZone
    }

    public func mayReply(_ principal: String?) -> Bool {
        guard let principal else { return false }
        return isApprover(principal) || repliers.contains(principal.lowercased())
    }

    public func isApprover(_ principal: String?) -> Bool {
        guard let principal else { return false }
        return approvers.contains(principal.lowercased())
    }
}
