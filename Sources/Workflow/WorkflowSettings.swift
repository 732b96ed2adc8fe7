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
    /// Principals who may change roles at run time (`!role`); from `roles.admins`.
    public var admins: Set<String> = []
    /// What quoted people must agree to before a draft is published (`consent.policy`).
    public var consentPolicy: ConsentPolicy = .open
    /// Whether the transport can answer one person privately (long output goes there).
    public var privateReplies = false
    /// The most physical lines a reply may take in the channel before the rest is cut (long output
    /// goes private where the transport can; otherwise the channel gets this much and a note).
    public var channelLineBudget = 3
    /// The channel the bot watches (the transport's first), for commands said in a private query:
    /// `!log` there shows this channel.
    public var homeChannel: String?

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

/// What quoted people must agree to before a draft is published (`"consent": {"policy": …}`).
public enum ConsentPolicy: String, Sendable, Hashable, CaseIterable {
    /// Anyone may be quoted; a quoted person may still `!redact` their lines.
    case open
    /// Each quoted person must `!ok N`, or an approver overrides with a reason (`!override N …`).
    case ask
    /// Quoted people appear as "Colleague A", "Colleague B"… unless they `!ok N`.
    case pseudonymous
}

/// Who holds which role: the configuration's lists and the grants made in chat.
public struct RoleBook: Sendable, Hashable {
    public var approvers: Set<String>
    public var repliers: Set<String>
    public var admins: Set<String>

    /// The configured roles of `settings` plus `grants`.
    public init(settings: WorkflowSettings, grants: [RoleGrant]) {
        approvers = settings.approvers
        repliers = Set(settings.repliers.map { $0.lowercased() })
        admins = Set(settings.admins.map { $0.lowercased() })
        for grant in grants {
            switch grant.role {
            case .approver: approvers.insert(grant.principal.lowercased())
            case .replier: repliers.insert(grant.principal.lowercased())
            case .admin: admins.insert(grant.principal.lowercased())
            }
        }
    }

    public func has(_ role: RoleGrant.Role, _ principal: String?) -> Bool {
        guard let principal = principal?.lowercased() else { return false }
        switch role {
        case .approver: return approvers.contains(principal)
        case .replier: return repliers.contains(principal) || approvers.contains(principal)
        case .admin: return admins.contains(principal)
        }
    }
}
