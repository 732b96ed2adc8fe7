import CurlHTTP

/// Reads CR LF lines from a ``CurlStreamConnection``'s inbound chunks, for tests. A read that
/// passes its deadline closes the connection (which ends the stream) and throws.
final class StreamLineReader {
    let connection: CurlStreamConnection
    private var iterator: AsyncThrowingStream<[UInt8], Error>.AsyncIterator
    fileprivate var pending: [UInt8] = []
    private(set) var lines: [String] = []

    init(_ connection: CurlStreamConnection) {
        self.connection = connection
        iterator = connection.inbound.makeAsyncIterator()
    }

    /// The first line (after those already returned) that satisfies `predicate`.
    func line(within timeout: Duration = .seconds(10), where predicate: (String) -> Bool) async throws -> String {
        let watchdog = Task { [connection] in
            try await Task.sleep(for: timeout)
            connection.close()
        }
        defer { watchdog.cancel() }
        while true {
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > 0 && pending[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: pending[0..<end], as: UTF8.self)
                pending.removeSubrange(0...newline)
                lines.append(line)
                if predicate(line) { return line }
            }
            guard let chunk = try await nextChunk() else {
                throw ServerError("stream ended (closed, or no matching line within \(timeout)); last lines: \(lines.suffix(5))")
            }
            pending.append(contentsOf: chunk)
        }
    }

    func nextChunk() async throws -> [UInt8]? {
        try await iterator.next()
    }

    /// Everything until the stream ends (normally or with an error, which is thrown).
    func rest() async throws -> [UInt8] {
        var all = pending
        pending = []
        while let chunk = try await iterator.next() { all.append(contentsOf: chunk) }
        return all
    }
}

extension CurlStreamConnection {
    func send(line: String) throws {
        try send(Array((line + "\r\n").utf8))
    }
}

extension StreamLineReader {
    /// Exactly `count` bytes (lines already split off are not included).
    func bytes(count: Int, within timeout: Duration = .seconds(20)) async throws -> [UInt8] {
        let watchdog = Task { [connection] in
            try await Task.sleep(for: timeout)
            connection.close()
        }
        defer { watchdog.cancel() }
        while pending.count < count {
            guard let chunk = try await nextChunk() else {
                throw ServerError("stream ended after \(pending.count) of \(count) bytes")
            }
            pending.append(contentsOf: chunk)
        }
        let result = Array(pending[0..<count])
        pending.removeSubrange(0..<count)
        return result
    }
}

/// Polls `condition` until it holds; throws when `timeout` passes first.
func eventually(within timeout: Duration = .seconds(10), _ what: String, _ condition: () throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try !condition() {
        guard ContinuousClock.now < deadline else { throw ServerError("\(what): not within \(timeout)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
