import ChatTransports
import Foundation
import SQLiteStorage
import ThreadpressModel
import Workflow

extension StoreTransaction: WorkflowQueries {}

/// Stores what a transport delivered and carries out the commands in it, all in one transaction
/// per batch: a message, its transport position and everything its command decided are committed
/// together, so a crash never loses a line, re-reads a processed one, or half-applies a command.
public struct MessageIngestor: Sendable {
    public let store: SQLiteStore
    public let workflow: DraftWorkflow
    public let transportIdentifier: String
    public let logger: BotLogger

    public init(store: SQLiteStore, workflow: DraftWorkflow, transportIdentifier: String, logger: BotLogger) {
        self.store = store
        self.workflow = workflow
        self.transportIdentifier = transportIdentifier
        self.logger = logger
    }

    /// What one batch did.
    public struct Summary: Sendable, Hashable {
        public var stored = 0
        public var duplicates = 0
        public var skipped = 0
        /// Whether any command produced work for the outboxes.
        public var queuedWork = false
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
                    let stored = StoredMessage(sequence: sequence, message: message)
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
        }
        for warning in warnings { logger.warning(warning) }
        return summary
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
                        authors: proposal.authors, created: command.message.time))
                try transaction.enqueue(.create, draft: number, requestedBy: command.message.sender.nick)
                try say(WorkflowText.draftCreated(number: number, proposal: proposal, prefix: workflow.settings.prefix))
                logger.info("draft \(number) promoted by \(command.message.sender.nick): \(proposal.lines.count) lines")
            case .approve(let number, let requestedBy):
                try transaction.setState(.publishing, ofDraft: number)
                try transaction.enqueue(.publish, draft: number, requestedBy: requestedBy)
                logger.info("draft \(number) approved by \(requestedBy)")
            case .reject(let number, let requestedBy):
                try transaction.setState(.rejected, ofDraft: number)
                try transaction.enqueue(.discard, draft: number, requestedBy: requestedBy)
                logger.info("draft \(number) rejected by \(requestedBy)")
            }
        }
    }
}
