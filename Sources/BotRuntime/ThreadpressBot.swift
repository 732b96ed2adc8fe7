import BlogEngines
import ChatTransports
import Foundation
import SQLiteStorage
import ThreadpressModel
import Workflow

/// The long-running bot: reads the channel, stores every line, carries out commands, publishes
/// through the blog outbox, mirrors comments back, and sends replies.
///
/// One service with one ``run(once:)``; nothing starts in the initialiser. Cancelling the task
/// that runs it stops it cleanly: every step commits its own transaction, so a stop never leaves
/// half-done state.
///
/// ```swift
/// let bot = ThreadpressBot(transport: transport, engine: engine, store: store, settings: settings, options: .init())
/// try await bot.run(once: true)
/// ```
public final class ThreadpressBot: Sendable {
    /// Timing and sizing of the bot's loops.
    public struct Options: Sendable {
        /// How often comments are polled while running.
        public var commentPollInterval: Duration
        /// How often the outboxes are checked while running.
        public var outboxInterval: Duration
        /// Lines per ingest transaction at most.
        public var batchSize: Int
        /// Characters of a comment shown in its announcement.
        public var excerptLength: Int
        /// Tags every post gets.
        public var tags: [String]
        /// The time source for outbox scheduling (tests move it forward instead of sleeping).
        public var clock: @Sendable () -> Date = { Date() }

        public init(
            commentPollInterval: Duration = .seconds(60), outboxInterval: Duration = .milliseconds(250),
            batchSize: Int = 2_000, excerptLength: Int = 200, tags: [String] = ["chat"]
        ) {
            self.commentPollInterval = commentPollInterval
            self.outboxInterval = outboxInterval
            self.batchSize = batchSize
            self.excerptLength = excerptLength
            self.tags = tags
        }
    }

    public let transport: any ChatTransport
    public let engine: any BlogEngine
    public let store: SQLiteStore
    public let logger: BotLogger
    public let options: Options
    public let ingestor: MessageIngestor
    public let outbox: BlogOutboxWorker
    public let mirror: CommentMirror
    public let replies: ReplyDispatcher

    public init(
        transport: any ChatTransport, engine: any BlogEngine, store: SQLiteStore, settings: WorkflowSettings,
        options: Options = Options(), logger: BotLogger = BotLogger()
    ) {
        self.transport = transport
        self.engine = engine
        self.store = store
        self.logger = logger
        self.options = options
        var settings = settings
        settings.trustsNicks = transport.capabilities.trustsNicks
        settings.botNick = transport.botNick
        ingestor = MessageIngestor(
            store: store, workflow: DraftWorkflow(settings: settings), transportIdentifier: transport.identifier,
            logger: logger)
        var outbox = BlogOutboxWorker(
            store: store, engine: engine, tags: options.tags, timeZone: settings.timeZone, logger: logger)
        outbox.clock = options.clock
        self.outbox = outbox
        mirror = CommentMirror(store: store, engine: engine, excerptLength: options.excerptLength, logger: logger)
        replies = ReplyDispatcher(store: store, transport: transport, logger: logger)
    }

    /// Runs the bot. With `once`, processes everything available (the channel up to now, due blog
    /// operations, new comments, queued replies) and returns; otherwise runs until cancelled.
    public func run(once: Bool) async throws {
        try replies.recoverInterrupted()
        defer { store.checkpoint() }
        if once {
            try await ingest(untilCaughtUp: true)
            try await outbox.drain()
            try await replies.flush()
            try await mirror.poll()
            try await replies.flush()
            let pending = try store.read { try $0.pendingBlogOperationCount() }
            if pending > 0 {
                logger.warning("\(pending) blog operation(s) still pending; the next run retries them")
            }
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.ingest(untilCaughtUp: false) }
            group.addTask {
                while !Task.isCancelled {
                    try await self.outbox.drain()
                    try await self.replies.flush()
                    try await Task.sleep(for: self.options.outboxInterval)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    do {
                        try await self.mirror.poll()
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        self.logger.warning("comment poll failed: \(error)")
                    }
                    try await Task.sleep(for: self.options.commentPollInterval)
                }
            }
            // The first part to end (the transport failing, or cancellation) ends them all.
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Reads the transport from its saved position, storing lines in batches. A batch is committed
    /// when it is full, when a command arrives, and whenever the transport has caught up.
    private func ingest(untilCaughtUp: Bool) async throws {
        let position = try store.read { try $0.position(of: transport.identifier) }
        var batch: [ChatEvent] = []
        batch.reserveCapacity(options.batchSize)
        for try await event in transport.events(resumingAfter: position, untilCaughtUp: untilCaughtUp) {
            batch.append(event)
            if batch.count >= options.batchSize || ingestor.isUrgent(event) {
                try ingestor.ingest(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try ingestor.ingest(batch) }
    }
}
