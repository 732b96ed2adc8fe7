#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// What a ``ChatLogLineParser`` made of one log line.
public enum ParsedLogLine: Sendable, Hashable {
    /// A line said (or an event that happened) in the channel.
    case message(ChatMessage)
    /// A line with nothing to deliver: blank, or a header such as irssi's `--- Day changed …`.
    case ignored
    /// A line the parser could not understand; `reason` says why, without the file name or line
    /// number (the caller adds those), e.g. `expected 3 tab-separated fields`.
    case malformed(reason: String)
}

/// A sans-I/O parser for one chat log format: bytes of one line in, a ``ParsedLogLine`` out.
///
/// Parsers are value types with no I/O. Some keep state between lines (irssi learns the date from
/// `--- Day changed` headers), so lines must be fed in file order. `line` holds the bytes of one
/// line without its `\n`; a trailing `\r` is ignored. Invalid UTF-8 is repaired: each invalid
/// sequence becomes U+FFFD, so a stray Latin-1 byte never costs a whole line.
///
/// ```swift
/// var parser = ChatLogFormat.weechat.makeParser(channel: "#team", timeZone: .current)
/// let parsed = parser.parse("2026-11-27 09:14:03\talice\thello", lineNumber: 1)
/// ```
public protocol ChatLogLineParser {
    /// The format this parser reads.
    var format: ChatLogFormat { get }

    /// Parses one line (without its `\n`). `lineNumber` is 1-based and only used by stateful
    /// parsers for their own bookkeeping.
    mutating func parse(_ line: Span<UInt8>, lineNumber: Int) -> ParsedLogLine

    /// State needed to resume parsing in the middle of a file (irssi: the current date as
    /// `2026-11-28`), or `nil` when the parser is stateless. Never contains `:`.
    var resumeState: String? { get }

    /// Restores state saved from ``resumeState``; returns `false` when `state` is not understood.
    mutating func restore(resumeState state: String) -> Bool

    /// Forgets all state, as at the start of a new file.
    mutating func reset()
}

extension ChatLogLineParser {
    /// Parses one line given as a string (tests and tools; the file reader passes bytes).
    public mutating func parse(_ line: some StringProtocol, lineNumber: Int) -> ParsedLogLine {
        let bytes = Array(line.utf8)
        return parse(bytes.span, lineNumber: lineNumber)
    }

    /// Parses one line given as raw bytes (which need not be valid UTF-8).
    public mutating func parse(bytes: some RandomAccessCollection<UInt8>, lineNumber: Int) -> ParsedLogLine {
        let bytes = ContiguousArray(bytes)
        return parse(bytes.span, lineNumber: lineNumber)
    }

    public var resumeState: String? { nil }
    public mutating func restore(resumeState state: String) -> Bool { false }
}

extension ChatLogFormat {
    /// A fresh parser for this format. Times without an offset are read in `timeZone`.
    public func makeParser(channel: String, timeZone: IANATimeZone) -> any ChatLogLineParser {
        switch self {
        case .weechat: WeeChatLogParser(channel: channel, timeZone: timeZone)
        case .irssi: IrssiLogParser(channel: channel, timeZone: timeZone)
        case .jsonl: JSONLinesLogParser(channel: channel, timeZone: timeZone)
        }
    }
}
