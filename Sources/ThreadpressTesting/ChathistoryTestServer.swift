import Foundation
import Synchronization

/// A private `Scripts/chathistory-test-server` (a scripted IRCv3 server with `draft/chathistory`;
/// no packaged IRC server here offers it) on a free loopback port, for backfill tests.
///
/// The server process reads its standard input: when the test process ends, even by a crash, the
/// pipe closes and the server exits. Test controls go over any client connection:
/// `TESTDROP <nick>` cuts a nick's link, `TESTBLOCK`/`TESTUNBLOCK <nick>` refuse its registrations.
///
/// ```swift
/// let server = try await ChathistoryTestServer.start(pageLimit: 3)
/// defer { server.stop() }
/// let alice = try await IRCTestClient.connect(port: server.port, nick: "alice")
/// try await server.control(alice, "TESTDROP tpbot")
/// ```
public final class ChathistoryTestServer: Sendable {
    public let port: Int
    private let process: Mutex<Process?>
    private let input: Pipe

    private init(port: Int, process: Process, input: Pipe) {
        self.port = port
        self.process = Mutex(process)
        self.input = input
    }

    deinit { stop() }

    /// Starts the server (answering at most `pageLimit` lines per `CHATHISTORY` request) and waits
    /// until it listens.
    public static func start(pageLimit: Int = 100, within timeout: Duration = .seconds(15), filePath: String = #filePath)
        async throws -> ChathistoryTestServer
    {
        let script = try IRCTestServers.repositoryRoot(from: filePath) + "/Scripts/chathistory-test-server"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--port", "0", "--page-limit", String(pageLimit)]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        let printed = Mutex("")
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil }
            printed.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        do {
            try process.run()
        } catch {
            throw IRCTestServersError("could not start \(script) with python3: \(error)")
        }
        let deadline = ContinuousClock.now + timeout
        while true {
            let text = printed.withLock { $0 }
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }), let port = Int(line.dropFirst(5)) {
                return ChathistoryTestServer(port: port, process: process, input: input)
            }
            guard process.isRunning, ContinuousClock.now < deadline else {
                process.terminate()
                throw IRCTestServersError("\(script) did not report its port within \(timeout) (printed: \(text.debugDescription))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends a test control line through `client` and waits for the server's `TESTOK`.
    public func control(_ client: IRCTestClient, _ line: String, within timeout: Duration = .seconds(10)) async throws {
        try await client.send(line)
        _ = try await client.readLine(within: timeout) { $0.hasSuffix(":TESTOK \(line)") }
    }

    /// Stops the server (idempotent).
    public func stop() {
        guard let process = process.withLock({ value -> Process? in
            defer { value = nil }
            return value
        }) else { return }
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
