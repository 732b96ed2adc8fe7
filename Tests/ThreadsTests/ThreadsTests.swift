import Foundation
import Synchronization
import Testing

@testable import Threads

#if canImport(Glibc)
import Glibc
#endif

struct ThreadsTests {
    /// Polls `condition` until it holds or `deadline` passes.
    static func eventually(within deadline: Duration = .seconds(10), _ condition: () -> Bool) -> Bool {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            if condition() { return true }
            usleep(1_000)
        }
        return condition()
    }

    /// This thread's kernel id, from /proc/thread-self (a symlink to /proc/PID/task/TID).
    static func threadID() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
    }

    @Test func runsTheBodyOnItsOwnNamedThread() {
        let seen = Mutex<(ran: Bool, name: String, differs: Bool)?>(nil)
        let starter = Self.threadID()
        DedicatedThread.start(name: "tp-test-thread-with-a-long-name") {
            #if canImport(Glibc)
            let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            #else
            let name = ""
            #endif
            seen.withLock { $0 = (true, name.trimmingSuffix(while: { $0 == "\n" }), Self.threadID() != starter) }
        }
        #expect(Self.eventually { seen.withLock { $0 != nil } })
        let result = seen.withLock { $0 }
        #expect(result?.differs == true)
        #if canImport(Glibc)
        #expect(result?.name == "tp-test-thread-")  // Linux keeps 15 bytes
        #endif
    }

    @Test func manyThreadsEachRunOnce() {
        let count = Mutex(0)
        for index in 0..<50 {
            DedicatedThread.start(name: "tp-\(index)") { count.withLock { $0 += 1 } }
        }
        #expect(Self.eventually { count.withLock { $0 } == 50 })
    }

    @Test func aWaitIsWokenBySignal() {
        let lock = ConditionLock()
        let ready = Mutex(false)
        let woken = Mutex(false)
        DedicatedThread.start(name: "tp-waiter") {
            lock.lock()
            ready.withLock { $0 = true }
            var signalled = false
            while !signalled { signalled = lock.wait(timeout: .seconds(30)) && woken.withLock { $0 } }
            lock.unlock()
            woken.withLock { $0 = false }
        }
        #expect(Self.eventually { ready.withLock { $0 } })
        lock.withLock {
            woken.withLock { $0 = true }
            lock.signal()
        }
        #expect(Self.eventually { woken.withLock { !$0 } })
    }

    @Test func aTimedWaitEndsAfterItsTimeout() {
        let lock = ConditionLock()
        let started = ContinuousClock.now
        var timedOut = false
        lock.withLock {
            // Spurious wake-ups return true: wait again until the time has run out.
            while !timedOut { timedOut = !lock.wait(timeout: .milliseconds(50)) }
        }
        #expect(ContinuousClock.now - started >= .milliseconds(50))
    }

    @Test func broadcastWakesEveryWaiter() {
        let lock = ConditionLock()
        let waiting = Mutex(0)
        let released = Mutex(false)
        let done = Mutex(0)
        for index in 0..<4 {
            DedicatedThread.start(name: "tp-b\(index)") {
                lock.lock()
                waiting.withLock { $0 += 1 }
                while !released.withLock({ $0 }) { lock.wait() }
                lock.unlock()
                done.withLock { $0 += 1 }
            }
        }
        #expect(Self.eventually { waiting.withLock { $0 } == 4 })
        lock.withLock {
            released.withLock { $0 = true }
            lock.broadcast()
        }
        #expect(Self.eventually { done.withLock { $0 } == 4 })
    }
}

extension String {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var text = self
        while let last = text.last, predicate(last) { text.removeLast() }
        return text
    }
}
