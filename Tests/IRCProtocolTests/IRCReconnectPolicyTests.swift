import Testing
@testable import IRCProtocol

@Suite struct IRCReconnectPolicyTests {
    /// Returns the same value every time: 0 → no jitter taken off, close to 1 → almost all of it.
    struct FixedRandom: RandomNumberGenerator {
        let value: UInt64
        mutating func next() -> UInt64 { value }
    }

    let start = ContinuousClock.now

    @Test func backsOffExponentiallyUpToTheMaximum() {
        var policy = IRCReconnectPolicy()
        var random = FixedRandom(value: 0)
        let delays = (0..<9).map { _ in policy.delayAfterDisconnect(now: start, using: &random) }
        #expect(delays == [1, 2, 4, 8, 15, 15, 15, 15, 15].map { Duration.seconds($0) })
    }

    @Test func jitterShortensDelaysByAtMostAQuarter() {
        var policy = IRCReconnectPolicy()
        var random = FixedRandom(value: UInt64.max)  // Double.random(in: 0..<1) just below 1
        let first = policy.delayAfterDisconnect(now: start, using: &random)
        let second = policy.delayAfterDisconnect(now: start, using: &random)
        #expect(first == .milliseconds(750))
        #expect(second == .milliseconds(1500))
        var seeded = IRCMessageTests.SplitMix(state: 42)
        var seen: Set<Duration> = []
        for _ in 0..<200 {
            var other = IRCReconnectPolicy()
            let delay = other.delayAfterDisconnect(now: start, using: &seeded)
            #expect(delay > .milliseconds(749) && delay <= .seconds(1))
            seen.insert(delay)
        }
        #expect(seen.count > 50)  // really spread, not one value
    }

    @Test func resetsAfterAStableConnectionOnly() {
        var policy = IRCReconnectPolicy()
        var random = FixedRandom(value: 0)
        for _ in 0..<4 { _ = policy.delayAfterDisconnect(now: start, using: &random) }
        // Up for 30 s: not stable, the backoff continues.
        policy.connectionEstablished(now: start)
        #expect(policy.delayAfterDisconnect(now: start.advanced(by: .seconds(30)), using: &random) == .seconds(15))
        // Up for 60 s: stable, back to the first delay.
        policy.connectionEstablished(now: start.advanced(by: .seconds(100)))
        #expect(policy.delayAfterDisconnect(now: start.advanced(by: .seconds(160)), using: &random) == .seconds(1))
        #expect(policy.consecutiveFailures == 1)
    }

    @Test func tenServerRestartsAreEachRecoveredWithinThirtySeconds() {
        // A server restart takes a few seconds; attempts 1 + 2 + 4 + 8 s cover 15 s of downtime.
        var policy = IRCReconnectPolicy()
        var random = FixedRandom(value: 0)
        var now = start
        for _ in 0..<10 {
            policy.connectionEstablished(now: now)
            now = now.advanced(by: .seconds(120))  // the server ran for two minutes, then died
            let downUntil = now.advanced(by: .seconds(10))
            var waited = Duration.zero
            repeat {
                let delay = policy.delayAfterDisconnect(now: now, using: &random)
                now = now.advanced(by: delay)
                waited += delay
            } while now < downUntil
            #expect(waited <= .seconds(30))
        }
    }

    @Test func serverKilledEveryFewSecondsIsStillRejoinedWithinThirtySeconds() {
        // Ten restarts in a row, each connection up only 3 s (never stable): the backoff keeps
        // growing but its cap keeps every wait, plus a restart of up to 10 s, under 30 s.
        var policy = IRCReconnectPolicy()
        var random = FixedRandom(value: 0)
        var now = start
        var waits: [Duration] = []
        for _ in 0..<10 {
            policy.connectionEstablished(now: now)
            now = now.advanced(by: .seconds(3))
            let downUntil = now.advanced(by: .seconds(10))
            var waited = Duration.zero
            repeat {
                let delay = policy.delayAfterDisconnect(now: now, using: &random)
                now = now.advanced(by: delay)
                waited += delay
            } while now < downUntil
            waits.append(waited)
        }
        #expect(waits == [15, 15, 15, 15, 15, 15, 15, 15, 15, 15].map { Duration.seconds($0) })
        #expect(waits.allSatisfy { $0 < .seconds(30) })
    }
}
