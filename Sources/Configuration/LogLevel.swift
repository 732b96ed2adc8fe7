/// How much the bot logs, from least to most.
public enum LogLevel: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Only failures that stop something from working.
    case error
    /// Also problems the bot worked around (a skipped log line, a retried request).
    case warning
    /// Also what the bot did (a draft made, a post published). The default.
    case info
    /// Also the details of every step.
    case debug

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        case .debug: 3
        }
    }

    /// `.error < .debug`: a message at level `m` is shown when `m <= configured`.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }
}
