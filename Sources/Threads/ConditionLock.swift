#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with a condition variable (`pthread_mutex_t` + `pthread_cond_t`), with the same calls
/// as Foundation's `NSCondition`: `lock()`, `unlock()`, `wait()` (with the lock held), `signal()`,
/// `broadcast()`. For threads that block; async code uses `Mutex` and continuations instead.
public final class ConditionLock: @unchecked Sendable {
    // Reviewed unsafe use: both are allocated once, initialised here, never moved (pthread objects
    // must keep their address), and destroyed and freed in deinit, when no thread can hold them.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        // Timed waits measure on the monotonic clock: setting the wall clock moves no deadline.
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        #if canImport(Glibc)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        #endif
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }

    public func unlock() { pthread_mutex_unlock(mutex) }

    /// Releases the lock, sleeps until signalled (or spuriously), and takes the lock again: call
    /// it in a loop that re-checks the condition.
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// ``wait()`` for at most `timeout`; false when the time ran out (true may also be spurious).
    @discardableResult
    public func wait(timeout: Duration) -> Bool {
        let (seconds, attoseconds) = max(timeout, .zero).components
        var deadline = timespec()
        #if canImport(Glibc)
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        #else
        clock_gettime(CLOCK_REALTIME, &deadline)
        #endif
        var nanoseconds = Int64(deadline.tv_nsec) + attoseconds / 1_000_000_000
        var wholeSeconds = Int64(deadline.tv_sec) + min(seconds, Int64(Int32.max))
        if nanoseconds >= 1_000_000_000 {
            nanoseconds -= 1_000_000_000
            wholeSeconds += 1
        }
        deadline.tv_sec = .init(wholeSeconds)
        deadline.tv_nsec = .init(nanoseconds)
        return pthread_cond_timedwait(condition, mutex, &deadline) != ETIMEDOUT
    }

    /// Wakes one waiting thread.
    public func signal() { pthread_cond_signal(condition) }

    /// Wakes every waiting thread.
    public func broadcast() { pthread_cond_broadcast(condition) }

    /// Runs `body` with the lock held.
    public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
