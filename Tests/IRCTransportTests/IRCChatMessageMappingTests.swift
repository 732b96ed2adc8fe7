import Foundation
import IRCProtocol
import IRCTransport
import Testing
import ThreadpressModel

/// What the bot stores for each line the IRC session reports, fed through a real session.
@Suite struct IRCChatMessageMappingTests {
    /// A session registered as `tp` and joined to `#team` on a server with account-tag and extended-join.
    private func joinedSession() -> IRCSessionStateMachine {
        var session = IRCSessionStateMachine(configuration: IRCSessionConfiguration(nick: "tp", channels: [IRCChannelJoin("#team")]))
        let now = ContinuousClock.now
        _ = session.connected(now: now)
        for line in [
            ":irc.test CAP * LS :message-tags server-time account-tag extended-join",
            ":irc.test CAP tp ACK :message-tags server-time account-tag extended-join",
            ":irc.test 001 tp :Welcome",
            ":tp!tp@127.0.0.1 JOIN #team * :tp",
        ] {
            _ = session.received(try! IRCMessage(parsing: line), now: now)
        }
        return session
    }

    static let lines: [(raw: String, expected: [String])] = [
        ("@time=2026-11-27T09:00:00.000Z;msgid=m1;account=ana :ana!a@h PRIVMSG #team :hello",
         ["#team|2026-11-27T09:00:00Z|ana|ana|message|hello|m1|-|false"]),
        ("@time=2026-11-27T09:00:01.000Z;+draft/reply=m1 :ben!b@h PRIVMSG #team :\u{1}ACTION waves\u{1}",
         ["#team|2026-11-27T09:00:01Z|ben|-|action|waves|-|m1|false"]),
        ("@time=2026-11-27T09:00:02.000Z;account=ana :ana!a@h PRIVMSG tp :!drafts",
         ["ana|2026-11-27T09:00:02Z|ana|ana|message|!drafts|-|-|false"]),
        ("@time=2026-11-27T09:00:03.000Z :ben!b@h NOTICE #team :fyi",
         ["#team|2026-11-27T09:00:03Z|ben|-|notice|fyi|-|-|false"]),
        ("@time=2026-11-27T09:00:04.000Z;account=tp :tp!tp@127.0.0.1 PRIVMSG #team :my own line",
         ["#team|2026-11-27T09:00:04Z|tp|tp|message|my own line|-|-|true"]),
        ("@time=2026-11-27T09:00:05.000Z :cat!c@h JOIN #team carol :Carol",
         ["#team|2026-11-27T09:00:05Z|cat|carol|event|cat joined #team|-|-|false"]),
        ("@time=2026-11-27T09:00:06.000Z :ben!b@h PART #team :lunch",
         ["#team|2026-11-27T09:00:06Z|ben|-|event|ben left #team (lunch)|-|-|false"]),
        ("@time=2026-11-27T09:00:07.000Z :ana!a@h TOPIC #team :deploy friday",
         ["#team|2026-11-27T09:00:07Z|ana|-|event|ana set the topic of #team to: deploy friday|-|-|false"]),
    ]

    @Test(arguments: 0..<lines.count)
    func sessionLinesBecomeStoredMessages(index: Int) throws {
        var session = joinedSession()
        let now = ContinuousClock.now
        // ana and ben are in the channel before the line under test.
        _ = session.received(try IRCMessage(parsing: ":ana!a@h JOIN #team ana :Ana"), now: now)
        _ = session.received(try IRCMessage(parsing: ":ben!b@h JOIN #team * :Ben"), now: now)

        let actions = session.received(try IRCMessage(parsing: Self.lines[index].raw), now: now)
        let messages: [ChatMessage] = actions.compactMap { action in
            switch action {
            case .chat(let chat): IRCChatTransport.chatMessage(chat)
            case .channelEvent(let event): IRCChatTransport.chatMessage(event)
            default: nil
            }
        }

        let formatter = ISO8601DateFormatter()
        let described = messages.map { message in
            [message.channel, formatter.string(from: message.time), message.sender.nick, message.sender.account ?? "-",
             message.kind.rawValue, message.text, message.networkID ?? "-", message.replyTo ?? "-", "\(message.isOwn)"]
                .joined(separator: "|")
        }
        #expect(described == Self.lines[index].expected)
    }
}
