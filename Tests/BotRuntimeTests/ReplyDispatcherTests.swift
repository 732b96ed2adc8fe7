import BotRuntime
import ChatTransports
import Foundation
import SQLiteStorage
import Synchronization
import Testing
import ThreadpressModel
import ThreadpressTesting

/// The real log-file transport plus a hook that runs as each line is handed over: a command
/// answered (a row queued) while bulk output is going out.
final class HookedTransport: ChatTransport {
    private let wrapped: LogFileTransport
    private let hook: @Sendable (Int, ChatReply) throws -> Void
    private let calls = Mutex(0)

    init(wrapping transport: LogFileTransport, hook: @escaping @Sendable (Int, ChatReply) throws -> Void) {
        wrapped = transport
        self.hook = hook
    }

    var identifier: String { wrapped.identifier }
    var channel: String { wrapped.channel }
    var capabilities: ChatTransportCapabilities { wrapped.capabilities }
    var botNick: String { wrapped.botNick }

    func events(resumingAfter position: String?, untilCaughtUp: Bool) -> AsyncThrowingStream<ChatEvent, Error> {
        wrapped.events(resumingAfter: position, untilCaughtUp: untilCaughtUp)
    }

    func send(_ reply: ChatReply) async throws {
        try await wrapped.send(reply)
        let call = calls.withLock { count -> Int in
            count += 1
            return count
        }
        try hook(call, reply)
    }
}

@Suite struct ReplyDispatcherTests {
    /// The queue is read again after every bulk line: an answer and an announcement queued while
    /// line 2 of 5 is on its way go out before line 3.
    @Test func repliesAndAnnouncementsQueuedDuringBulkOutputGoAheadOfTheRestOfIt() async throws {
        let folder = try TemporaryDirectory(prefix: "dispatcher")
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.path("state.sqlite"))
        let output = LineCollector()
        let log = LogFileTransport(path: folder.path("team.log"), format: .weechat, channel: "#team",
                                   timeZone: IANATimeZone(identifier: "UTC")!, output: { output.append($0) })
        let transport = HookedTransport(wrapping: log) { call, _ in
            guard call == 2 else { return }
            try store.write { transaction in
                try transaction.enqueue(ChatReply(channel: "#team", text: "new comment on draft 1", priority: .announcement))
                try transaction.enqueue(ChatReply(channel: "#team", text: "ben: draft 2 created", priority: .reply))
            }
        }
        let logs = LineCollector()
        let dispatcher = ReplyDispatcher(store: store, transport: transport, logger: BotLogger(level: .debug) { level, line in
            logs.append("\(level): \(line)")
        })
        try store.write { transaction in
            for number in 1...5 {
                try transaction.enqueue(ChatReply(channel: "#team", text: "\(number) alice: line \(number)", priority: .bulk, recipient: "ana"))
            }
        }

        let sent = try await dispatcher.flush()

        #expect(sent == 7)
        #expect(output.lines == [
            "[#team] threadpress (to ana): 1 alice: line 1",
            "[#team] threadpress (to ana): 2 alice: line 2",
            "[#team] threadpress: ben: draft 2 created",
            "[#team] threadpress: new comment on draft 1",
            "[#team] threadpress (to ana): 3 alice: line 3",
            "[#team] threadpress (to ana): 4 alice: line 4",
            "[#team] threadpress (to ana): 5 alice: line 5",
        ])
        #expect(try store.read { try $0.pendingReplies() }.isEmpty)
        #expect(logs.lines.isEmpty)
    }

    /// A transport that cannot send names the person a private line was for, not only the channel.
    @Test func aFailedPrivateLineIsKeptAndTheWarningNamesTheRecipient() async throws {
        let folder = try TemporaryDirectory(prefix: "dispatcher")
        defer { folder.remove() }
        let store = try SQLiteStore(path: folder.path("state.sqlite"))
        let chat = FaultInjectingChatTransport(wrapping: LogFileTransport(
            path: folder.path("team.log"), format: .weechat, channel: "#team", timeZone: IANATimeZone(identifier: "UTC")!, output: { _ in }))
        chat.failSends(atCall: 1)
        let logs = LineCollector()
        let dispatcher = ReplyDispatcher(store: store, transport: chat, logger: BotLogger(level: .debug) { level, line in
            logs.append("\(level): \(line)")
        })
        try store.write { try $0.enqueue(ChatReply(channel: "#team", text: "1 alice: hi", priority: .bulk, recipient: "ana")) }

        #expect(try await dispatcher.flush() == 0)
        #expect(try store.read { try $0.pendingReplies() }.map(\.reply.recipient) == ["ana"])
        #expect(try await dispatcher.flush() == 1)

        #expect(logs.lines == [
            "warning: could not send to ana (privately, from #team): injected send failure: connection lost; keeping it queued, retrying later",
        ])
        #expect(chat.sent.map(\.recipient) == ["ana"])
    }
}
