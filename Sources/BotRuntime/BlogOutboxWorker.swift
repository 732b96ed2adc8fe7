import BlogEngines
import Foundation
import SQLiteStorage
import ThreadpressModel
import Workflow

/// Carries out queued blog operations (create, publish, discard) against the engine.
///
/// Each operation was written to the outbox before this runs, and the engine is idempotent by the
/// draft's key, so an operation interrupted by a crash or an outage is simply run again and finds
/// what it already did. Transient failures are retried with backoff; the channel hears of the first
/// failure and of giving up, not of every retry.
public struct BlogOutboxWorker: Sendable {
    public let store: SQLiteStore
    public let engine: any BlogEngine
    public let tags: [String]
    public let timeZone: TimeZone
    public let logger: BotLogger
    public var clock: @Sendable () -> Date = { Date() }

    public init(store: SQLiteStore, engine: any BlogEngine, tags: [String], timeZone: TimeZone, logger: BotLogger) {
        self.store = store
        self.engine = engine
        self.tags = tags
        self.timeZone = timeZone
        self.logger = logger
    }

    /// The delay before retry number `attempt` (0-based): 5 s doubling, at most 15 minutes.
    public static func backoff(afterAttempt attempt: Int) -> TimeInterval {
        min(5 * pow(2, Double(min(attempt, 20))), 900)
    }

    /// Runs every operation that is due now, each at most once per call (an operation that becomes
    /// runnable because an earlier one finished, such as a publish after its create, runs too).
    /// Returns how many ran.
    @discardableResult
    public func drain() async throws -> Int {
        var attempted = Set<Int64>()
        while true {
            try Task.checkCancellation()
            let runnable = try store.read { try $0.runnableBlogOperations(at: clock()) }
            guard let operation = runnable.first(where: { !attempted.contains($0.id) }) else { break }
            attempted.insert(operation.id)
            try await run(operation)
        }
        return attempted.count
    }

    private func run(_ operation: BlogOperation) async throws {
        guard let (draft, lines) = try store.read({ transaction -> (DraftRecord, [ChatMessage])? in
            guard let draft = try transaction.draft(number: operation.draftNumber) else { return nil }
            return (draft, try transaction.lines(ofDraft: draft.number))
        }) else {
            try store.write { try $0.failBlogOperation(operation.id, error: "draft not found", retryAt: nil) }
            return
        }
        let post = PostDraft(
            key: draft.key, number: draft.number, title: draft.title, created: draft.created, tags: tags,
            authors: draft.authors, lines: lines, timeZone: timeZone)
        do {
            switch operation.kind {
            case .create:
                if draft.state == .rejected || draft.reference != nil {
                    try store.write { try $0.completeBlogOperation(operation.id, at: clock()) }
                    return
                }
                let reference = try await engine.createDraft(post)
                try store.write { transaction in
                    try transaction.setReference(reference, engine: engine.identifier, ofDraft: draft.number)
                    try transaction.completeBlogOperation(operation.id, at: clock())
                }
                logger.info("draft \(draft.number) written to \(reference.location)")

            case .publish:
                // A create that failed for good left no draft on the blog: write it now (the
                // engine finds it by key if an earlier attempt did after all).
                let reference: PostReference
                if let existing = draft.reference {
                    reference = existing
                } else {
                    reference = try await engine.createDraft(post)
                }
                let now = clock()
                let published = try await engine.publish(post, reference: reference, at: now)
                try store.write { transaction in
                    try transaction.setReference(published, engine: engine.identifier, ofDraft: draft.number)
                    try transaction.setState(.published, ofDraft: draft.number, at: now)
                    try transaction.completeBlogOperation(operation.id, at: now)
                    try transaction.enqueue(
                        ChatReply(
                            channel: draft.channel,
                            text: WorkflowText.published(
                                number: draft.number, title: draft.title, location: published.location,
                                requestedBy: operation.requestedBy)))
                }
                logger.info("draft \(draft.number) published at \(published.location)")

            case .discard:
                if let reference = draft.reference, reference.status == .draft {
                    try await engine.discard(reference)
                }
                try store.write { try $0.completeBlogOperation(operation.id, at: clock()) }
            }
        } catch let error as BlogEngineError {
            try recordFailure(error, of: operation, draft: draft)
        }
    }

    private func recordFailure(_ error: BlogEngineError, of operation: BlogOperation, draft: DraftRecord) throws {
        let retryAt = error.isTransient
            ? clock().addingTimeInterval(Self.backoff(afterAttempt: operation.attempts)) : nil
        let verb: String
        switch operation.kind {
        case .create: verb = "write"
        case .publish: verb = "publish"
        case .discard: verb = "remove"
        }
        logger.warning(
            "blog \(verb) of draft \(draft.number) failed (attempt \(operation.attempts + 1)): \(error.message)"
                + (retryAt == nil ? "; giving up" : "; retrying later"))
        try store.write { transaction in
            try transaction.failBlogOperation(operation.id, error: error.message, retryAt: retryAt, at: clock())
            if retryAt == nil, operation.kind == .publish {
                // Let an approver try again once the cause is fixed.
                try transaction.setState(.open, ofDraft: draft.number)
            }
            if operation.attempts == 0 || retryAt == nil {
                try transaction.enqueue(
                    ChatReply(
                        channel: draft.channel,
                        text: WorkflowText.blogFailure(
                            operation: verb, number: draft.number, error: error.message, willRetry: retryAt != nil,
                            requestedBy: operation.requestedBy)))
            }
        }
    }
}
