import CurlHTTP
import Foundation
import ThreadpressModel
#if canImport(Glibc)
import Glibc
#endif

/// A python3 stand-in for a WordPress in trouble, on 127.0.0.1, used only to inject faults (every
/// other test talks to the real WordPress). Its front page advertises `/wp-json/` like WordPress;
/// what the API then does depends on the mode:
/// - `busy`: every API request gets 503 with `Retry-After: 30` (a maintenance page)
/// - `stall`: every API request waits 10 s before answering
/// - `no-api`: no Link header and 404 for `/?rest_route=/` (REST API disabled by a plugin)
/// - `away`: the front page redirects to another host
/// - `gzip`: API answers `[]` gzip-compressed, or 406 when the request did not offer gzip
final class FaultingWordPress: @unchecked Sendable {
    let port: Int
    private let process: Process

    static let script = #"""
import gzip, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
mode = sys.argv[1]

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def handle_any(self):
        length = int(self.headers.get("Content-Length", "0"))
        if length:
            self.rfile.read(length)
        port = self.server.server_address[1]
        if self.path == "/health":
            return self.reply(200, b"ok")
        if self.path == "/":
            if mode == "away":
                return self.reply(302, b"", [("Location", "http://elsewhere.invalid/")])
            links = [] if mode == "no-api" else [("Link", '<http://127.0.0.1:%d/wp-json/>; rel="https://api.w.org/"' % port)]
            return self.reply(200, b"<html>blog</html>", links + [("Content-Type", "text/html")])
        if mode == "gzip":
            if "gzip" not in self.headers.get("Accept-Encoding", ""):
                return self.reply(406, b"gzip please")
            return self.reply(200, gzip.compress(b"[]"), [("Content-Type", "application/json"), ("Content-Encoding", "gzip")])
        if mode == "busy":
            return self.reply(503, b"<h1>Briefly unavailable for scheduled maintenance.</h1>", [("Retry-After", "30")])
        if mode == "stall":
            time.sleep(10)
            return self.reply(200, b"[]", [("Content-Type", "application/json")])
        return self.reply(404, b"<html>Not Found</html>", [("Content-Type", "text/html")])
    do_GET = do_POST = do_DELETE = handle_any

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    private init(mode: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tp-wp-fault-\(UUID().uuidString).py")
        try Self.script.write(to: file, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", file.path, mode]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw WordPressTestSite.MissingServer(description: "fault server exited: \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        try? FileManager.default.removeItem(at: file)
        guard let port = Int(text.prefix { $0 != "\n" }) else {
            throw WordPressTestSite.MissingServer(description: "fault server named no port: \(text)")
        }
        self.port = port
    }

    /// Starts the server (on its own thread: it blocks) and waits until it answers, with a deadline.
    static func start(mode: String) async throws -> FaultingWordPress {
        let server = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try FaultingWordPress(mode: mode) }) }
        }
        let client = CurlHTTPClient()
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if let response = try? await client.send(HTTPRequest(url: server.url("/health"), timeout: .seconds(1))),
               response.status == 200
            {
                return server
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        server.stop()
        throw WordPressTestSite.MissingServer(description: "fault server did not answer within 5 s")
    }

    func url(_ path: String) -> URL { URL(string: "http://127.0.0.1:\(port)\(path)")! }

    /// SIGKILL (children of Swift's threads block SIGTERM), reaped off the cooperative pool.
    func stop() {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, SIGKILL) }
        Thread.detachNewThread { [process] in process.waitUntilExit() }
    }
}
