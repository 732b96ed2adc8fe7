import BlogEngines
import ChatTransports
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
        /// How often the outboxes are checked while running when nothing woke them (a command or a
        /// finished blog operation wakes them at once; this catches retries that came due).
        public var outboxInterval: Duration
        /// How long after start the bot gives memory its start-up freed back to the system (once).
        public var startUpSettleTime: Duration = .seconds(10)
        /// Lines per ingest transaction at most.
        public var batchSize: Int
        /// Characters of a comment shown in its announcement.
        public var excerptLength: Int
        /// Tags every post gets.
        public var tags: [String]
        /// The time source for outbox scheduling (tests move it forward instead of sleeping).
        public var clock: @Sendable () -> Date = { Date() }
        /// Comments announced one by one per poll; more become one summary line.
        public var announcementLimit: Int = 5
        /// Whose comments are mirrored.
        public var commentScope: CommentMirror.Scope = .threadpressPosts
        /// Which commands are still answered when read (see ``MessageIngestor/Freshness``).
        public var commandMaximumAge: TimeInterval? = 15 * 60
        /// Per-person command limits.
        public var rateLimit = CommandRateLimiter()
        /// Delay before re-opening a chat stream that ended or failed: first, and at most.
        public var reconnectDelay: (first: Duration, longest: Duration) = (.seconds(1), .seconds(120))

        public init(
            commentPollInterval: Duration = .seconds(60), outboxInterval: Duration = .seconds(1),
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
        // Long output goes privately only where the transport can say so.
        settings.privateReplies = transport.capabilities.privateReplies
        settings.homeChannel = settings.homeChannel ?? transport.channel
        ingestor = MessageIngestor(
            store: store, workflow: DraftWorkflow(settings: settings), transportIdentifier: transport.identifier,
            logger: logger, freshness: .init(maximumAge: options.commandMaximumAge, clock: options.clock),
            rateLimit: options.rateLimit)
        var outbox = BlogOutboxWorker(
            store: store, engine: engine, tags: options.tags, timeZone: settings.timeZone, logger: logger)
        outbox.clock = options.clock
        outbox.consentPolicy = settings.consentPolicy
        outbox.trustsNicks = settings.trustsNicks
        self.outbox = outbox
        mirror = CommentMirror(
            store: store, engine: engine,
            policy: CommentMirrorPolicy(announcementLimit: options.announcementLimit, excerptLength: options.excerptLength),
            scope: options.commentScope, channel: transport.channel, prefix: settings.prefix, logger: logger)
        replies = ReplyDispatcher(store: store, transport: transport, logger: logger)
        commentWarning = logger.warningOncePerProcess()
    }

    /// Runs the bot. With `once`, processes everything available (the channel up to now, due blog
    /// operations, new comments, queued replies) and returns; otherwise runs until cancelled.
    ///
    /// In follow mode four loops run side by side, so none waits for another: reading the chat,
    /// sending replies, the blog outbox (which may be slow or down), and the comment poll. A failure
    /// of the blog or of a comment poll is logged and retried; a chat stream that ends or fails is
    /// re-opened with backoff; only cancellation, a fatal transport error or a store failure end it.
    public func run(once: Bool) async throws {
        try await checkBlog()
        try replies.recoverInterrupted()
        defer { store.checkpoint() }
        if once {
            try await ingest(untilCaughtUp: true)
            try await outbox.drain()
            try await replies.flush()
            try await pollComments()
            try await replies.flush()
            let pending = try await store.asyncRead { try $0.pendingBlogOperationCount() }
            if pending > 0 {
                logger.warning("\(pending) blog operation(s) still pending; the next run retries them")
            }
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.followChat() }
            group.addTask {
                let started = ContinuousClock.now
                var released = false
                while !Task.isCancelled {
                    try self.store.verifyFileIdentity()
                    try await self.replies.flush()
                    if !released, ContinuousClock.now - started >= self.options.startUpSettleTime {
                        // Start-up (configuration, migrations, connecting, a catch-up) is over:
                        // give what it freed back to the system once, so months of idling do not
                        // keep its peak resident.
                        released = true
                        await self.store.releaseFreeMemory()
                    }
                    // Woken at once when something queued a reply; otherwise a slow poll.
                    await self.repliesQueued.wait(atMost: self.options.outboxInterval)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    if try await self.outbox.drain() > 0 { self.repliesQueued.signal() }
                    await self.blogWorkQueued.wait(atMost: self.options.outboxInterval)
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try await self.pollComments()
                    self.repliesQueued.signal()
                    try await Task.sleep(for: self.options.commentPollInterval)
                }
            }
            // The first part to end (a fatal failure, or cancellation) ends them all.
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Checks the blog once at start: rejected credentials stop the bot with one clear line (no
    /// retry storm against a blog that will never accept them); an unreachable blog is only a
    /// warning, since commands are queued until it is back.
    private func checkBlog() async throws {
        do {
            let checked = try await engine.checkAccess()
            if !checked.isEmpty { logger.info(checked) }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            let failure = BlogEngineError.classify(error)
            if failure.kind == .permanent { throw failure }
            logger.warning("the blog cannot be reached now (\(failure.message)); commands are queued until it answers")
        }
    }

    /// One comment poll; a blog failure is logged (once per distinct message) and the next poll retries.
    private func pollComments() async throws {
        do {
            try await mirror.poll()
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as StoreError {
            throw error
        } catch {
            commentWarning("comment poll failed: \(BlogEngineError.classify(error).message); retrying at the next poll")
        }
    }

    private let commentWarning: @Sendable (String) -> Void
    /// Signalled when a reply or a blog operation was queued, so their loops act at once.
    private let repliesQueued = Wakeup()
    private let blogWorkQueued = Wakeup()

    /// Reads the chat until cancelled. A stream that ends, or fails with anything but a fatal
    /// ``ChatTransportError``, is re-opened from the saved position after a growing delay.
    private func followChat() async throws {
        var delay = options.reconnectDelay.first
        while true {
            try Task.checkCancellation()
            let started = ContinuousClock.now
            do {
                try await ingest(untilCaughtUp: false)
                try Task.checkCancellation()
                logger.warning("the chat stream of \(transport.identifier) ended; reconnecting in \(delay)")
            } catch is CancellationError {
                throw CancellationError()
            } catch let error as ChatTransportError where error.kind == .fatal {
                throw error
            } catch let error as StoreError {
                throw error
            } catch {
                logger.warning("the chat stream of \(transport.identifier) failed: \(error); reconnecting in \(delay)")
            }
            // A stream that stayed up a while starts the backoff afresh.
            if ContinuousClock.now - started > .seconds(60) { delay = options.reconnectDelay.first }
            try await Task.sleep(for: delay)
            delay = min(delay * 2, options.reconnectDelay.longest)
        }
    }

    /// Reads the transport from its saved position, storing lines in batches. A batch is committed
    /// when it is full, when a command arrives, and whenever the transport has caught up; the
    /// transport hears of each commit.
    private func ingest(untilCaughtUp: Bool) async throws {
        let identifier = transport.identifier
        let position = try await store.asyncRead { try $0.position(of: identifier) }
        // No capacity is reserved or kept: a live chat commits one line at a time, and a batch's
        // worth of events (2,000 × ~150 bytes) would otherwise stay allocated for months.
        var batch: [ChatEvent] = []
        for try await event in transport.events(resumingAfter: position, untilCaughtUp: untilCaughtUp) {
            batch.append(event)
            if batch.count >= options.batchSize || ingestor.isUrgent(event) {
                try await commit(batch)
                batch.removeAll()
            }
        }
        if !batch.isEmpty { try await commit(batch) }
    }

    /// Stores a batch on the store's own thread, then tells the transport.
    private func commit(_ batch: [ChatEvent]) async throws {
        let ingestor = ingestor
        let summary = try await store.onStoreThread { try ingestor.ingest(batch) }
        if let position = summary.position { transport.committed(through: position) }
        if summary.queuedWork {
            repliesQueued.signal()
            blogWorkQueued.signal()
        }
    }
}
