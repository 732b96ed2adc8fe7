#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What kind of line a chat message is. Only `.message` and `.action` are conversation.
public enum ChatMessageKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An ordinary message (IRC PRIVMSG, a webhook post, a log line).
    case message
    /// A `/me` action.
    case action
    /// A notice; never treated as a command.
    case notice
    /// Joins, parts, quits, nick changes, topic changes and other channel events.
    case event
}

/// One line said in a chat channel, as a transport delivered it.
///
/// Transports fill in what their protocol knows: `networkID` is the IRC `msgid` tag, the
/// platform's post id or a JSON-lines `id`; `replyTo` names the network id this message answers
/// (IRCv3 `+draft/reply`, a thread reply); `threadRoot` is the first message of a platform thread.
public struct ChatMessage: Sendable, Hashable, Codable {
    public var channel: String
    public var time: Date
    public var sender: ChatIdentity
    public var kind: ChatMessageKind
    public var text: String
    public var networkID: String?
    public var replyTo: String?
    public var threadRoot: String?
    /// The bot's own line (IRC `echo-message`, or sent under the bot's live nick): stored, never a
    /// command, never promoted. Transports that know their live nick set it.
    public var isOwn: Bool

    public init(
        channel: String, time: Date, sender: ChatIdentity, kind: ChatMessageKind = .message, text: String,
        networkID: String? = nil, replyTo: String? = nil, threadRoot: String? = nil, isOwn: Bool = false
    ) {
        self.channel = channel
        self.time = time
        self.sender = sender
        self.kind = kind
        self.text = text
        self.networkID = networkID
        self.replyTo = replyTo
        self.threadRoot = threadRoot
        self.isOwn = isOwn
    }

    /// Whether this line is part of the conversation (a message or an action), as opposed to an event.
    public var isConversation: Bool { kind == .message || kind == .action }
}

/// A message the store has kept, with its local sequence number (monotonic, never reused).
public struct StoredMessage: Sendable, Hashable {
    public var sequence: Int64
    public var message: ChatMessage
    /// The short number people type to name this line (`!blog from 212 to 230`): counted per
    /// channel from 1, in the order the store received the lines, never reused. `!log` shows it.
    public var reference: Int64

    public init(sequence: Int64, message: ChatMessage, reference: Int64? = nil) {
        self.sequence = sequence
        self.message = message
        self.reference = reference ?? sequence
    }
}
