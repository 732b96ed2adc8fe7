#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Decides what happens after a blog operation failed, with no I/O: when to try again, whether
/// the channel hears of it, and whether an approved draft goes back to open.
///
/// - transient (an outage, a timeout, a 5xx): retry after 5 s doubling to 15 min, with up to 20 %
///   jitter so a fleet of bots does not come back in step, and never sooner than the blog's
///   `Retry-After`; the channel hears of the first failure only.
/// - permanent (rejected credentials, a disabled API): give up, tell the channel, reopen a draft
///   whose publish failed so an approver can `!approve` it again once the cause is fixed.
/// - conflict (a person changed the post in the blog): give up without touching it, tell the
///   channel; a publish conflict reopens the draft too.
///
/// ```swift
/// let decision = BlogRetryPolicy().decide(after: error, attempts: 0, isPublish: true, now: now)
/// ```
public struct BlogRetryPolicy: Sendable {
    public struct Decision: Sendable, Hashable {
        /// When to try again; `nil` gives the operation up.
        public var retryAt: Date?
        /// Whether the channel hears of this failure.
        public var tellChannel: Bool
        /// Whether the draft goes back to open (a publish that will not happen).
        public var reopenDraft: Bool

        public init(retryAt: Date?, tellChannel: Bool, reopenDraft: Bool) {
            self.retryAt = retryAt
            self.tellChannel = tellChannel
            self.reopenDraft = reopenDraft
        }
    }

    public var firstDelay: TimeInterval = 5
    public var longestDelay: TimeInterval = 900
    /// A number in 0..<1 for the jitter (tests pass a constant).
    public var random: @Sendable () -> Double

    public init(random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.random = random
    }

    /// The delay before retry number `attempts` (0-based), without jitter.
    public func backoff(afterAttempt attempts: Int) -> TimeInterval {
        min(firstDelay * Double(1 << min(max(attempts, 0), 20)), longestDelay)
    }

    public func decide(after error: BlogEngineError, attempts: Int, isPublish: Bool, now: Date) -> Decision {
        switch error.kind {
        case .transient:
            var delay = backoff(afterAttempt: attempts) * (1 + 0.2 * random())
            if let retryAfter = error.retryAfter { delay = max(delay, min(retryAfter, 86_400)) }
            return Decision(retryAt: now.addingTimeInterval(delay), tellChannel: attempts == 0, reopenDraft: false)
        case .permanent, .conflict:
            return Decision(retryAt: nil, tellChannel: true, reopenDraft: isPublish)
        }
    }
}
