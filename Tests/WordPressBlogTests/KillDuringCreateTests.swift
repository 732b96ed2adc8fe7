import Foundation
import JSON
import Testing
import ThreadpressTesting
#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL the real `threadpress` binary right after WordPress made its draft but before the answer
/// reached it, restart it: exactly one post. A python3 proxy in front of the real WordPress
/// forwards every request; the first create it forwards is answered to nobody (the proxy hangs
/// and leaves a flag file), which is the moment the test kills the bot.
@Suite(.serialized) struct KillDuringCreateTests {
    static let proxyScript = #"""
import os, sys, time, urllib.request, urllib.error
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
upstream, flag = sys.argv[1], sys.argv[2]
swallowed = [False]

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        mine = "http://127.0.0.1:%d" % self.server.server_address[1]
        request = urllib.request.Request(upstream + self.path, data=body, method=self.command)
        for key, value in self.headers.items():
            if key.lower() not in ("host", "content-length", "connection", "accept-encoding"):
                request.add_header(key, value)
        try:
            answer = urllib.request.urlopen(request, timeout=30)
        except urllib.error.HTTPError as error:
            answer = error
        data = answer.read().replace(upstream.encode(), mine.encode()).replace(upstream.replace("/", "\\/").encode(), mine.replace("/", "\\/").encode())
        is_create = self.command == "POST" and (self.path.endswith("/wp/v2/posts") or "rest_route=%2Fwp%2Fv2%2Fposts&" in self.path + "&" or self.path.endswith("rest_route=/wp/v2/posts"))
        if is_create and not swallowed[0]:
            swallowed[0] = True
            open(flag, "w").write(str(answer.status))
            time.sleep(600)
            return
        self.send_response(answer.status)
        for key, value in answer.headers.items():
            if key.lower() in ("transfer-encoding", "connection", "content-length", "content-encoding"):
                continue
            self.send_header(key, value.replace(upstream, mine))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = forward

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    /// The `threadpress` executable next to the test bundle.
    static let executable: String = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("threadpress").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return WordPressTestSite.repository.appendingPathComponent(".build/debug/threadpress").path
    }()

    @Test func aBotKilledAfterWordPressMadeTheDraftMakesNoSecondPostWhenRestarted() async throws {
        let site = try WordPressTestSite.load()
        let folder = try TemporaryDirectory(prefix: "wp-kill")
        defer { folder.remove() }
        let marker = UUID().uuidString.prefix(8).lowercased()

        try folder.write("proxy.py", Self.proxyScript)
        let proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        proxy.arguments = ["python3", "-u", folder.path("proxy.py"), site.url.absoluteString, folder.path("created.flag")]
        let proxyOutput = Pipe()
        proxy.standardOutput = proxyOutput
        proxy.standardError = FileHandle.nullDevice
        try proxy.run()
        defer { _ = kill(proxy.processIdentifier, SIGKILL) }
        let portLine = String(decoding: proxyOutput.fileHandleForReading.availableData, as: UTF8.self)
        let port = try #require(Int(portLine.trimmingCharacters(in: .whitespacesAndNewlines)))

        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date())
        let stamp = String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
        try folder.write("team.log", "\(stamp)\talice\tkill test \(marker)\n\(stamp)\talice\t!blog Kill \(marker)\n")
        func config(url: String) throws {
            try folder.write(
                "config.json",
                """
                { "chat": { "kind": "logfile", "logfile": { "path": "team.log", "channel": "#team", "timezone": "UTC" } },
                  "blog": { "kind": "wordpress", "wordpress": { "url": "\(url)", "username": "\(site.user)", "app_password_env": "WP_PW" } },
                  "store": { "path": "state.sqlite" } }
                """)
        }
        let environment = ["WP_PW": site.appPassword, "PATH": "/usr/bin:/bin"]
        try config(url: "http://127.0.0.1:\(port)")
        let first = try start(["run", "--config", "config.json"], in: folder, environment: environment)
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: folder.path("created.flag")) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(FileManager.default.fileExists(atPath: folder.path("created.flag")), "the create never reached WordPress")
        // WordPress made the draft; the bot is waiting for the answer. Kill it now.
        _ = kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(try folder.read("created.flag") == "201")

        // Restarted, talking to WordPress directly: it finds the draft by its key.
        try config(url: site.url.absoluteString)
        let second = try start(["run", "--config", "config.json", "--once"], in: folder, environment: environment)
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)
        let posts = try await site.person().get(
            "/wp/v2/posts", query: [("search", String(marker)), ("status", "draft,publish,future,trash"), ("context", "edit")],
            operation: "search")
        #expect(posts.array?.count == 1)
        let errors = (try? folder.read(".stderr")) ?? ""
        #expect(errors.contains("was already on the blog (an earlier attempt made it)"), "\(errors)")
    }

    private func start(_ arguments: [String], in folder: TemporaryDirectory, environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        process.environment = environment
        _ = FileManager.default.createFile(atPath: folder.path(".stdout"), contents: nil)
        _ = FileManager.default.createFile(atPath: folder.path(".stderr"), contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.path(".stdout")))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.path(".stderr")))
        try process.run()
        return process
    }
}
