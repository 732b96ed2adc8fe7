import ChatTransports
import SQLiteStorage
import ThreadpressModel

/// Sends queued chat replies through the transport: answers to commands first, then
/// announcements, then bulk private output (`!log`, `!preview`), each oldest first.
///
/// The queue is asked again after every announcement and every bulk reply, so an answer to a
/// command that arrives while 200 private lines are going out waits for at most the line in
/// flight, never for the rest of them. The transport paces what it is given (IRC's token bucket).
///
/// A reply is split into lines to the transport's current byte budget when it is first claimed, and
/// the lines are recorded; each line is claimed before it is handed over and marked sent after. So
/// a failure after line 1 resumes at line 2, and a crash in between never sends a line twice (at
/// most once on the wire per line). A transport that refuses (disconnected, unwritable reply file)
/// gets the line back into the queue and the bot goes on; the next flush tries again.
public struct ReplyDispatcher: Sendable {
    public let store: SQLiteStore
    public let transport: any ChatTransport
    public let logger: BotLogger
    /// Send failures repeat on every flush while the chat is unreachable; each is logged once.
    private let warnOnce: @Sendable (String) -> Void

    public init(store: SQLiteStore, transport: any ChatTransport, logger: BotLogger) {
        self.store = store
        self.transport = transport
        self.logger = logger
        self.warnOnce = logger.warningOncePerProcess()
    }

    /// Warns about replies a crash left claimed but unconfirmed, and settles them.
    public func recoverInterrupted() throws {
        for reply in try store.write({ try $0.abandonInterruptedReplies() }) {
            logger.warning(
                "a line of reply \(reply.id) may not have reached \(Self.destination(of: reply.reply)) before the last stop; not resending that line")
        }
    }

    /// Sends everything queued. Returns how many replies were completed.
    @discardableResult
    public func flush() async throws -> Int {
        var sent = 0
        while true {
            let pending = try await store.asyncRead { try $0.pendingReplies(limit: 20) }
            if pending.isEmpty { return sent }
            for item in pending {
                try Task.checkCancellation()
                let budget = transport.replyByteBudget(for: item.reply)
                let lines = try await store.asyncWrite { transaction in
                    try transaction.markReplySending(item.id)
                    return try transaction.unsentLines(ofReply: item.id) { item.reply.lines(maximumBytes: budget) }
                        .map { LinePart(position: $0.position, text: $0.text) }
                }
                for line in lines {
                    try await store.asyncWrite { try $0.markLineSending(reply: item.id, position: line.position) }
                    var part = item.reply
                    part.text = line.text
                    do {
                        try await transport.send(part)
                    } catch {
                        try await store.asyncWrite { transaction in
                            try transaction.releaseLine(reply: item.id, position: line.position)
                            try transaction.releaseReply(item.id)
                        }
                        if error is CancellationError { throw error }
                        // The chat is unreachable (a reply file that cannot be written, a lost
                        // connection): keep the rest queued, say why, and let the bot go on.
                        warnOnce("could not send to \(Self.destination(of: item.reply)): \(error); keeping it queued, retrying later")
                        return sent
                    }
                    try await store.asyncWrite { try $0.markLineSent(reply: item.id, position: line.position) }
                }
                try await store.asyncWrite { try $0.markReplySent(item.id) }
                sent += 1
                // A reply to a command that arrived meanwhile goes ahead of the rest of this batch
                // (and an announcement ahead of the rest of a bulk batch).
                if item.reply.priority != .reply { break }
            }
        }
    }

    /// `#team`, or `alice (privately, from #team)` for a private reply; one line, for logs.
    static func destination(of reply: ChatReply) -> String {
        guard let recipient = reply.recipient else { return ChatReply.oneLine(reply.channel) }
        return "\(ChatReply.oneLine(recipient)) (privately, from \(ChatReply.oneLine(reply.channel)))"
    }

    private struct LinePart: Sendable {
        var position: Int
        var text: String
    }
}
