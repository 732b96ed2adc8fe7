import BlogEngines
import Foundation
import Synchronization
import ThreadpressModel

/// Wraps a real blog engine and makes chosen calls fail, to prove the bot survives outages and
/// crashes. It never replaces the real engine: every call that is not failed goes through to it.
///
/// ```swift
/// let engine = FaultInjectingBlogEngine(wrapping: MarkdownFolderEngine(directory: dir))
/// engine.inject(.failBefore(transient: true), on: .publish, times: 2)   // blog down twice
/// engine.inject(.failAfter, on: .create, times: 1)   // the blog acted, then the answer was lost
/// ```
public final class FaultInjectingBlogEngine: BlogEngine {
    public enum Operation: Sendable, Hashable { case find, create, publish, update, discard, comments, commentsByID }

    public enum Fault: Sendable, Hashable {
        /// Throw before calling the real engine.
        case failBefore(transient: Bool)
        /// Call the real engine, then throw as if its answer was lost (a crash or a timeout).
        case failAfter
        /// Throw an error that is not a `BlogEngineError` (what an engine's own bug or an
        /// unclassified lower layer would throw), before calling the real engine.
        case unclassified
        /// Hang like a stalled server until ``releaseStalls()`` (or cancellation), then call the
        /// real engine.
        case stall
    }

    /// Lets every stalled call go on.
    public func releaseStalls() { state.withLock { $0.released = true } }

    /// How many calls are stalled right now.
    public var stalledCalls: Int { state.withLock { $0.stalled } }

    /// An error that no engine classified.
    public struct UnclassifiedFailure: Error, CustomStringConvertible {
        public var description: String { "injected unclassified failure (a timeout the engine did not classify)" }
    }

    private struct State {
        var faults: [Operation: [Fault]] = [:]
        var calls: [Operation: Int] = [:]
        var released = false
        var stalled = 0
    }

    private let wrapped: any BlogEngine
    private let state = Mutex(State())

    public init(wrapping engine: any BlogEngine) { self.wrapped = engine }

    public var identifier: String { wrapped.identifier }

    /// Queues `fault` for the next `times` calls of `operation`.
    public func inject(_ fault: Fault, on operation: Operation, times: Int = 1) {
        state.withLock { $0.faults[operation, default: []].append(contentsOf: Array(repeating: fault, count: times)) }
    }

    /// How many times `operation` was called, failed or not.
    public func calls(_ operation: Operation) -> Int { state.withLock { $0.calls[operation] ?? 0 } }

    private func perform<T>(_ operation: Operation, _ body: () async throws -> T) async throws -> T {
        let fault = state.withLock { state -> Fault? in
            state.calls[operation, default: 0] += 1
            return state.faults[operation]?.isEmpty == false ? state.faults[operation]!.removeFirst() : nil
        }
        switch fault {
        case .failBefore(let transient)?:
            throw BlogEngineError("injected failure: blog answered 500", isTransient: transient)
        case .unclassified?:
            throw UnclassifiedFailure()
        case .stall?:
            state.withLock { $0.stalled += 1 }
            defer { state.withLock { $0.stalled -= 1 } }
            while !state.withLock({ $0.released }) { try await Task.sleep(for: .milliseconds(10)) }
            return try await body()
        case .failAfter?:
            _ = try await body()
            throw BlogEngineError("injected failure: connection lost after the blog acted", isTransient: true)
        case nil:
            return try await body()
        }
    }

    public func find(key: String) async throws -> PostReference? {
        try await perform(.find) { try await wrapped.find(key: key) }
    }

    public func createDraft(_ draft: PostDraft) async throws -> PostReference {
        try await perform(.create) { try await wrapped.createDraft(draft) }
    }

    public func publish(_ draft: PostDraft, reference: PostReference, at date: Date) async throws -> PostReference {
        try await perform(.publish) { try await wrapped.publish(draft, reference: reference, at: date) }
    }

    public func update(_ draft: PostDraft, reference: PostReference) async throws -> PostReference {
        try await perform(.update) { try await wrapped.update(draft, reference: reference) }
    }

    public func discard(_ reference: PostReference) async throws {
        try await perform(.discard) { try await wrapped.discard(reference) }
    }

    public func comments(after cursor: String?, scope: CommentScope) async throws -> CommentPage {
        try await perform(.comments) { try await wrapped.comments(after: cursor, scope: scope) }
    }

    public func comments(ids: [String]) async throws -> [BlogComment] {
        try await perform(.commentsByID) { try await wrapped.comments(ids: ids) }
    }
}
