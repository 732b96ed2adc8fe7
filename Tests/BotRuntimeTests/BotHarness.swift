import BlogEngines
import BotRuntime
import ChatTransports
import Foundation
import SQLiteStorage
import ThreadpressModel
import ThreadpressTesting
import Workflow

/// A bot on a real log file, a real Markdown folder and a real SQLite file in a temporary folder.
/// Each ``run(once:)`` builds the bot afresh from the files, as a restarted process would.
final class BotHarness {
    let folder: TemporaryDirectory
    let format: ChatLogFormat
    let output = LineCollector()
    let logs = LineCollector()
    /// When set, used instead of a plain engine on ``blogDirectory`` (e.g. a fault-injecting wrapper).
    var engine: (any BlogEngine)?
    /// When set, wraps the real log-file transport (e.g. a fault-injecting one); kept across runs.
    var chat: FaultInjectingChatTransport?
    var now = Date()
    var blogDirectory: String
    var replyPath: String?
    /// Commands older than this (against ``now``) are not answered; `nil`: every command is.
    var commandMaximumAge: TimeInterval?
    var rateLimit = CommandRateLimiter(burst: 1_000, perMinute: 6_000)
    var consentPolicy = ConsentPolicy.open

    init(format: ChatLogFormat = .weechat) throws {
        folder = try TemporaryDirectory(prefix: "bot-test")
        self.format = format
        blogDirectory = folder.path("blog")
        try folder.write("team.log", "")
    }

    deinit { folder.remove() }

    var logPath: String { folder.path("team.log") }

    func makeBot(options given: ThreadpressBot.Options? = nil) throws -> ThreadpressBot {
        let output = output, logs = logs, now = now
        let transport = LogFileTransport(
            path: logPath, format: format, channel: "#team", timeZone: IANATimeZone(identifier: "UTC")!,
            replyPath: replyPath, pollInterval: .milliseconds(10), output: { output.append($0) })
        let engine = self.engine ?? MarkdownFolderEngine(directory: blogDirectory)
        let chat: any ChatTransport = self.chat.map { $0 } ?? transport
        var options = given ?? ThreadpressBot.Options(outboxInterval: .milliseconds(20))
        options.clock = { now }
        options.commandMaximumAge = commandMaximumAge
        options.rateLimit = rateLimit
        var settings = WorkflowSettings(approvers: ["clark"], trustsNicks: true, timeZone: IANATimeZone(identifier: "UTC")!)
        settings.consentPolicy = consentPolicy
        return ThreadpressBot(
            transport: chat, engine: engine, store: try SQLiteStore(path: folder.path("state.sqlite")),
            settings: settings,
            options: options, logger: BotLogger(level: .debug) { level, line in logs.append("\(level): \(line)") })
    }

    func runOnce() async throws {
        try await makeBot().run(once: true)
    }

    /// Appends chat lines in the harness's format: (HH:MM:SS, nick, text).
    func say(_ lines: [(String, String, String)]) throws {
        try folder.append("team.log", lines.map { Self.line($0, format: format) }.joined())
    }

    static func line(_ entry: (String, String, String), format: ChatLogFormat) -> String {
        let (time, nick, text) = entry
        switch format {
        case .weechat:
            return "2026-11-27 \(time)\t\(nick)\t\(text)\n"
        case .irssi:
            return "\(time.prefix(5)) < \(nick)> \(text)\n"
        case .jsonl:
            let object: [String: String] = ["time": "2026-11-27T\(time)Z", "nick": nick, "text": text]
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    /// Installs a fault-injecting wrapper around the real log-file transport and returns it.
    func injectChatFaults() -> FaultInjectingChatTransport {
        let transport = LogFileTransport(
            path: logPath, format: format, channel: "#team", timeZone: IANATimeZone(identifier: "UTC")!,
            replyPath: replyPath, pollInterval: .milliseconds(10), output: { [output] in output.append($0) })
        let faulty = FaultInjectingChatTransport(wrapping: transport)
        chat = faulty
        return faulty
    }

    /// Installs a fault-injecting wrapper around the real engine and returns it.
    func injectFaults() -> FaultInjectingBlogEngine {
        let faulty = FaultInjectingBlogEngine(wrapping: MarkdownFolderEngine(directory: blogDirectory))
        engine = faulty
        return faulty
    }

    func files(_ subfolder: String) -> [String] { folder.list("blog/\(subfolder)").filter { !$0.hasPrefix(".") } }

    func post(_ name: String) throws -> String { try folder.read("blog/_posts/\(name)") }

    func addComment(slug: String, file: String, json: String) throws {
        try folder.write("blog/_data/comments/\(slug)/\(file)", json)
    }

    func store() throws -> SQLiteStore { try SQLiteStore(path: folder.path("state.sqlite")) }
}

/// A conversation with hostile content, used by several tests.
let hostileConversation: [(String, String, String)] = [
    ("09:00:00", "alice", "shall we deploy on friday?"),
    ("09:01:00", "bob", "<script>alert('pwned')</script> only with a **rollback** plan"),
    ("09:02:00", "carol", "{% include secrets.txt %} and {{ site.github }} [x](javascript:alert(1))"),
    ("09:03:00", "alice", "agreed & done"),
]
