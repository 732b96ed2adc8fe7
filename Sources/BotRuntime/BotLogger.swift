#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
import ThreadpressModel

/// How much the bot writes to its log.
public enum LogSeverity: Int, Sendable, Comparable, CaseIterable {
    case error, warning, info, debug

    public static func < (a: LogSeverity, b: LogSeverity) -> Bool { a.rawValue < b.rawValue }
}

/// The bot's operational log: one line per event on standard error (or a sink in tests).
///
/// Lines name the thing and the fix. Secrets never reach it: configuration values are not logged,
/// and errors from the HTTP and store layers leave credentials and bound values out.
public struct BotLogger: Sendable {
    public var level: LogSeverity
    private let sink: @Sendable (LogSeverity, String) -> Void

    public init(level: LogSeverity = .info, sink: @escaping @Sendable (LogSeverity, String) -> Void = BotLogger.standardError) {
        self.level = level
        self.sink = sink
    }

    public func log(_ level: LogSeverity, _ message: @autoclosure () -> String) {
        guard level <= self.level else { return }
        sink(level, message())
    }

    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }

    /// Writes `threadpress: warning: …` lines to standard error. Messages quote chat text, nicks
    /// and file contents, so each is folded onto one line without control characters: nobody can
    /// forge log lines or send terminal escapes through the bot's log.
    public static let standardError: @Sendable (LogSeverity, String) -> Void = { level, message in
        let line = "threadpress: \(level): \(ChatReply.oneLine(message))\n"
        StandardOutput.writeStandardError(line)
    }

    /// A sink for warnings that would otherwise repeat on every poll (a malformed comment file):
    /// each distinct message is logged once per process.
    public func warningOncePerProcess() -> @Sendable (String) -> Void {
        let seen = Mutex<Set<String>>([])
        return { [self] message in
            if seen.withLock({ $0.insert(message).inserted }) { warning(message) }
        }
    }
}
