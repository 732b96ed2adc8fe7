import ChatTransports
import SQLiteStorage
import ThreadpressModel

/// Sends queued chat replies through the transport, oldest first.
///
/// A reply is claimed in the store before it is handed over and marked sent after, so a crash in
/// between never sends it twice (at most once on the wire; the ledger and drafts already hold the
/// facts). A transport that refuses (disconnected, unwritable reply file) gets the reply back into
/// the queue and the bot goes on; the next flush tries again.
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

    /// Warns about replies a crash left claimed but unconfirmed, and retires them.
    public func recoverInterrupted() throws {
        for reply in try store.write({ try $0.abandonInterruptedReplies() }) {
            logger.warning("reply \(reply.id) may not have reached \(reply.reply.channel) before the last stop; not resending it")
        }
    }

    /// Sends everything queued. Returns how many replies went out.
    @discardableResult
    public func flush() async throws -> Int {
        var sent = 0
        while true {
            let pending = try store.read { try $0.pendingReplies() }
            if pending.isEmpty { return sent }
            for item in pending {
                try Task.checkCancellation()
                try store.write { try $0.markReplySending(item.id) }
                do {
                    for line in item.reply.lines(maximumBytes: transport.capabilities.maximumReplyBytes) {
                        var part = item.reply
                        part.text = line
                        try await transport.send(part)
                    }
                } catch is CancellationError {
                    try store.write { try $0.releaseReply(item.id) }
                    throw CancellationError()
                } catch {
                    // The chat is unreachable (a reply file that cannot be written, later a lost
                    // connection): keep the reply queued, say why, and let the bot go on reading.
                    try store.write { try $0.releaseReply(item.id) }
                    warnOnce("could not send to \(item.reply.channel): \(error); keeping it queued, retrying later")
                    return sent
                }
                try store.write { try $0.markReplySent(item.id) }
                sent += 1
            }
        }
    }
}
