import ChatTransports
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SQLiteStorage
import Synchronization
import ThreadpressModel
import Workflow

extension StoreTransaction: WorkflowQueries {}

/// Stores what a transport delivered and carries out the commands in it, all in one transaction
/// per batch: a message, its transport position and everything its command decided are committed
/// together, so a crash never loses a line, re-reads a processed one, or half-applies a command.
///
/// Commands are answered only while fresh: a command older than ``Freshness/maximumAge`` when it is
/// read (a log re-read from the top after the store was lost, a backlog after a long outage) is
/// stored like any line but not carried out. Each person's commands pass a ``CommandRateLimiter``.
public struct MessageIngestor: Sendable {
    /// Which commands are still worth answering.
    public struct Freshness: Sendable {
        /// A command older than this when read is stored, not answered; `nil` answers every command
        /// (`threadpress run --answer-old-commands`, for importing a log on purpose).
        public var maximumAge: TimeInterval?
        /// Now, for the age check (tests pass a fixed clock).
        public var clock: @Sendable () -> Date

        public init(maximumAge: TimeInterval? = 15 * 60, clock: @escaping @Sendable () -> Date = { Date() }) {
            self.maximumAge = maximumAge
            self.clock = clock
        }
    }

    public let store: SQLiteStore
    public let workflow: DraftWorkflow
    public let transportIdentifier: String
    public let logger: BotLogger
    public let freshness: Freshness
    private let limiter: LimiterBox

    public init(
        store: SQLiteStore, workflow: DraftWorkflow, transportIdentifier: String, logger: BotLogger,
        freshness: Freshness = Freshness(), rateLimit: CommandRateLimiter = CommandRateLimiter()
    ) {
        self.store = store
        self.workflow = workflow
        self.transportIdentifier = transportIdentifier
        self.logger = logger
        self.freshness = freshness
        self.limiter = LimiterBox(rateLimit)
    }

    private final class LimiterBox: Sendable {
        let state: Mutex<CommandRateLimiter>
        init(_ limiter: CommandRateLimiter) { state = Mutex(limiter) }
    }

    /// What one batch did.
    public struct Summary: Sendable, Hashable {
        public var stored = 0
        public var duplicates = 0
        public var skipped = 0
        /// Whether any command produced work for the outboxes.
        public var queuedWork = false
        /// Commands stored but not answered because they were too old when read.
        public var staleCommands = 0
        /// The last position committed with this batch.
        public var position: String?
    }

    /// Whether an event must be ingested at once rather than waiting for its batch to fill.
    public func isUrgent(_ event: ChatEvent) -> Bool {
        switch event {
        case .message(let message, _): return workflow.parser.looksLikeCommand(message.text)
        case .skipped: return false
        case .caughtUp: return true
        }
    }

    @discardableResult
    public func ingest(_ events: [ChatEvent]) throws -> Summary {
        var summary = Summary()
        var warnings: [String] = []
        try store.write { transaction in
            var lastPosition: String?
            for event in events {
                switch event {
                case .message(let message, let position):
                    lastPosition = position ?? lastPosition
                    guard let sequence = try transaction.insertMessage(message) else {
                        summary.duplicates += 1
                        continue
                    }
                    summary.stored += 1
                    guard workflow.parser.looksLikeCommand(message.text), message.kind == .message, !message.isOwn
                    else { continue }
                    if let maximumAge = freshness.maximumAge,
                        freshness.clock().timeIntervalSince(message.time) > maximumAge
                    {
                        summary.staleCommands += 1
                        continue
                    }
                    let stored = StoredMessage(sequence: sequence, message: message)
                    if let refusal = admit(message) {
                        if let refusal {
                            summary.queuedWork = true
                            try transaction.enqueue(
                                ChatReply(
                                    channel: message.channel, text: refusal, inReplyTo: message.networkID,
                                    threadRoot: message.threadRoot))
                        }
                        continue
                    }
                    let actions = try workflow.handle(stored, log: transaction)
                    if !actions.isEmpty {
                        summary.queuedWork = true
                        try apply(actions, for: stored, in: transaction)
                    }
                case .skipped(let warning, let position):
                    lastPosition = position ?? lastPosition
                    summary.skipped += 1
                    warnings.append(warning)
                case .caughtUp:
                    break
                }
            }
            if let lastPosition { try transaction.savePosition(lastPosition, of: transportIdentifier) }
            summary.position = lastPosition
        }
        for warning in warnings { logger.warning(warning) }
        if summary.staleCommands > 0 {
            logger.info("\(summary.staleCommands) command(s) older than \(Int((freshness.maximumAge ?? 0) / 60)) min stored but not answered")
        }
        return summary
    }

    /// `nil` when the sender may run a command now; otherwise the refusal to say (`.some(nil)`: say nothing).
    private func admit(_ message: ChatMessage) -> String?? {
        guard workflow.parser.parse(message.text) != nil else { return nil }
        let person = message.sender.principal(trustingNicks: workflow.settings.trustsNicks)
            ?? "nick:" + message.sender.nick.lowercased()
        switch limiter.state.withLock({ $0.admit(person, at: message.time) }) {
        case .allowed: return nil
        case .refusedTellOnce(let wait): return .some(WorkflowText.slowDown(nick: message.sender.nick, retryAfterSeconds: wait))
        case .refusedSilently: return .some(nil)
        }
    }

    private func apply(_ actions: [WorkflowAction], for command: StoredMessage, in transaction: StoreTransaction) throws {
        func say(_ text: String) throws {
            try transaction.enqueue(
                ChatReply(
                    channel: command.message.channel, text: text, inReplyTo: command.message.networkID,
                    threadRoot: command.message.threadRoot))
        }
        for action in actions {
            switch action {
            case .reply(let text):
                try say(text)
            case .createDraft(let proposal):
                // The key comes from the command line itself, so the same line read again (a log
                // copied over itself, a double-send within one second) names the same draft.
                if let existing = try transaction.draft(key: proposal.key) {
                    try say(WorkflowText.alreadyDraft(existing, requestedBy: command.message.sender.nick))
                    continue
                }
                let number = try transaction.insertDraft(
                    NewDraft(
                        key: proposal.key, channel: command.message.channel, title: proposal.title,
                        promoter: proposal.promoter, promoterPrincipal: proposal.promoterPrincipal,
                        commandSequence: command.sequence, lineSequences: proposal.lines.map(\.sequence),
                        authors: proposal.authors, created: command.message.time, tags: proposal.tags))
                try transaction.enqueue(.create, draft: number, requestedBy: command.message.sender.nick)
                try say(WorkflowText.draftCreated(number: number, proposal: proposal, prefix: workflow.settings.prefix))
                logger.info("draft \(number) promoted by \(command.message.sender.nick): \(proposal.lines.count) lines")
            case .approve(let number, let requestedBy, let time):
                try transaction.setState(.publishing, ofDraft: number)
                try transaction.enqueue(.publish, draft: number, requestedBy: requestedBy, publishAt: time)
                logger.info("draft \(number) approved by \(requestedBy)" + (time.map { " for \($0)" } ?? ""))
            case .moderateComment(let id, let action, let requestedBy):
                try transaction.enqueue(
                    .moderate(action), comment: id, channel: command.message.channel, requestedBy: requestedBy)
                logger.info("comment \(id): \(action.rawValue) asked by \(requestedBy)")
            case .replyToComment(let id, let text, let requestedBy):
                try transaction.enqueue(.reply(text), comment: id, channel: command.message.channel, requestedBy: requestedBy)
                logger.info("comment \(id): reply asked by \(requestedBy)")
            case .reject(let number, let requestedBy):
                try transaction.setState(.rejected, ofDraft: number)
                try transaction.enqueue(.discard, draft: number, requestedBy: requestedBy)
                logger.info("draft \(number) rejected by \(requestedBy)")
            case .replyPrivately(let lines):
                for line in lines {
                    try transaction.enqueue(
                        ChatReply(
                            channel: command.message.channel, text: line, priority: .bulk,
                            recipient: command.message.sender.nick))
                }
            case .changeDraft(let number, let change, let requestedBy):
                switch change {
                case .title(let title): try transaction.setTitle(title, ofDraft: number)
                case .intro(let intro): try transaction.setIntro(intro, ofDraft: number)
                case .tags(let tags): try transaction.setTags(tags, ofDraft: number)
                case .lines(let lines):
                    var authors: [String] = []
                    for line in lines where !authors.contains(line.message.sender.nick) {
                        authors.append(line.message.sender.nick)
                    }
                    try transaction.replaceLines(ofDraft: number, with: lines.map(\.sequence), authors: authors)
                }
                logger.info("draft \(number) edited by \(requestedBy)")
            case .rewriteDraft(let number, let requestedBy):
                try transaction.enqueue(.update, draft: number, requestedBy: requestedBy)
            case .recordConsent(let number, let answer):
                try transaction.recordConsent(answer, draft: number)
                logger.info("draft \(number): \(answer.nick) answered \(answer.answer.rawValue)")
            case .forgetMessages(let sequences):
                try transaction.forgetMessages(sequences)
                logger.info("\(sequences.count) line(s) forgotten at their author's request")
            case .overrideConsent(let number, let override):
                try transaction.setConsentOverride(override, ofDraft: number)
                logger.info("draft \(number): consent overridden by \(override.approver)")
            case .setOptedOut(let principal, let nick, let optedOut):
                if optedOut {
                    try transaction.optOut(principal: principal, nick: nick)
                } else {
                    try transaction.optIn(principal: principal)
                }
            case .grantRole(let grant):
                try transaction.grantRole(grant)
                logger.info("\(grant.grantedBy) made \(grant.principal) \(grant.role.rawValue)")
            case .revokeRole(let role, let principal):
                try transaction.revokeRole(role, from: principal)
                logger.info("\(command.message.sender.nick) took \(role.rawValue) from \(principal)")
            }
        }
    }
}
