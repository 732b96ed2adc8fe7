#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Picks the lines a `!blog` command promotes from the channel log.
///
/// What is ever selected, in every form:
/// - only conversation lines (messages and actions): not events, not notices, not the bot's own
///   lines (``ChatMessage/isOwn`` or said under ``WorkflowSettings/botNick``), not commands to this
///   bot or any other that uses the prefix (``isConversationLine(_:)``);
/// - never a line of someone who opted out (`!optout`): their principal
///   (``ChatIdentity/principal(trustingNicks:)``, lower-cased) is in ``WorkflowQueries/optedOut()``,
///   read once per selection. A line whose sender cannot be identified is not theirs;
/// - never the command itself or anything said after it, and only lines of the command's channel.
///
/// The forms (``ConversationSelection``):
/// - `.currentConversation`: back from the command to the last silence of
///   ``WorkflowSettings/conversationGap`` between conversation lines (an opted-out person's line
///   keeps a conversation going, it is just not quoted); the most recent
///   ``WorkflowSettings/maximumMessages`` lines of it.
/// - `.last(n)`: the last `n` selectable lines.
/// - `.since(hour:minute:)`: every selectable line since the latest such wall-clock time at or before
///   the command; refused when that is more than the maximum.
/// - `.thread(root:)`: the platform thread's first message and its replies.
/// - `.range(from:to:)`: the lines with references `from` through `to` (inclusive) of the command's
///   channel; `to == nil`, or a `to` past the command, ends the range just before the command. A
///   reference that does not exist, a `from` that is not before the command, or a range holding more
///   than the maximum is refused with a sentence that says what to do.
/// - `.replyChain(to: id)`: the command answered message `id`. Its ancestors are followed up through
///   ``ChatMessage/replyTo`` (each looked up by network id, stopping at one the log does not have) to
///   the root; then every line between the root and the command that answers a line of the chain
///   joins it, in order: the whole reply tree under the root. Lines that are not quoted (the bot's,
///   commands, opted-out people's) still link their replies into the chain. More than the maximum
///   is refused; so is a message the log does not have.
/// - `.about(words)`: conversations (split like `.currentConversation`) are examined newest first;
///   the first in which every word occurs in some quotable line (case- and diacritic-insensitive
///   substring: `cafe` finds "Café") is selected whole. More than the maximum is refused, naming the
///   conversation's references so a range can pick part of it.
///
/// Every form refuses an empty selection with a sentence saying why. Scanning is bounded: the old
/// forms look at most `max(20 × maximum, 2,000)` lines back, the new ones ``scanBudget`` lines.
///
/// ```swift
/// let outcome = try ConversationSelector(settings: settings)
///     .select(.range(from: 212, to: 230), before: command, from: transaction)
/// ```
public struct ConversationSelector {
    public var settings: WorkflowSettings
    /// How many lines `.range`, `.replyChain` and `.about` read at most (`about` says "nothing in the
    /// last N lines" when it runs out).
    public var scanBudget = 10_000

    public init(settings: WorkflowSettings) { self.settings = settings }

    public enum Outcome: Sendable, Hashable {
        case selected([StoredMessage])
        /// Nothing to promote, or too much; the text says why.
        case refused(String)
    }

    /// Whether a stored line can be part of a promoted conversation (before opt-outs are considered).
    public func isConversationLine(_ message: ChatMessage) -> Bool {
        message.isConversation && !message.isOwn
            && message.sender.nick.lowercased() != settings.botNick.lowercased()
            && !CommandParser(prefix: settings.prefix).looksLikeCommand(message.text)
    }

    public func select(
        _ selection: ConversationSelection, before command: StoredMessage, from log: some WorkflowQueries
    ) throws -> Outcome {
        let quotable = Quotable(selector: self, optedOut: try log.optedOut())
        switch selection {
        case .range(let from, let to):
            return try selectRange(from: from, to: to, before: command, in: log, quotable)
        case .replyChain(let id):
            return try selectReplyChain(answering: id, before: command, in: log, quotable)
        case .about(let words):
            return try selectConversation(about: words, before: command, in: log, quotable)
        case .currentConversation, .last, .since, .thread:
            return try selectBackwards(selection, before: command, in: log, quotable)
        }
    }

    /// The selection rules that hold for every form, with the opt-outs read once.
    struct Quotable {
        let selector: ConversationSelector
        let optedOut: Set<String>

        /// A line that may be quoted.
        func contains(_ message: ChatMessage) -> Bool {
            isConversation(message) && !isOptedOut(message)
        }

        /// A conversation line, quoted or not (an opted-out person's line still keeps a conversation going).
        func isConversation(_ message: ChatMessage) -> Bool { selector.isConversationLine(message) }

        func isOptedOut(_ message: ChatMessage) -> Bool {
            guard !optedOut.isEmpty,
                let principal = message.sender.principal(trustingNicks: selector.settings.trustsNicks)
            else { return false }
            return optedOut.contains(principal.lowercased())
        }
    }

    /// The sentence every empty refusal ends with.
    private static let neverQuoted = "commands, events, the bot's own lines and lines of people who opted out are never quoted"

    // MARK: - Current conversation, last N, since, thread

    private func selectBackwards(
        _ selection: ConversationSelection, before command: StoredMessage, in log: some WorkflowQueries,
        _ quotable: Quotable
    ) throws -> Outcome {
        let channel = command.message.channel
        let limit = settings.maximumMessages
        var chosen: [StoredMessage] = []  // newest first while collecting
        var newestSeen: Date?  // the conversation line just after the candidate, quoted or not
        var cursor = command.sequence
        var scanned = 0
        let budget = max(limit * 20, 2_000)
        let sinceDate = selection.sinceDate(before: command.message.time, in: settings.timeZone)

        paging: while scanned < budget {
            let page = try log.messages(in: channel, before: cursor, limit: 500)
            if page.isEmpty { break }
            for candidate in page {
                scanned += 1
                cursor = candidate.sequence
                let message = candidate.message
                if let sinceDate, message.time < sinceDate { break paging }
                guard quotable.isConversation(message) else { continue }
                defer { newestSeen = message.time }
                switch selection {
                case .currentConversation:
                    if let newestSeen, newestSeen.timeIntervalSince(message.time) >= settings.conversationGap {
                        break paging
                    }
                    guard !quotable.isOptedOut(message) else { continue }
                    if chosen.count == limit { break paging }
                case .last(let count):
                    guard !quotable.isOptedOut(message) else { continue }
                    if chosen.count == count { break paging }
                case .since:
                    guard !quotable.isOptedOut(message) else { continue }
                    if chosen.count == limit {
                        return .refused(
                            "that selects more than \(limit) lines; pick a later time or use last N")
                    }
                case .thread(let root):
                    let isRoot = message.networkID == root
                    guard isRoot || message.threadRoot == root else { continue }
                    if !quotable.isOptedOut(message) {
                        if chosen.count == limit { break paging }
                        chosen.append(candidate)
                    }
                    if isRoot { break paging }
                    continue
                case .range, .replyChain, .about:
                    preconditionFailure("selected elsewhere")
                }
                chosen.append(candidate)
            }
        }
        guard !chosen.isEmpty else {
            switch selection {
            case .currentConversation:
                return .refused("there is no conversation before that command to promote")
            case .last: return .refused("there are no lines before that command to promote")
            case .since(let hour, let minute):
                return .refused("nobody has said anything since \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute)")
            case .thread:
                return .refused("there is nothing in this thread to promote yet")
            case .range, .replyChain, .about:
                preconditionFailure("selected elsewhere")
            }
        }
        return .selected(chosen.reversed())
    }

    // MARK: - An explicit range

    private func selectRange(
        from: Int64, to: Int64?, before command: StoredMessage, in log: some WorkflowQueries, _ quotable: Quotable
    ) throws -> Outcome {
        let channel = command.message.channel
        let limit = settings.maximumMessages
        func missing(_ reference: Int64) -> Outcome {
            .refused("there is no line \(reference) in \(channel); \(settings.prefix)log shows the references")
        }
        guard let first = try log.message(in: channel, reference: from) else { return missing(from) }
        guard first.sequence < command.sequence else {
            return .refused(
                "line \(from) is not before this command; a range ends at the command at the latest "
                    + "(\(settings.prefix)log shows the references)")
        }
        var end = command.sequence  // exclusive
        if let to {
            guard let last = try log.message(in: channel, reference: to) else { return missing(to) }
            end = min(end, last.sequence + 1)
        }
        let described = to.map { "from line \(from) to \($0)" } ?? "from line \(from) up to this command"
        guard end > first.sequence else {
            return .refused("there is nothing to quote \(described) (\(Self.neverQuoted))")
        }

        var chosen: [StoredMessage] = []  // newest first while collecting
        var cursor = end
        var scanned = 0
        paging: while true {
            let page = try log.messages(in: channel, before: cursor, limit: 500)
            if page.isEmpty { break }
            for candidate in page {
                if candidate.sequence < first.sequence { break paging }
                scanned += 1
                cursor = candidate.sequence
                if scanned > scanBudget {
                    return .refused(
                        "the range \(described) spans more than \(scanBudget) lines; pick a shorter one")
                }
                guard quotable.contains(candidate.message) else { continue }
                if chosen.count == limit {
                    return .refused(
                        "there are more than \(limit) lines to quote \(described), and a draft takes at most \(limit); "
                            + "pick a shorter range")
                }
                chosen.append(candidate)
            }
        }
        guard !chosen.isEmpty else { return .refused("there is nothing to quote \(described) (\(Self.neverQuoted))") }
        return .selected(chosen.reversed())
    }

    // MARK: - A reply chain

    private func selectReplyChain(
        answering id: String, before command: StoredMessage, in log: some WorkflowQueries, _ quotable: Quotable
    ) throws -> Outcome {
        let channel = command.message.channel
        let limit = settings.maximumMessages
        guard let answered = try log.message(in: channel, networkID: id), answered.sequence < command.sequence
        else {
            return .refused(
                "I don't have the message you replied to, so I cannot follow its reply chain; "
                    + "\(settings.prefix)blog from REF to REF works instead (\(settings.prefix)log shows the references)")
        }

        // Up to the root: each parent must be older than its child, which also ends any cycle.
        var chain: Set<String> = [id]
        var ancestors = [answered]  // root last
        while ancestors.count < scanBudget, let parentID = ancestors.last!.message.replyTo, !parentID.isEmpty,
            !chain.contains(parentID),
            let parent = try log.message(in: channel, networkID: parentID),
            parent.sequence < ancestors.last!.sequence
        {
            chain.insert(parentID)
            ancestors.append(parent)
        }
        let root = ancestors.last!

        // Everything from the root up to the command, oldest first (within the scan budget).
        var window: [StoredMessage] = []  // newest first while collecting
        var cursor = command.sequence
        paging: while window.count < scanBudget {
            let page = try log.messages(in: channel, before: cursor, limit: min(500, scanBudget - window.count))
            if page.isEmpty { break }
            for candidate in page {
                if candidate.sequence < root.sequence { break paging }
                cursor = candidate.sequence
                window.append(candidate)
            }
        }
        window.reverse()
        // Ancestors older than a window the budget cut short still belong.
        let windowStart = window.first?.sequence ?? command.sequence
        let lines = ancestors.reversed().filter { $0.sequence < windowStart } + window

        var chosen: [StoredMessage] = []
        for line in lines {
            let message = line.message
            let isAncestor = message.networkID.map(chain.contains) ?? false
            let answersChain = message.replyTo.map(chain.contains) ?? false
            guard isAncestor || answersChain else { continue }
            if let ownID = message.networkID, !ownID.isEmpty { chain.insert(ownID) }
            guard quotable.contains(message) else { continue }
            if chosen.count == limit {
                return .refused(
                    "that reply chain holds more than \(limit) lines, and a draft takes at most \(limit); "
                        + "pick part of it with \(settings.prefix)blog from \(root.reference) to REF")
            }
            chosen.append(line)
        }
        guard !chosen.isEmpty else {
            return .refused("that reply chain holds nothing to quote (\(Self.neverQuoted))")
        }
        return .selected(chosen)
    }

    // MARK: - The most recent conversation about some words

    private func selectConversation(
        about words: [String], before command: StoredMessage, in log: some WorkflowQueries, _ quotable: Quotable
    ) throws -> Outcome {
        let channel = command.message.channel
        let limit = settings.maximumMessages
        let wanted = words.map(SearchText.fold).filter { !$0.isEmpty }
        let shown = "“" + String(ChatReply.oneLine(words.joined(separator: " ")).prefix(80)) + "”"
        guard !wanted.isEmpty else { return .refused("about needs words to look for") }

        var current = Conversation()
        var newestSeen: Date?
        var cursor = command.sequence
        var scanned = 0

        func verdict(_ conversation: Conversation) -> Outcome? {
            guard conversation.found.count == wanted.count else { return nil }
            guard conversation.quotedCount <= limit else {
                let span =
                    "\(conversation.oldest.map { "\($0.reference)" } ?? "?") to "
                    + "\(conversation.newest.map { "\($0.reference)" } ?? "?")"
                return .refused(
                    "the most recent conversation about \(shown) (lines \(span)) holds more than \(limit) lines, "
                        + "and a draft takes at most \(limit); pick part of it with \(settings.prefix)blog from REF to REF")
            }
            return .selected(conversation.lines.reversed())
        }

        paging: while scanned < scanBudget {
            let page = try log.messages(in: channel, before: cursor, limit: min(500, scanBudget - scanned))
            if page.isEmpty { break }
            for candidate in page {
                scanned += 1
                cursor = candidate.sequence
                let message = candidate.message
                guard quotable.isConversation(message) else { continue }
                if let newestSeen, newestSeen.timeIntervalSince(message.time) >= settings.conversationGap {
                    if let outcome = verdict(current) { return outcome }
                    current = Conversation()
                }
                newestSeen = message.time
                guard !quotable.isOptedOut(message) else { continue }
                current.quotedCount += 1
                if current.lines.count <= limit { current.lines.append(candidate) }
                if current.newest == nil { current.newest = candidate }
                current.oldest = candidate
                if current.found.count < wanted.count {
                    let text = SearchText.fold(message.text)
                    for (index, word) in wanted.enumerated() where !current.found.contains(index) {
                        if text.contains(word) { current.found.insert(index) }
                    }
                }
            }
        }
        // The log (or the budget) ended: the last conversation counts as it stands.
        if let outcome = verdict(current) { return outcome }
        guard scanned > 0 else { return .refused("there are no lines before that command to look through") }
        return .refused("nothing about \(shown) in the last \(scanned) lines of \(channel)")
    }
}

/// One conversation of `!blog about` while walking back through it.
private struct Conversation {
    var lines: [StoredMessage] = []  // newest first; at most maximum + 1
    var quotedCount = 0
    /// Indices of the words found in it so far.
    var found = Set<Int>()
    var newest: StoredMessage?
    var oldest: StoredMessage?
}

extension ConversationSelection {
    /// For `.since`: the latest moment at `hour:minute` in `timeZone` at or before `reference`.
    func sinceDate(before reference: Date, in timeZone: IANATimeZone) -> Date? {
        guard case .since(let hour, let minute) = self else { return nil }
        var local = timeZone.localTime(of: reference)
        local.hour = hour
        local.minute = minute
        local.second = 0
        guard let sameDay = timeZone.date(from: local) else { return nil }
        return sameDay <= reference ? sameDay : timeZone.date(from: local.addingDays(-1))
    }
}

/// Text folded for `!blog about`: lower-cased, without diacritics (`Café` → `cafe`, `Ø` → `o`),
/// using only the standard library's Unicode tables (no Foundation).
enum SearchText {
    static func fold(_ text: String) -> String {
        var folded = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII {
                folded.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue  // a combining accent of decomposed text
            } else if let base = base(of: scalar) {
                folded.append(base)
            } else {
                folded.append(scalar)
            }
        }
        return String(folded)
    }

    /// The letter a precomposed letter is built on, by its Unicode name: "LATIN SMALL LETTER E WITH
    /// ACUTE" is "LATIN SMALL LETTER E".
    private static func base(of scalar: Unicode.Scalar) -> Unicode.Scalar? {
        guard let name = scalar.properties.name, let with = name.firstRange(of: " WITH ") else { return nil }
        return lettersByName[String(name[..<with.lowerBound])]
    }

    /// Latin, Greek and Cyrillic letters by name.
    private static let lettersByName: [String: Unicode.Scalar] = {
        var letters: [String: Unicode.Scalar] = [:]
        let ranges: [ClosedRange<UInt32>] = [0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x370...0x4FF, 0x1E00...0x1FFF]
        for range in ranges {
            for value in range {
                if let scalar = Unicode.Scalar(value), let name = scalar.properties.name { letters[name] = scalar }
            }
        }
        return letters
    }()
}
