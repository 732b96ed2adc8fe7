#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An engine could not do what was asked, classified once where the failure happened.
public struct BlogEngineError: Error, Sendable, CustomStringConvertible {
    /// What the bot does about it.
    public enum Kind: String, Sendable, Hashable {
        /// Try again later (an outage, a timeout, a 5xx, a full disk): the operation stays queued.
        case transient
        /// It will never work as asked (rejected credentials, a disabled API): tell the channel once.
        case permanent
        /// A person changed the post in the blog: never overwrite it; tell the channel.
        case conflict
    }

    public var kind: Kind
    /// One line a person can act on. Never carries a secret.
    public var message: String
    /// The HTTP status, when the blog answered with one.
    public var httpStatus: Int?
    /// How long the blog asked us to wait (`Retry-After`), when it said.
    public var retryAfter: TimeInterval?

    public init(_ message: String, kind: Kind, httpStatus: Int? = nil, retryAfter: TimeInterval? = nil) {
        self.message = message
        self.kind = kind
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
    }

    public init(_ message: String, isTransient: Bool) {
        self.init(message, kind: isTransient ? .transient : .permanent)
    }

    public var isTransient: Bool { kind == .transient }

    public var description: String { message }

    /// Any error as a blog failure: a ``BlogEngineError`` as it is, anything else (a failure the
    /// engine did not classify) as transient, so it is retried with backoff instead of stopping the bot.
    public static func classify(_ error: any Error) -> BlogEngineError {
        if let error = error as? BlogEngineError { return error }
        return BlogEngineError("unexpected blog failure: \(error)", kind: .transient)
    }
}
