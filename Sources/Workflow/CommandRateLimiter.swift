#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Keeps one person from flooding the bot, with no I/O: a token bucket per person (their account,
/// or their nick where nicks are trusted), refilled by the messages' own times so a replayed log
/// and a live channel behave the same.
///
/// A person over the limit is told once ("slow down") and then ignored silently; commands that fit
/// the refilling bucket are still answered, but the refusal is said again only after the person
/// stayed quiet long enough for the bucket to fill up, so the refusal itself cannot become a flood.
///
/// ```swift
/// var limiter = CommandRateLimiter(burst: 5, perMinute: 10)
/// switch limiter.admit("alice", at: message.time) { case .allowed: … case .refusedTellOnce(let wait): … case .refusedSilently: … }
/// ```
public struct CommandRateLimiter: Sendable {
    public enum Verdict: Sendable, Hashable {
        case allowed
        /// Refused; say so once, naming how long to wait.
        case refusedTellOnce(retryAfterSeconds: Int)
        /// Refused again before the bucket refilled: say nothing.
        case refusedSilently
    }

    private struct Bucket: Sendable {
        var tokens: Double
        var updated: Date
        var told: Bool
    }

    /// Commands one person may send at once.
    public let burst: Double
    /// Commands per minute one person may sustain.
    public let perMinute: Double
    private var buckets: [String: Bucket] = [:]

    public init(burst: Int = 5, perMinute: Int = 10) {
        self.burst = Double(max(1, burst))
        self.perMinute = Double(max(1, perMinute))
    }

    public mutating func admit(_ person: String, at time: Date) -> Verdict {
        var bucket = buckets[person] ?? Bucket(tokens: burst, updated: time, told: false)
        let elapsed = max(0, time.timeIntervalSince(bucket.updated))
        bucket.tokens = min(burst, bucket.tokens + elapsed * perMinute / 60)
        bucket.updated = max(bucket.updated, time)
        defer {
            buckets[person] = bucket
            if buckets.count > 10_000 { forgetFull(at: time) }
        }
        // A person who stayed quiet until the bucket refilled is told again next time.
        if bucket.tokens >= burst { bucket.told = false }
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            return .allowed
        }
        if bucket.told { return .refusedSilently }
        bucket.told = true
        return .refusedTellOnce(retryAfterSeconds: Int(((1 - bucket.tokens) * 60 / perMinute).rounded(.up)))
    }

    /// Drops buckets that have refilled completely (they behave like new ones), so memory stays bounded.
    private mutating func forgetFull(at time: Date) {
        buckets = buckets.filter { _, bucket in
            bucket.tokens + max(0, time.timeIntervalSince(bucket.updated)) * perMinute / 60 < burst
        }
    }
}
