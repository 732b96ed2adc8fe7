/// What the session remembers about `CHATHISTORY` backfills (one per channel at a time).
struct IRCHistoryBackfillState: Sendable {
    struct Request: Sendable {
        /// The channel as configured.
        var channel: String
        var reference: String
        var limit: Int
        var sentAt: ContinuousClock.Instant
        var pages = 0
        var delivered = 0
        /// The mark the first request started from (for the timestamp fallback).
        var start: IRCHistoryMark
    }

    struct Batch: Sendable {
        /// Folded channel name.
        var channel: String
        var lines = 0
        /// msgid/time of the batch's last line: where the next page starts.
        var last: IRCHistoryMark?
    }

    /// Newest line seen per channel; survives reconnects.
    var marks = IRCHistoryMarks()
    /// Backfills in progress, by folded channel.
    var pending: [String: Request] = [:]
    /// Open `chathistory` batches by reference tag.
    var batches: [String: Batch] = [:]
    /// Live lines of a channel held back while its backfill runs, so the store gets them in order.
    var held: [String: [IRCSessionAction]] = [:]

    /// A connection ended: requests, batches and held lines belong to it.
    mutating func connectionEnded() {
        pending = [:]
        batches = [:]
        held = [:]
    }
}

extension IRCSessionStateMachine {
    /// A full page was answered this many times for one channel: stop there (a server that keeps
    /// answering full pages from the same place would otherwise be asked forever).
    static let maximumHistoryPages = 100

    /// The newest line seen per channel (configured spelling): where the next backfill starts.
    public var historyMarks: IRCHistoryMarks { history.marks }

    /// Seeds the marks (from the position the bot stored), e.g. before the first connection.
    /// Marks already newer are kept.
    public mutating func restoreHistoryMarks(_ marks: IRCHistoryMarks) {
        history.marks.merge(marks)
    }

    /// Whether this connection can backfill: `draft/chathistory` (or `chathistory`), `batch` and
    /// `server-time` are all enabled and the configuration asks for pages.
    public var canBackfillHistory: Bool {
        configuration.historyPageSize > 0
            && (enabledCapabilities.contains("draft/chathistory") || enabledCapabilities.contains("chathistory"))
            && enabledCapabilities.contains("batch") && enabledCapabilities.contains("server-time")
    }

    /// Whether a backfill of `channel` is waiting for its answer.
    public func isBackfilling(_ channel: String) -> Bool { history.pending[fold(channel)] != nil }

    /// The page size: the configured one, lowered to ISUPPORT `CHATHISTORY=` when that is smaller.
    var historyLimit: Int {
        let server = serverSupport.tokens["CHATHISTORY"].flatMap { Int($0) } ?? 0
        return server > 0 ? min(configuration.historyPageSize, server) : configuration.historyPageSize
    }

    /// After the bot's own JOIN: ask for what was said after the channel's mark, if there is one.
    mutating func startBackfill(of channel: String, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard canBackfillHistory, history.pending[fold(channel)] == nil, let mark = history.marks[channel],
              let reference = mark.reference else { return [] }
        let request = IRCHistoryBackfillState.Request(channel: channel, reference: reference, limit: historyLimit, sentAt: now, start: mark)
        history.pending[fold(channel)] = request
        return [Self.historyRequest(request)]
    }

    static func historyRequest(_ request: IRCHistoryBackfillState.Request) -> IRCSessionAction {
        .send(IRCMessage("CHATHISTORY", "AFTER", request.channel, request.reference, String(request.limit)))
    }

    /// Live lines of a channel being backfilled are held until the backfill ends; every line let
    /// through moves its channel's mark.
    mutating func holdingLinesDuringBackfill(_ actions: [IRCSessionAction]) -> [IRCSessionAction] {
        guard !history.pending.isEmpty else {
            for case .chat(let message) in actions { history.marks.record(message) }
            return actions
        }
        var passed: [IRCSessionAction] = []
        for action in actions {
            let channel: String? = switch action {
            case .chat(let message): message.channel
            case .channelEvent(let event): event.channel
            default: nil
            }
            if let channel, history.pending[fold(channel)] != nil {
                history.held[fold(channel), default: []].append(action)
                continue
            }
            if case .chat(let message) = action { history.marks.record(message) }
            passed.append(action)
        }
        return passed
    }

    /// `BATCH +id chathistory #chan` opens a page, `BATCH -id` closes it.
    mutating func handleBatch(_ message: IRCMessage, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard let reference = message[parameter: 0], reference.count > 1 else { return [] }
        let id = String(reference.dropFirst())
        if reference.hasPrefix("+") {
            guard let type = message[parameter: 1]?.lowercased(), type == "chathistory" || type == "draft/chathistory",
                  let target = message[parameter: 2], history.pending[fold(target)] != nil else { return [] }
            history.batches[id] = IRCHistoryBackfillState.Batch(channel: fold(target))
            return []
        }
        guard reference.hasPrefix("-"), let batch = history.batches.removeValue(forKey: id) else { return [] }
        return finishPage(batch, now: now)
    }

    /// One line inside a `chathistory` batch: PRIVMSG and NOTICE become chat lines (with their
    /// original time and msgid); anything else is counted for paging and otherwise ignored, so an
    /// old JOIN or CTCP request never acts as a live one.
    mutating func receivedHistoryLine(_ message: IRCMessage, batch id: String, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard var batch = history.batches[id] else { return [] }
        batch.lines += 1
        let mark = IRCHistoryMark(messageID: message.tag("msgid"), serverTime: serverTime(message))
        if mark.messageID != nil || mark.serverTime != nil { batch.last = mark }
        history.batches[id] = batch
        let command = message.command.uppercased()
        guard command == "PRIVMSG" || command == "NOTICE" else { return [] }
        var delivered: [IRCSessionAction] = []
        for case .chat(let chat) in handleChat(message, now: now, fromHistory: true) {
            guard chat.channel.map(fold) == batch.channel else { continue }
            history.marks.record(chat)
            history.pending[batch.channel]?.delivered += 1
            delivered.append(.chat(chat))
        }
        return delivered
    }

    /// A page ended: a full one asks for the next, a short one ends the backfill.
    private mutating func finishPage(_ batch: IRCHistoryBackfillState.Batch, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard var request = history.pending[batch.channel] else { return [] }
        request.pages += 1
        if batch.lines >= request.limit, let next = batch.last?.reference, next != request.reference,
           request.pages < Self.maximumHistoryPages {
            request.reference = next
            request.sentAt = now
            history.pending[batch.channel] = request
            return [Self.historyRequest(request)]
        }
        return endBackfill(of: batch.channel, with: .historyBackfilled(channel: request.channel, messages: request.delivered))
    }

    /// Ends a channel's backfill: `outcome` first, then the live lines held meanwhile.
    private mutating func endBackfill(of folded: String, with outcome: IRCSessionAction) -> [IRCSessionAction] {
        history.pending[folded] = nil
        history.batches = history.batches.filter { $0.value.channel != folded }
        let held = history.held.removeValue(forKey: folded) ?? []
        for case .chat(let message) in held { history.marks.record(message) }
        return [outcome] + held
    }

    /// `FAIL CHATHISTORY <code> [subcommand] [target] … :description`. An unknown msgid is asked
    /// again by time when the mark has one; any other failure ends that channel's backfill.
    mutating func handleFail(_ message: IRCMessage, now: ContinuousClock.Instant) -> [IRCSessionAction] {
        guard message[parameter: 0]?.uppercased() == "CHATHISTORY", !history.pending.isEmpty else { return [] }
        let code = message[parameter: 1] ?? ""
        let named = message.parameters.dropFirst(2).map(fold).first { history.pending[$0] != nil }
        guard let folded = named ?? (history.pending.count == 1 ? history.pending.keys.first : nil),
              var request = history.pending[folded] else { return [] }
        if code.uppercased() == "INVALID_MSGREFID", request.pages == 0, request.reference.hasPrefix("msgid="),
           let timestamp = request.start.timestampReference {
            request.reference = timestamp
            request.sentAt = now
            history.pending[folded] = request
            return [Self.historyRequest(request)]
        }
        let reason = "FAIL CHATHISTORY \(code): \(message.parameters.count > 2 ? message.parameters.last ?? "" : "")"
        return endBackfill(of: folded, with: .historyUnavailable(channel: request.channel, reason: reason))
    }

    /// Backfills without an answer within ``IRCSessionTiming/historyTimeout`` end (their held lines go out).
    mutating func expireBackfills(now: ContinuousClock.Instant) -> [IRCSessionAction] {
        let timeout = configuration.timing.historyTimeout
        var actions: [IRCSessionAction] = []
        for (folded, request) in history.pending.sorted(by: { $0.key < $1.key }) where request.sentAt.advanced(by: timeout) <= now {
            actions += endBackfill(of: folded, with: .historyUnavailable(channel: request.channel,
                reason: "no answer to CHATHISTORY within \(Self.describe(timeout))"))
        }
        return actions
    }

    var historyDeadline: ContinuousClock.Instant? {
        history.pending.values.map { $0.sentAt.advanced(by: configuration.timing.historyTimeout) }.min()
    }
}
