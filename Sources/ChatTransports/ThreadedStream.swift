#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Threads

/// Runs a blocking producer on a dedicated `Thread` and bridges what it yields into an
/// `AsyncThrowingStream`, in batches and with backpressure.
///
/// The producer blocks when `capacity` batches wait unconsumed, so a fast reader never piles up
/// a whole file in memory. The consumer pulls (the stream is built with `init(unfolding:)`) and
/// touches the lock once per batch. When the consuming task is cancelled or the stream is
/// dropped, the producer's next ``ThreadedStreamSink/yield(_:)`` or ``ThreadedStreamSink/pause(_:)``
/// throws ``ThreadedStream/ConsumerGone`` and the thread ends.
enum ThreadedStream {
    /// Thrown to the producer when the consumer has gone away.
    struct ConsumerGone: Error {}

    static func make<Element: Sendable>(
        name: String, batchSize: Int = 512, capacity: Int = 4,
        producer: @escaping @Sendable (ThreadedStreamSink<Element>) throws -> Void
    ) -> AsyncThrowingStream<Element, Error> {
        let channel = BatchChannel<Element>(capacity: capacity)
        DedicatedThread.start(name: name) {
            let sink = ThreadedStreamSink(channel: channel, batchSize: batchSize)
            do {
                try producer(sink)
                try sink.flush()
                channel.finish(throwing: nil)
            } catch is ThreadedStream.ConsumerGone {
                // Nobody listens any more.
            } catch {
                try? sink.flush()
                channel.finish(throwing: error)
            }
        }
        let consumer = ConsumerState(channel: channel)
        return AsyncThrowingStream(unfolding: { try await consumer.next() })
    }
}

/// The producer's side: buffers elements into batches and hands them over.
final class ThreadedStreamSink<Element: Sendable> {
    private let channel: BatchChannel<Element>
    private let batchSize: Int
    private var batch: [Element] = []

    fileprivate init(channel: BatchChannel<Element>, batchSize: Int) {
        self.channel = channel
        self.batchSize = batchSize
        batch.reserveCapacity(batchSize)
    }

    /// Queues one element; blocks while the consumer is behind.
    func yield(_ element: Element) throws {
        batch.append(element)
        if batch.count >= batchSize { try flush() }
    }

    /// Hands over what is queued now.
    func flush() throws {
        guard !batch.isEmpty else {
            if channel.isClosed { throw ThreadedStream.ConsumerGone() }
            return
        }
        let full = batch
        batch = []
        batch.reserveCapacity(batchSize)
        guard channel.send(full) else { throw ThreadedStream.ConsumerGone() }
    }

    /// Waits `interval` (cut short when the consumer goes away, which throws).
    func pause(_ interval: Duration) throws {
        guard channel.wait(interval) else { throw ThreadedStream.ConsumerGone() }
    }
}

/// A bounded queue of batches between one producer thread and one async consumer.
final class BatchChannel<Element: Sendable>: @unchecked Sendable {
    private let condition = ConditionLock()
    private let capacity: Int
    private var queue: [[Element]] = []
    private var waiter: CheckedContinuation<[Element]?, Error>?
    private var ending: Result<Void, Error>?
    private var closed = false

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }

    /// Producer: blocks while full; `false` when the consumer has gone.
    func send(_ batch: [Element]) -> Bool {
        condition.lock()
        while queue.count >= capacity && !closed { condition.wait() }
        if closed {
            condition.unlock()
            return false
        }
        if let waiter {
            self.waiter = nil
            condition.unlock()
            waiter.resume(returning: batch)
            return true
        }
        queue.append(batch)
        condition.unlock()
        return true
    }

    /// Producer: no more batches.
    func finish(throwing error: Error?) {
        condition.lock()
        ending = error.map { .failure($0) } ?? .success(())
        let waiter = self.waiter
        self.waiter = nil
        condition.unlock()
        if let waiter { deliverEnding(to: waiter) }
    }

    /// Producer: sleeps up to `interval`; `false` when the consumer has gone.
    func wait(_ interval: Duration) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if !closed { condition.wait(timeout: interval) }
        return !closed
    }

    /// Consumer: the next batch, or `nil` at the end.
    func receive() async throws -> [Element]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Element]?, Error>) in
                condition.lock()
                if !queue.isEmpty {
                    let batch = queue.removeFirst()
                    condition.broadcast()
                    condition.unlock()
                    continuation.resume(returning: batch)
                } else if closed {
                    condition.unlock()
                    continuation.resume(returning: nil)
                } else if ending != nil {
                    condition.unlock()
                    deliverEnding(to: continuation)
                } else {
                    waiter = continuation
                    condition.unlock()
                }
            }
        } onCancel: {
            close()
        }
    }

    /// Consumer: gone (cancelled or dropped); wakes the producer so its thread can end.
    func close() {
        condition.lock()
        closed = true
        let waiter = self.waiter
        self.waiter = nil
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
        waiter?.resume(returning: nil)
    }

    /// Resumes with the ending once; later receives see a plain end.
    private func deliverEnding(to continuation: CheckedContinuation<[Element]?, Error>) {
        condition.lock()
        let ending = self.ending
        self.ending = .success(())
        condition.unlock()
        switch ending {
        case .failure(let error)?: continuation.resume(throwing: error)
        default: continuation.resume(returning: nil)
        }
    }
}

/// The consumer's side: walks the current batch without locking; closes the channel when the
/// stream is dropped.
private final class ConsumerState<Element: Sendable>: @unchecked Sendable {
    private let channel: BatchChannel<Element>
    private var batch: [Element] = []
    private var index = 0

    init(channel: BatchChannel<Element>) {
        self.channel = channel
    }

    deinit {
        channel.close()
    }

    func next() async throws -> Element? {
        if index < batch.count {
            defer { index += 1 }
            return batch[index]
        }
        while let next = try await channel.receive() {
            guard !next.isEmpty else { continue }
            batch = next
            index = 1
            return next[0]
        }
        batch = []
        index = 0
        return nil
    }
}
