import Synchronization

/// Wakes a loop that otherwise sleeps between rounds: `signal()` ends the current (or next) wait
/// at once, so a reply queued by a command goes out in milliseconds instead of at the next poll,
/// while an idle bot still does nothing between polls.
///
/// ```swift
/// while !Task.isCancelled { try await replies.flush(); await wakeup.wait(atMost: .seconds(1)) }
/// // elsewhere, after queuing a reply:
/// wakeup.signal()
/// ```
final class Wakeup: Sendable {
    private struct State {
        var signalled = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Ends the current wait, or the next one if nobody is waiting.
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.signalled = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when signalled, when `limit` has passed, or (within `limit`) when cancelled.
    func wait(atMost limit: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: limit)
                self.signal()
            }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.signalled {
                        state.signalled = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
            group.cancelAll()
        }
        // A timer that fired after a real signal must not cut the next wait short.
        state.withLock { $0.signalled = false }
    }
}
