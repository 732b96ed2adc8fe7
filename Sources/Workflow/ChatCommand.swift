/// Which messages a `!blog` command promotes.
public enum ConversationSelection: Sendable, Hashable {
    /// The current conversation: back to the last silence of `conversation.gap_minutes`.
    case currentConversation
    /// The last N conversation lines.
    case last(Int)
    /// Everything since a wall-clock time (the latest such time at or before the command).
    case since(hour: Int, minute: Int)
}

/// A command understood from a chat line.
public enum ChatCommand: Sendable, Hashable {
    case blog(ConversationSelection, title: String?)
    case drafts
    case help(topic: String?)
    case approve(draft: Int64)
    case reject(draft: Int64)
    /// A known command used wrongly; `problem` says what was wrong.
    case invalid(name: String, problem: String)
}
