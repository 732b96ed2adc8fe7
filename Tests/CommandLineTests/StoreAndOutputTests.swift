import Foundation
import Testing
import ThreadpressTesting

/// Standard output and the store, seen from outside the real binary.
@Suite struct StoreAndOutputTests {
    let folder: TemporaryDirectory
    init() throws { folder = try TemporaryDirectory(prefix: "cli-store-test") }

    func writeConfig(store: String = "state.sqlite") throws {
        try folder.write(
            "config.json",
            """
            {
              "chat":  { "kind": "logfile", "logfile": { "path": "team.log", "format": "weechat", "channel": "#team", "timezone": "UTC" } },
              "blog":  { "kind": "markdown", "markdown": { "directory": "blog" } },
              "store": { "path": "\(store)" },
              "roles": { "approvers": ["clark"] }
            }
            """)
    }

    /// A weechat line stamped now (UTC), so the command is fresh.
    func lineNow(_ nick: String, _ text: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date())
        let stamp = String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!,
            parts.second!)
        return "\(stamp)\t\(nick)\t\(text)\n"
    }

    func sqlite(_ query: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", folder.path("state.sqlite"), query]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try? process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aReplyMarkedSentIsAlreadyInRedirectedStandardOutput() async throws {
        try folder.write("team.log", "")
        try writeConfig()
        let process = try ThreadpressProcess.start(["run", "--config", "config.json"], in: folder.path)
        defer {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            folder.remove()
        }
        try folder.append("team.log", lineNow("alice", "!drafts"))
        let deadline = Date().addingTimeInterval(30)
        while sqlite("SELECT count(*) FROM chat_outbox WHERE state = 'sent'") != "1" && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(sqlite("SELECT count(*) FROM chat_outbox WHERE state = 'sent'") == "1")
        // Killed without a chance to flush anything: what was marked sent must already be in the file.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(ThreadpressProcess.output(in: folder.path).0 == "[#team] threadpress: alice: no open drafts\n")
    }

    @Test func aSecondBotOnASymlinkToTheSameStoreIsRefused() async throws {
        try folder.write("team.log", "")
        try writeConfig()
        let first = try ThreadpressProcess.start(["run", "--config", "config.json"], in: folder.path)
        defer {
            if first.isRunning { kill(first.processIdentifier, SIGKILL) }
            first.waitUntilExit()
            folder.remove()
        }
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: folder.path("state.sqlite.lock")) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let other = try TemporaryDirectory(prefix: "cli-store-second")
        defer { other.remove() }
        try FileManager.default.createSymbolicLink(atPath: other.path("alias.sqlite"), withDestinationPath: folder.path("state.sqlite"))
        try other.write(
            "config.json",
            """
            {
              "chat":  { "kind": "logfile", "logfile": { "path": "\(folder.path("team.log"))", "format": "weechat", "channel": "#team" } },
              "blog":  { "kind": "markdown", "markdown": { "directory": "blog" } },
              "store": { "path": "alias.sqlite" }
            }
            """)
        let second = try ThreadpressProcess.run(["run", "--config", "config.json", "--once"], in: other.path)
        #expect(second.status == 1)
        #expect(second.standardError.contains("is in use by another threadpress process"))
    }

    @Test func aStoreFolderThatCannotBeWrittenIsAConfigurationErrorNamingStorePath() throws {
        try folder.write("team.log", "")
        // A file where the store's folder should be: fails for root too (permissions would not).
        try folder.write("blocked", "not a folder")
        try writeConfig(store: "blocked/state.sqlite")
        for command in ["check-config", "run"] {
            let result = try ThreadpressProcess.run([command, "--config", "config.json"], in: folder.path)
            #expect(result.status == 78, "\(command)")
            #expect(result.standardError.contains("store.path"), "\(command): \(result.standardError)")
        }
        folder.remove()
    }
}

/// A full disk under the store (a 400 KiB tmpfs, as root): exit 1 with a message saying so, never a crash.
@Suite(.serialized) struct FullDiskTests {
    @Test func aFullDiskUnderTheStoreIsAClearErrorNotACrash() throws {
        let folder = try TemporaryDirectory(prefix: "cli-full-disk")
        defer { folder.remove() }
        let disk = folder.path("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        mount.arguments = ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", disk]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "mounting a small tmpfs needs root (CI runs as root)")
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            unmount.arguments = ["umount", disk]
            try? unmount.run()
            unmount.waitUntilExit()
        }
        var log = ""
        for index in 0..<20_000 {
            log += String(format: "2026-11-27 09:%02d:%02d\talice\tline %d with words enough to fill a small disk\n", (index / 60) % 60, index % 60, index)
        }
        try folder.write("team.log", log)
        try folder.write(
            "config.json",
            """
            { "chat": { "kind": "logfile", "logfile": { "path": "\(folder.path("team.log"))", "channel": "#team", "timezone": "UTC" } },
              "blog": { "kind": "markdown", "markdown": { "directory": "\(folder.path("blog"))" } },
              "store": { "path": "\(disk)/state.sqlite" } }
            """)
        let result = try ThreadpressProcess.run(["run", "--config", "config.json", "--once"], in: folder.path)
        #expect(result.status == 1)
        #expect(result.standardError.contains("database or disk is full"))
        #expect(result.standardError.contains("no space left for the store or its write-ahead log; free space on that disk"))
    }
}
