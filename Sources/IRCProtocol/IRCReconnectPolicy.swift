/// When to reconnect after a connection fails or ends: exponential backoff with jitter, reset once
/// a connection has stayed up long enough to count as stable.
///
/// Sans-I/O: the driver reports ``connectionEstablished(now:)`` when registration succeeds and asks
/// ``delayAfterDisconnect(now:using:)`` each time the link is lost or a connect attempt fails. The
/// random source is injected so tests are deterministic.
///
/// With the defaults the delays are about 1, 2, 4, 8, 15, 15… seconds, each shortened by up to 25 %
/// at random (so many bots restarted together do not reconnect in step). The cap is 15 s so that a
/// server restarted again and again (each connection too short to count as stable) is still
/// rejoined within 30 s of coming back; an attempt at a server that is down is a refused TCP
/// connect, cheap enough every 15 s.
///
/// ```swift
/// var policy = IRCReconnectPolicy()
/// let delay = policy.delayAfterDisconnect(now: clock.now, using: &generator)
/// try await Task.sleep(for: delay)
/// ```
public struct IRCReconnectPolicy: Hashable, Sendable {
    public var initialDelay: Duration
    public var maximumDelay: Duration
    public var multiplier: Double
    /// Fraction of each delay that may be taken off at random, 0…1.
    public var jitter: Double
    /// A connection that lasted this long resets the backoff.
    public var stableAfter: Duration

    /// Failures since the last stable connection.
    public private(set) var consecutiveFailures = 0
    private var establishedAt: ContinuousClock.Instant?

    public init(initialDelay: Duration = .seconds(1), maximumDelay: Duration = .seconds(15), multiplier: Double = 2,
                jitter: Double = 0.25, stableAfter: Duration = .seconds(60)) {
        precondition(initialDelay >= .zero && maximumDelay >= initialDelay && multiplier >= 1 && (0...1).contains(jitter),
                     "IRCReconnectPolicy: delays must be ordered, multiplier ≥ 1 and jitter in 0…1")
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.multiplier = multiplier
        self.jitter = jitter
        self.stableAfter = stableAfter
    }

    /// The connection is up (registered).
    public mutating func connectionEstablished(now: ContinuousClock.Instant) {
        establishedAt = now
    }

    /// The connection ended or an attempt failed: how long to wait before the next attempt.
    public mutating func delayAfterDisconnect(now: ContinuousClock.Instant, using generator: inout some RandomNumberGenerator) -> Duration {
        if let establishedAt, establishedAt.advanced(by: stableAfter) <= now {
            consecutiveFailures = 0
        }
        establishedAt = nil
        let exponent = Double(consecutiveFailures)
        consecutiveFailures += 1
        let initial = Self.seconds(initialDelay)
        let base = min(initial * pow(multiplier, exponent), Self.seconds(maximumDelay))
        let factor = 1 - jitter * Double.random(in: 0..<1, using: &generator)
        return .milliseconds(Int64((base * factor * 1000).rounded()))
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `base` raised to a small whole `exponent` (no Foundation).
    private func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var remaining = Int(exponent)
        while remaining > 0, result < 1e9 {
            result *= base
            remaining -= 1
        }
        return result
    }
}
