import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP client for tests that must control every byte (slow-loris, floods, pipelining): sends raw
/// bytes, reads raw responses with a deadline without blocking Swift's cooperative threads.
public final class RawHTTPClient {
    public let descriptor: Int32
    private var buffered: [UInt8] = []

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Connects to 127.0.0.1:`port`. `receiveBufferSize` pins the kernel's receive buffer (no
    /// autotuning), for tests of a peer that does not read.
    public init(port: UInt16, receiveBufferSize: Int32? = nil) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBufferSize {
            _ = setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(descriptor)
            throw Failure(description: "connect failed: \(errno)")
        }
    }

    deinit { close(descriptor) }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(description: "send failed: \(errno)") }
            offset += sent
        }
    }

    /// Reads more bytes, waiting up to `deadline`; `false` at EOF (or reset). Polls without
    /// blocking and sleeps between polls, so Swift's cooperative threads stay free for the server.
    private func fill(until deadline: Date) async throws -> Bool {
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
        while poll(&descriptors, 1, 0) <= 0 {
            guard Date() < deadline else { throw Failure(description: "timed out waiting for the server") }
            try await Task.sleep(for: .milliseconds(2))
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count <= 0 { return false }
        buffered += chunk[0..<count]
        return true
    }

    /// One response: status line, header block and `Content-Length` body.
    public func readResponse(timeout: TimeInterval = 10) async throws -> (status: Int, headers: [String: String], body: String) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            if let end = headEnd() {
                let head = String(decoding: buffered[0..<end], as: UTF8.self)
                var lines = head.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst()
                let status = Int(statusLine.split(separator: " ")[1]) ?? 0
                var headers: [String: String] = [:]
                for line in lines where !line.isEmpty {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    headers[parts[0].lowercased()] = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                }
                let length = Int(headers["content-length"] ?? "0") ?? 0
                let total = end + 4 + (status == 100 ? 0 : length)
                while buffered.count < total {
                    guard try await fill(until: deadline) else { throw Failure(description: "closed inside a body") }
                }
                let body = String(decoding: buffered[(end + 4)..<total], as: UTF8.self)
                buffered.removeFirst(total)
                return (status, headers, body)
            }
            guard try await fill(until: deadline) else { throw Failure(description: "closed before a response") }
        }
    }

    /// Whether the server closes the connection within `timeout` (no more bytes, then EOF).
    public func waitForClose(timeout: TimeInterval = 10) async -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            do {
                if try await !fill(until: deadline) { return true }
            } catch {
                return false
            }
        }
        return false
    }

    private func headEnd() -> Int? {
        guard buffered.count >= 4 else { return nil }
        for index in 0...(buffered.count - 4)
        where buffered[index] == 13 && buffered[index + 1] == 10 && buffered[index + 2] == 13 && buffered[index + 3] == 10 {
            return index
        }
        return nil
    }
}

/// Polls `condition` until it holds or `timeout` passes.
public func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}
