import Foundation

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

    /// Writes `threadpress: warning: …` lines to standard error.
    public static let standardError: @Sendable (LogSeverity, String) -> Void = { level, message in
        let line = "threadpress: \(level): \(message)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
