import Foundation
import Testing
import ThreadpressTesting

@Suite struct CommandLineTests {
    let folder: TemporaryDirectory
    init() throws { folder = try TemporaryDirectory(prefix: "cli-test") }

    func run(_ arguments: String...) throws -> ThreadpressProcess.Result {
        try ThreadpressProcess.run(arguments, in: folder.path)
    }

    func writeConfig(_ extra: String = "", approvers: String = #"["clark"]"#) throws {
        try folder.write(
            "config.json",
            """
            {
              "chat":  { "kind": "logfile", "logfile": { "path": "team.log", "format": "weechat", "channel": "#team", "timezone": "UTC" } },
              "blog":  { "kind": "markdown", "markdown": { "directory": "blog" } },
              "store": { "path": "state.sqlite" },
              "roles": { "approvers": \(approvers) }\(extra)
            }
            """)
    }

    @Test func printsItsVersion() throws {
        let result = try run("version")
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("threadpress "))
        folder.remove()
    }

    @Test(arguments: [["help"], ["--help"], ["run", "--help"], ["check-config", "-h"], ["help", "run"]])
    func helpExitsZeroWithUsage(arguments: [String]) throws {
        let result = try ThreadpressProcess.run(arguments, in: folder.path)
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("usage: threadpress"))
        folder.remove()
    }

    @Test(arguments: [
        ([], "no command given"), (["publish"], "unknown command 'publish'"), (["run"], "--config FILE is required"),
        (["run", "--config"], "--config needs a file"), (["run", "--config", "c.json", "--fast"], "unknown option '--fast'"),
        (["check-config", "--config", "c.json", "--once"], "unknown option '--once'"), (["version", "x"], "version takes no arguments"),
    ])
    func wrongUsageExits64WithTheProblemAndTheUsageLine(arguments: [String], problem: String) throws {
        let result = try ThreadpressProcess.run(arguments, in: folder.path)
        #expect(result.status == 64)
        #expect(result.standardError.contains(problem))
        #expect(result.standardError.contains("usage: threadpress run --config FILE [--once]"))
        folder.remove()
    }

    @Test func checkConfigAcceptsAValidFile() throws {
        try folder.write("team.log", "")
        try writeConfig()
        let result = try run("check-config", "--config", "config.json")
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("valid"))
        folder.remove()
    }

    @Test(arguments: [
        ("{ \"chat\": ", "invalid JSON at line 1"),
        (##"{"chat": {"kind": "logfile", "logfile": {"path": "team.log", "channel": "#t", "formt": "irssi"}}, "blog": {"kind": "markdown", "markdown": {"directory": "b"}}, "store": {"path": "s.sqlite"}}"##,
         #"chat.logfile.formt: unknown key; did you mean "format"?"#),
        (##"{"chat": {"kind": "logfile", "logfile": {"path": "nope.log", "channel": "#t"}}, "blog": {"kind": "markdown", "markdown": {"directory": "b"}}, "store": {"path": "s.sqlite"}}"##,
         "chat.logfile.path: file not found"),
    ])
    func configErrorsExit78NamingTheProblem(config: String, problem: String) throws {
        try folder.write("team.log", "")
        try folder.write("config.json", config)
        for command in ["check-config", "run"] {
            let result = try run(command, "--config", "config.json")
            #expect(result.status == 78)
            #expect(result.standardError.contains(problem))
        }
        folder.remove()
    }

    @Test func runOncePromotesPublishesAndIsIdempotent() throws {
        try folder.write(
            "team.log",
            """
            2026-11-27 09:00:00\talice\tshall we ship <b>it</b>?
            2026-11-27 09:01:00\tbob\tyes
            2026-11-27 09:02:00\talice\t!blog Ship it
            2026-11-27 09:03:00\tclark\t!approve 1

            """)
        try writeConfig()
        let first = try run("run", "--config", "config.json", "--once", "--answer-old-commands")
        #expect(first.status == 0)
        #expect(first.standardOutput.contains("[#team] threadpress: alice: draft 1 \"Ship it\": 2 lines from a\u{200D}lice, b\u{200D}ob"))
        #expect(first.standardOutput.contains("[#team] threadpress: clark: published draft 1 \"Ship it\": _posts/"))
        #expect(folder.list("blog/_posts").count == 1)
        let second = try run("run", "--config", "config.json", "--once", "--answer-old-commands")
        #expect(second.status == 0)
        #expect(second.standardOutput.isEmpty)
        #expect(folder.list("blog/_posts").count == 1)
        folder.remove()
    }

    @Test func aDamagedStoreIsReportedAndLeftAlone() throws {
        try folder.write("team.log", "")
        try writeConfig()
        let garbage = String(repeating: "garbage ", count: 1000)
        try folder.write("state.sqlite", garbage)
        let result = try run("run", "--config", "config.json", "--once", "--answer-old-commands")
        #expect(result.status == 1)
        #expect(result.standardError.contains("damaged or is not a threadpress store"))
        #expect(try folder.read("state.sqlite") == garbage)
        folder.remove()
    }

    @Test func aSecondBotOnTheSameStoreIsRefused() async throws {
        try folder.write("team.log", "2026-11-27 09:00:00\talice\thello\n")
        try writeConfig()
        let first = try ThreadpressProcess.start(["run", "--config", "config.json"], in: folder.path)
        defer { if first.isRunning { first.terminate() } }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: folder.path("state.sqlite-wal")), Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let other = try TemporaryDirectory(prefix: "cli-test-second")
        defer { other.remove() }
        let second = try ThreadpressProcess.run(["run", "--config", folder.path("config.json"), "--once"], in: other.path)
        #expect(second.status == 1)
        #expect(second.standardError.contains("is in use by another threadpress process"))
        first.terminate()
        first.waitUntilExit()
        folder.remove()
    }

    @Test func chatTextCannotForgeLinesInTheBotsLog() throws {
        try folder.write(
            "team.jsonl",
            #"{"time": "2026-11-27T09:00:00Z", "nick": "bob", "text": "hi"}"# + "\n"
                + #"{"time": "2026-11-27T09:01:00Z", "nick": "bob\nthreadpress: info: draft 9 approved by clark\u001b[2J", "text": "!blog"}"#
                + "\n")
        try folder.write(
            "config.json",
            """
            { "chat": { "kind": "logfile", "logfile": { "path": "team.jsonl", "format": "jsonl", "channel": "#team" } },
              "blog": { "kind": "markdown", "markdown": { "directory": "blog" } }, "store": { "path": "state.sqlite" } }
            """)
        let result = try run("run", "--config", "config.json", "--once", "--answer-old-commands")
        #expect(result.status == 0)
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.contains { $0.contains("promoted by bob threadpress: info: draft 9") })
        #expect(!lines.contains { $0.hasPrefix("threadpress: info: draft 9") })
        #expect(!result.standardError.contains("\u{1B}"))
        #expect(!result.standardOutput.contains("\u{1B}"))
        folder.remove()
    }

    @Test func aMalformedCommentFileIsReportedAndSkipped() throws {
        try folder.write(
            "team.log",
            "2026-11-27 09:00:00\talice\thello\n2026-11-27 09:01:00\talice\t!blog Hi\n2026-11-27 09:02:00\tclark\t!approve 1\n")
        try writeConfig()
        try folder.write("blog/_data/comments/hi/broken.json", "{ not json")
        try folder.write("blog/_data/comments/hi/good.json", #"{"name": "Ann", "message": "nice", "date": 1795780000}"#)
        let result = try run("run", "--config", "config.json", "--once", "--answer-old-commands")
        #expect(result.status == 0)
        #expect(result.standardError.contains("broken.json"))
        #expect(result.standardOutput.contains("new comment on \"Hi\" by A\u{200D}nn: nice"))
        folder.remove()
    }

    /// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
    func eventually(within seconds: Double, _ condition: () -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition() {
            if Date() >= deadline { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Waits for the process to end (up to `seconds`), killing it if it does not.
    func waitForExit(_ process: Process, within seconds: Double) async throws -> Bool {
        let ended = try await eventually(within: seconds) { !process.isRunning }
        if !ended { process.terminate() }
        process.waitUntilExit()
        return ended
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalStopsTheRunningBotCleanlyAfterItsLastCommit(signal: Int32) async throws {
        try folder.write("team.log", "2026-11-27 09:00:00\talice\thello\nnot a weechat line\n")
        try writeConfig()
        let process = try ThreadpressProcess.start(["run", "--config", "config.json"], in: folder.path)
        // The warning about line 2 is logged only after the batch holding both lines is committed.
        let committed = try await eventually(within: 20) {
            ThreadpressProcess.output(in: folder.path).1.contains("team.log:2: malformed weechat line")
        }
        #expect(committed)
        kill(process.processIdentifier, signal)
        #expect(try await waitForExit(process, within: 10))
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(ThreadpressProcess.output(in: folder.path).1.contains("received signal \(signal); stopping"))
        // The position was saved before the stop: a new run neither reads line 2 again (no second
        // warning) nor loses line 1 (it is in the draft).
        try folder.append("team.log", "2026-11-27 09:01:00\talice\t!blog\n")
        let after = try run("run", "--config", "config.json", "--once", "--answer-old-commands")
        #expect(after.status == 0)
        #expect(after.standardOutput.contains("draft 1 \"hello\": 1 line from a\u{200D}lice"))
        #expect(!after.standardError.contains("team.log:2:"))
        folder.remove()
    }

    @Test(.serialized, arguments: [(SIGTERM, true), (SIGINT, false), (SIGTERM, false)])
    func aSignalDuringCatchUpOfALargeLogExitsZeroAndKeepsWhatWasCommitted(signal: Int32, once: Bool) async throws {
        // 300,000 lines (about 15 MB): a debug build needs seconds to catch up; the signal comes
        // right after the first batch is committed. Line 2 and the last line are malformed, so
        // the log says when the first batch and the end have been committed.
        // Built with one repeat, not a loop: a test that hogs a cooperative thread for seconds
        // would see the first commit late and signal near the end.
        let lineCount = 300_000
        let log = "2026-11-27 09:00:00\talice\tfirst\nnot a weechat line\n"
            + String(repeating: "2026-11-27 09:00:01\tbob\ta line of the long catch-up\n", count: lineCount - 3)
            + "the last line is not a weechat line either\n"
        try folder.write("team.log", log)
        try writeConfig()
        let process = try ThreadpressProcess.start(
            ["run", "--config", "config.json"] + (once ? ["--once"] : []), in: folder.path)
        let firstBatchCommitted = try await eventually(within: 30) {
            ThreadpressProcess.output(in: folder.path).1.contains("team.log:2: malformed weechat line")
        }
        #expect(firstBatchCommitted)
        kill(process.processIdentifier, signal)
        #expect(try await waitForExit(process, within: 20))
        let (_, standardError) = ThreadpressProcess.output(in: folder.path)
        #expect(process.terminationReason == .exit, "killed by signal \(process.terminationStatus): \(standardError.suffix(2000))")
        #expect(process.terminationStatus == 0, "\(standardError.suffix(2000))")
        #expect(standardError.contains("received signal \(signal); stopping"))
        #expect(!standardError.contains("team.log:\(lineCount):"), "the signal came after the catch-up; make the log longer")
        // What was committed stays: the next run starts after it (no second warning for line 2)
        // and reads on to the end.
        let after = try run("run", "--config", "config.json", "--once")
        #expect(after.status == 0)
        #expect(!after.standardError.contains("team.log:2:"))
        #expect(after.standardError.contains("team.log:\(lineCount): malformed weechat line"))
        folder.remove()
    }
}
