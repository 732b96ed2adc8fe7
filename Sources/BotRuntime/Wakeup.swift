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
    /// One wait: opened by a signal, its time limit, or cancellation, whichever comes first, and
    /// whether or not the waiter has started waiting yet.
    private final class Gate: Sendable {
        private let state = Mutex<(open: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

        func open() {
            state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.open = true
                defer { state.waiter = nil }
                return state.waiter
            }?.resume()
        }

        func wait() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let isOpen = state.withLock { state -> Bool in
                    if !state.open { state.waiter = continuation }
                    return state.open
                }
                if isOpen { continuation.resume() }
            }
        }
    }

    /// A signal with nobody waiting is kept for the next wait.
    private let state = Mutex<(signalled: Bool, gate: Gate?)>((false, nil))

    /// Ends the current wait, or the next one if nobody is waiting.
    func signal() {
        state.withLock { state -> Gate? in
            guard let gate = state.gate else {
                state.signalled = true
                return nil
            }
            state.gate = nil
            return gate
        }?.open()
    }

    /// Returns when signalled, when `limit` has passed, or when the task is cancelled.
    func wait(atMost limit: Duration) async {
        let gate = Gate()
        let alreadySignalled = state.withLock { state -> Bool in
            if state.signalled {
                state.signalled = false
                return true
            }
            state.gate = gate
            return false
        }
        if alreadySignalled { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Ends early when cancelled: by this wait once it is over, or by a shutdown.
                try? await Task.sleep(for: limit)
                gate.open()
            }
            await gate.wait()
            group.cancelAll()
        }
        state.withLock { state in
            if state.gate === gate { state.gate = nil }
        }
    }
}
