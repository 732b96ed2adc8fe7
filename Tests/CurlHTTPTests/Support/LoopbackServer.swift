import Foundation
import ThreadpressTesting
#if canImport(Glibc)
import Glibc
#endif

/// A python3 HTTP server on 127.0.0.1 for one test; `stop()` (call it in a `defer`) kills it.
/// Starting (reading the port, polling connect) and stopping block, so both run on their own
/// threads: the tests must not block Swift's cooperative pool any more than the client may.
final class LoopbackServer: @unchecked Sendable {
    let port: Int
    let folder: TemporaryDirectory
    private let process: Process

    /// Starts `python3 arguments...` in a fresh folder (after `prepare` wrote files into it); the
    /// server binds port 0 and its first line of stdout must name the port ("... port 12345 ...").
    init(arguments: (TemporaryDirectory) throws -> [String], prepare: (TemporaryDirectory) throws -> Void = { _ in })
        throws
    {
        folder = try TemporaryDirectory(prefix: "curlhttp-test")
        try prepare(folder)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u"] + (try arguments(folder))
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            port = try Self.readPort(from: output.fileHandleForReading)
            try Self.waitUntilAccepting(port: port, within: 3)
        } catch {
            Self.kill(process)
            folder.remove()
            throw error
        }
    }

    /// Runs the blocking initialiser on a dedicated thread.
    static func start(
        arguments: @escaping @Sendable (TemporaryDirectory) throws -> [String],
        prepare: @escaping @Sendable (TemporaryDirectory) throws -> Void = { _ in }
    ) async throws -> LoopbackServer {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try LoopbackServer(arguments: arguments, prepare: prepare) })
            }
        }
    }

    /// `python3 -m http.server` serving the files `files` (name → contents).
    static func staticFiles(_ files: [String: String]) async throws -> LoopbackServer {
        try await start(
            arguments: { folder in ["-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", folder.path("www")] },
            prepare: { folder in for (name, contents) in files { try folder.write("www/\(name)", contents) } })
    }

    /// The fault-injecting server (``FaultServerScript``).
    static func faults() async throws -> LoopbackServer {
        try await start(arguments: { folder in [try folder.write("faults.py", FaultServerScript.source)] })
    }

    func url(_ pathAndQuery: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)\(pathAndQuery)")!
    }

    /// Kills the server with SIGKILL: children spawned from Swift's worker threads inherit a
    /// signal mask that blocks SIGTERM, so `terminate()` would not end them.
    func stop() {
        if process.isRunning {
            _ = Glibc.kill(process.processIdentifier, SIGKILL)
        }
        folder.remove()
        // Reaping may take a run-loop turn; keep it off the cooperative pool.
        Thread.detachNewThread { [process] in process.waitUntilExit() }
    }

    private static func kill(_ process: Process) {
        if process.isRunning {
            _ = Glibc.kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }

    private static func readPort(from handle: FileHandle) throws -> Int {
        var text = ""
        while !text.contains("\n") {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { throw ServerError("server exited before naming its port: \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let line = text.prefix { $0 != "\n" }
        // "Serving HTTP on 127.0.0.1 port 40123 (...)" or just "40123".
        let words = line.split(separator: " ")
        let candidate = words.firstIndex(of: "port").map { words[words.index(after: $0)] } ?? words.first
        guard let candidate, let port = Int(candidate) else { throw ServerError("no port in \(line)") }
        return port
    }

    /// Polls until a TCP connect to 127.0.0.1:`port` succeeds.
    static func waitUntilAccepting(port: Int, within seconds: Double) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if connects(port: port) { return }
            usleep(20_000)
        }
        throw ServerError("port \(port) never accepted a connection")
    }

    private static func connects(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopbackAddress(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A port on 127.0.0.1 that nothing listens on (bound, then closed, without listening).
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket failed") }
        defer { close(fd) }
        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw ServerError("bind failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw ServerError("getsockname failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
