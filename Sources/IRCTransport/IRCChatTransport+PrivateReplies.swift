import ChatTransports
import IRCProtocol
import ThreadpressModel

extension IRCChatTransport {
    /// The IRC target a reply goes to: the recipient's nick for a private reply
    /// (``ChatReply/recipient``), else the reply's channel (the transport's first channel when
    /// empty). `nil` when the recipient cannot be a nick on this server (see ``privateTarget(_:support:)``):
    /// such a reply is never sent, and never to the channel instead.
    static func target(of reply: ChatReply, defaultChannel: String, support: IRCServerSupport) -> String? {
        guard let recipient = reply.recipient else { return reply.channel.isEmpty ? defaultChannel : reply.channel }
        return privateTarget(recipient, support: support)
    }

    /// `recipient` when it is one nick that a `PRIVMSG` delivers to that person alone, else `nil`.
    ///
    /// Refused: anything a server would read as another kind of target or as several targets —
    /// a channel (`#team`, any of the server's `CHANTYPES`), a status message (`@#team`, any
    /// `PREFIX` symbol), a list (`alice,#team`), a mask (`$*`, `*`, `?`), `nick!user@host`,
    /// `nick@server` — and spaces, `:` and control characters (CR, LF, NUL), which would change
    /// the command itself. The recipient comes from a nick the server delivered, so a refusal
    /// means the store held something unexpected.
    public static func privateTarget(_ recipient: String, support: IRCServerSupport) -> String? {
        guard let first = recipient.unicodeScalars.first, recipient.utf8.count <= 64 else { return nil }
        let prefixSymbols = Set(support.prefixes.map(\.symbol))
        if support.isChannel(recipient) || prefixSymbols.contains(Character(first)) { return nil }
        if first.properties.numericType != nil || first == "-" { return nil }
        let special = Set("[]\\`_^{|}-".unicodeScalars)
        for scalar in recipient.unicodeScalars {
            let allowed = scalar.isASCII
                ? (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || special.contains(scalar))
                : (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
            if !allowed { return nil }
        }
        return recipient
    }
}

/// A private reply whose recipient is not a nick: dropped with a warning (retrying cannot help,
/// and sending it to the channel instead would defeat its purpose).
struct IRCRefusedRecipient: Error {
    var recipient: String
}
