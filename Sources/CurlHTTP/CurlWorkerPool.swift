#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Threads

/// Dedicated threads that run blocking `curl_easy_perform` calls off Swift's cooperative pool.
///
/// Threads start on demand, up to `maximumThreads`; each owns one ``CurlEasyHandle`` for its
/// whole life (reused between jobs, so connections are kept alive) and takes jobs in order.
final class CurlWorkerPool: @unchecked Sendable {
    struct Job: Sendable {
        let request: HTTPRequest
        let configuration: CurlHTTPClient.Configuration
        let cancellation: CancellationFlag
        let continuation: CheckedContinuation<HTTPResponse, any Error>
    }

    private let name: String
    private let maximumThreads: Int
    // All below guarded by `condition`.
    private let condition = ConditionLock()
    private var jobs: [Job] = []
    private var threadCount = 0
    private var idleCount = 0
    private var isStopped = false

    init(name: String, maximumThreads: Int) {
        self.name = name
        self.maximumThreads = max(1, maximumThreads)
    }

    /// Queues `job`; its continuation is always resumed exactly once.
    func submit(_ job: Job) {
        condition.lock()
        guard !isStopped else {
            condition.unlock()
            job.continuation.resume(throwing: CancellationError())
            return
        }
        jobs.append(job)
        let spawn = jobs.count > idleCount && threadCount < maximumThreads
        if spawn { threadCount += 1 }
        condition.signal()
        condition.unlock()
        if spawn {
            DedicatedThread.start(name: name) { [self] in runWorker() }
        }
    }

    /// Lets the threads finish queued jobs, then exit.
    func stop() {
        condition.lock()
        isStopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func nextJob() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !isStopped {
            idleCount += 1
            condition.wait()
            idleCount -= 1
        }
        guard !jobs.isEmpty else {
            threadCount -= 1
            return nil
        }
        return jobs.removeFirst()
    }

    private func runWorker() {
        var handle: CurlEasyHandle?
        while let job = nextJob() {
            if job.cancellation.isCancelled {
                job.continuation.resume(throwing: CancellationError())
                continue
            }
            do {
                let current = try handle ?? CurlEasyHandle()
                handle = current
                let response = try current.send(
                    job.request, configuration: job.configuration, cancellation: job.cancellation)
                job.continuation.resume(returning: response)
            } catch {
                job.continuation.resume(throwing: error)
            }
        }
    }
}
