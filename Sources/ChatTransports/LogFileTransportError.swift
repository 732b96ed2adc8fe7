#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the log-file transport or its file machinery, with a message that says what to do.
///
/// Branch on ``code``; show ``description`` to people:
/// `chat log not found: /var/log/team.log (check chat.logfile.path)`.
public struct LogFileTransportError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, for callers that branch.
    public enum Code: Sendable, Hashable {
        /// The chat log does not exist (only an error in `untilCaughtUp` mode; following waits).
        case fileNotFound
        /// The chat log exists but cannot be opened or read.
        case unreadable
        /// A saved position is not one this transport wrote.
        case invalidPosition
        /// A reply could not be appended to the reply file.
        case replyNotWritten
    }

    public var code: Code
    /// The file concerned.
    public var path: String
    /// A sentence for people.
    public var message: String
    /// The operating system's error number, when there is one.
    public var errno: Int32?

    public init(_ code: Code, path: String, errno: Int32? = nil, _ message: String) {
        self.code = code
        self.path = path
        self.errno = errno
        self.message = message
    }

    public var description: String {
        guard let errno else { return message }
        return "\(message): \(String(cString: strerror(errno)))"
    }
}
