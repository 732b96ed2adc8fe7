/// Who may run a command.
public enum CommandPermission: Sendable, Hashable {
    case anyone
    case approvers
    /// Approvers, or the person who promoted the draft in question.
    case approversOrPromoter
    /// Approvers and the people in `roles.repliers`.
    case repliers
}

/// One command's name, syntax and help, the single source for parsing checks and `!help`.
public struct CommandSpecification: Sendable, Hashable {
    public var name: String
    /// Arguments after the name, as shown in help (`last N [title…]`).
    public var usages: [String]
    public var summary: String
    public var permission: CommandPermission
}

/// Every command the bot understands. Later commands (`!edit`, `!schedule`, reply-chain and range
/// selection) are added here and in ``CommandParser``; `!help` follows automatically.
public enum CommandTable {
    public static let all: [CommandSpecification] = [
        CommandSpecification(
            name: "blog",
            usages: ["[title…]", "last N [title…]", "since HH:MM [title…]"],
            summary: "promote the current conversation (back to the last silence), the last N lines, "
                + "or everything since a time into a draft post",
            permission: .anyone),
        CommandSpecification(
            name: "drafts", usages: [""], summary: "list the open drafts", permission: .anyone),
        CommandSpecification(
            name: "approve", usages: ["N", "N at YYYY-MM-DD HH:MM"],
            summary: "publish draft N now, or schedule it (approvers only)", permission: .approvers),
        CommandSpecification(
            name: "reject", usages: ["N"], summary: "discard draft N (approvers or whoever promoted it)",
            permission: .approversOrPromoter),
        CommandSpecification(
            name: "comment", usages: ["approve ID", "spam ID", "trash ID"],
            summary: "moderate blog comment ID (approvers only)", permission: .approvers),
        CommandSpecification(
            name: "reply", usages: ["ID text…"], summary: "answer blog comment ID on the blog, as the bot's blog user",
            permission: .repliers),
        CommandSpecification(
            name: "help", usages: ["[command]"], summary: "list the commands, or explain one", permission: .anyone),
    ]

    public static func specification(named name: String) -> CommandSpecification? {
        all.first { $0.name == name.lowercased() }
    }

    /// `!approve N` style usage lines for one command.
    public static func usage(of specification: CommandSpecification, prefix: String) -> String {
        specification.usages
            .map { $0.isEmpty ? "\(prefix)\(specification.name)" : "\(prefix)\(specification.name) \($0)" }
            .joined(separator: " | ")
    }
}
