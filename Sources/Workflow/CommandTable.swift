/// Who may run a command.
public enum CommandPermission: Sendable, Hashable {
    case anyone
    case approvers
    /// Approvers, or the person who promoted the draft in question.
    case approversOrPromoter
    /// Approvers and the people in `roles.repliers`.
    case repliers
    /// The people quoted in the draft in question.
    case quoted
    /// The people in `roles.admins` (and admins added in chat).
    case admins
}

/// One command's name, syntax and help, the single source for parsing checks and `!help`.
public struct CommandSpecification: Sendable, Hashable {
    public var name: String
    /// Arguments after the name, as shown in help (`last N [title…]`).
    public var usages: [String]
    public var summary: String
    public var permission: CommandPermission
}

/// Every command the bot understands; `!help` and docs/COMMANDS.md (checked by a test) follow it.
public enum CommandTable {
    public static let all: [CommandSpecification] = [
        CommandSpecification(
            name: "blog",
            usages: [
                "[title…]", "last N [title…]", "since HH:MM [title…]", "from REF [to REF] [title…]",
                "about WORD…",
            ],
            summary: "promote lines into a draft post: the current conversation (back to the last silence; "
                + "said as a reply, the reply chain), the last N lines, everything since a time, the lines "
                + "from one reference to another (see !log), or the latest conversation about some words; "
                + "+word adds a tag",
            permission: .anyone),
        CommandSpecification(
            name: "log", usages: ["[N]"],
            summary: "show the last N lines (default 10, at most 200) with the references !blog and !draft take, "
                + "privately where the chat allows", permission: .anyone),
        CommandSpecification(
            name: "drafts", usages: [""], summary: "list the open drafts", permission: .anyone),
        CommandSpecification(
            name: "preview", usages: ["N"],
            summary: "show draft N's numbered lines and who is quoted, privately where the chat allows",
            permission: .anyone),
        CommandSpecification(
            name: "draft",
            usages: ["N title TEXT", "N drop 3-5 [8…]", "N add REF…", "N tag WORD…", "N intro TEXT"],
            summary: "edit draft N: its title, drop lines (numbers from !preview), add lines (references from "
                + "!log), set its tags, or write a paragraph before the quotes (an empty intro removes it) "
                + "(approvers or whoever promoted it)",
            permission: .approversOrPromoter),
        CommandSpecification(
            name: "approve", usages: ["N", "N at YYYY-MM-DD HH:MM"],
            summary: "publish draft N now, or schedule it (approvers only)", permission: .approvers),
        CommandSpecification(
            name: "reject", usages: ["N"], summary: "discard draft N (approvers or whoever promoted it)",
            permission: .approversOrPromoter),
        CommandSpecification(
            name: "ok", usages: ["N"], summary: "agree to be quoted under your name in draft N (people quoted in it)",
            permission: .quoted),
        CommandSpecification(
            name: "redact", usages: ["N"], summary: "take your lines out of draft N (people quoted in it)",
            permission: .quoted),
        CommandSpecification(
            name: "forget", usages: ["N"],
            summary: "take your lines out of published post N and out of the bot's log (people quoted in it)",
            permission: .quoted),
        CommandSpecification(
            name: "override", usages: ["N reason…"],
            summary: "let draft N be published without everyone's consent; the reason is shown and recorded "
                + "(approvers only)", permission: .approvers),
        CommandSpecification(
            name: "optout", usages: [""], summary: "never quote your lines in a draft again", permission: .anyone),
        CommandSpecification(
            name: "optin", usages: [""], summary: "allow your lines to be quoted again", permission: .anyone),
        CommandSpecification(
            name: "role", usages: ["list", "add approver|replier|admin ACCOUNT", "remove approver|replier|admin ACCOUNT"],
            summary: "show who holds which role, or give or take one (admins only for add and remove)",
            permission: .anyone),
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
