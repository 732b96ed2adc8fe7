import Testing

@testable import BotRuntime

@Suite struct WakeupTests {
    @Test func aSignalBeforeTheWaitEndsItAtOnceAndIsUsedOnce() async {
        let wakeup = Wakeup()
        wakeup.signal()
        let start = ContinuousClock.now
        await wakeup.wait(atMost: .seconds(60))
        #expect(ContinuousClock.now - start < .seconds(30))
        // The signal was used: the next wait runs to its limit.
        let again = ContinuousClock.now
        await wakeup.wait(atMost: .milliseconds(50))
        #expect(ContinuousClock.now - again >= .milliseconds(50))
    }

    @Test func aSignalDuringTheWaitEndsIt() async {
        let wakeup = Wakeup()
        async let waited: Void = wakeup.wait(atMost: .seconds(60))
        // Signal until the waiter is gone (it may not be waiting yet when the first one comes).
        let start = ContinuousClock.now
        let signaller = Task {
            while !Task.isCancelled {
                wakeup.signal()
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        await waited
        signaller.cancel()
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test func cancellingTheWaitingTaskEndsTheWait() async {
        let wakeup = Wakeup()
        let task = Task { await wakeup.wait(atMost: .seconds(60)) }
        task.cancel()
        let start = ContinuousClock.now
        await task.value
        #expect(ContinuousClock.now - start < .seconds(30))
    }
}
