#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Reads a chat log synchronously: a ``FileFollower`` plus the format's ``ChatLogLineParser``,
/// turning each line into a ``ChatEvent`` with its resume position.
///
/// This is the fast path: no async hop per line. ``LogFileTransport`` runs one on a dedicated
/// thread; a benchmark or an import tool can call it directly.
///
/// ```swift
/// let reader = try LogFileReader(path: "team.log", format: .weechat, channel: "#team", timeZone: .current)
/// let status = try reader.readAvailable { event in
///     if case .message(let message, let position) = event { try store.insert(message, position) }
/// }
/// ```
///
/// Positions are `device:inode:offset:line:tail` (see ``FilePosition``), plus `:state` for stateful
/// formats (irssi appends the current date, `…:312:t32x…:2026-11-28`), so a restart resumes right after the last delivered line
/// with the parser in the right state. Malformed lines become ``ChatEvent/skipped(warning:position:)``
/// with a warning such as `team.log:12: malformed weechat line: expected 3 tab-separated fields`.
/// Blank lines and headers produce no event. ``ChatEvent/caughtUp`` is never emitted here: the
/// returned ``FileFollower/Status`` says whether the end was reached.
public final class LogFileReader {
    public let path: String
    public let format: ChatLogFormat
    /// The file name used in warnings (`team.log`).
    public let displayName: String
    private let follower: FileFollower
    private var parser: any ChatLogLineParser
    private var lastPosition: String?

    /// - Parameter position: a position from an earlier event of a reader for the same path and
    ///   format, or `nil` to start at the beginning. Throws ``LogFileTransportError`` with
    ///   ``LogFileTransportError/Code/invalidPosition`` when it cannot be parsed.
    public init(
        path: String, format: ChatLogFormat, channel: String, timeZone: IANATimeZone,
        resumingAfter position: String? = nil, chunkSize: Int = 256 * 1024
    ) throws {
        self.path = path
        self.format = format
        self.displayName = PathText.lastComponent(path)
        var parser = format.makeParser(channel: channel, timeZone: timeZone)
        var filePosition: FilePosition?
        if let position {
            guard let (parsed, state) = FilePosition.parsePrefix(of: position),
                state.map({ parser.restore(resumeState: String($0)) }) ?? true
            else {
                throw LogFileTransportError(
                    .invalidPosition, path: path,
                    "saved position \"\(position.prefix(80))\" for \(path) is not a log-file position (expected device:inode:offset:line)")
            }
            filePosition = parsed
            lastPosition = position
        }
        self.parser = parser
        self.follower = FileFollower(path: path, resumingAfter: filePosition, chunkSize: chunkSize)
    }

    /// The position after the last delivered line (or the resume position), as events carry it.
    public var position: String? { lastPosition }

    /// Reads everything available, calling `body` for each message or skipped line, in order.
    public func readAvailable(_ body: (ChatEvent) throws -> Void) throws -> FileFollower.Status {
        // The parser's resume state changes rarely (irssi: once a day); cache its text.
        var stateText = parser.resumeState
        return try follower.readAvailable { event in
            switch event {
            case .line(let bytes, let position):
                let parsed = parser.parse(bytes.span, lineNumber: position.line)
                switch parsed {
                case .message(let message):
                    let text = position.encoded(suffix: stateText)
                    lastPosition = text
                    try body(.message(message, position: text))
                case .ignored:
                    // Headers may change the state; the next event's position carries it.
                    stateText = parser.resumeState
                    lastPosition = position.encoded(suffix: stateText)
                case .malformed(let reason):
                    let text = position.encoded(suffix: stateText)
                    lastPosition = text
                    try body(.skipped(
                        warning: "\(displayName):\(position.line): malformed \(format.rawValue) line: \(reason)",
                        position: text))
                }
            case .overlongLine(let byteCount, let position):
                let text = position.encoded(suffix: stateText)
                lastPosition = text
                try body(.skipped(
                    warning: "\(displayName):\(position.line): line of \(byteCount) bytes is too long, skipped",
                    position: text))
            case .restarted:
                parser.reset()
                stateText = parser.resumeState
            }
        }
    }
}
