import Foundation
import Testing
import ThreadpressModel
import ThreadpressTesting
@testable import ChatTransports

@Suite struct LogFileTransportTests {
    static func collect(_ stream: AsyncThrowingStream<ChatEvent, Error>) async throws -> [ChatEvent] {
        var events: [ChatEvent] = []
        for try await event in stream { events.append(event) }
        return events
    }

    static func summary(_ events: [ChatEvent]) -> [String] {
        events.map { event in
            switch event {
            case .message(let message, _): "\(message.kind) <\(message.sender.nick)> \(message.text)"
            case .skipped(let warning, _): "skipped: \(warning)"
            case .caughtUp: "caughtUp"
            }
        }
    }

    static func lastPosition(_ events: [ChatEvent]) -> String? {
        for event in events.reversed() {
            switch event {
            case .message(_, let position), .skipped(_, let position): return position
            case .caughtUp: continue
            }
        }
        return nil
    }

    func transport(_ folder: TemporaryDirectory, format: ChatLogFormat = .weechat, replyPath: String? = nil,
                   output: @escaping @Sendable (String) -> Void = { _ in }) -> LogFileTransport {
        LogFileTransport(path: folder.path("team.log"), format: format, channel: "#team", timeZone: berlin,
                         replyPath: replyPath, pollInterval: .milliseconds(10), output: output)
    }

    @Test func aLogTruncatedAndRegrownWithinOnePollIsReadFromItsFirstLineWithTrueLineNumbers() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("team.log", "2026-11-27 09:14:03\talice\thello\n2026-11-27 09:14:04\tbob\thi\n")
        let reader = try LogFileReader(path: folder.path("team.log"), format: .weechat, channel: "#team", timeZone: berlin)
        var seen: [String] = []
        let record = { (event: ChatEvent) in seen.append(contentsOf: Self.summary([event])) }
        _ = try reader.readAvailable(record)
        #expect(seen == ["message <alice> hello", "message <bob> hi"])
        seen = []
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.path("team.log")))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(
            "2026-11-28 10:00:00\tcarol\tnew day\nnot a weechat line at all\n2026-11-28 10:00:02\tdave\tlast one\n".utf8))
        try handle.close()
        _ = try reader.readAvailable(record)
        #expect(seen == [
            "message <carol> new day",
            "skipped: team.log:2: malformed weechat line: expected 3 tab-separated fields",
            "message <dave> last one",
        ])
    }

    /// Whether this process has `path` open (a link in /proc/self/fd names it).
    static func isOpen(_ path: String) -> Bool {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return descriptors.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == path }
    }

    @Test(arguments: [true, false])
    func cancellingDuringCatchUpOfALargeLogStopsTheReaderAndClosesTheLog(untilCaughtUp: Bool) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write(
            "team.log", String(repeating: "2026-11-27 09:14:03\talice\ta line of a long log to catch up on\n", count: 200_000))
        let transport = transport(folder)
        let reading = Task {
            var count = 0
            for try await event in transport.events(resumingAfter: nil, untilCaughtUp: untilCaughtUp) {
                if case .message = event { count += 1 }
            }
            return count
        }
        var opened = false
        for _ in 0..<1_000 where !opened {
            opened = Self.isOpen(path)
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(opened)
        reading.cancel()
        let delivered = try await reading.value
        #expect(delivered < 200_000, "cancelled after the catch-up; make the log longer")
        // The reader thread ends (it would have crashed here) and closes the log.
        var closed = false
        for _ in 0..<1_000 where !closed {
            closed = !Self.isOpen(path)
            if !closed { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(closed)
    }

    /// What the bot does when its store fails (a full disk): the consumer throws out of its loop.
    @Test func aConsumerThatFailsDuringCatchUpLeavesNoReaderBehind() async throws {
        struct StoreFull: Error {}
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write(
            "team.log", String(repeating: "2026-11-27 09:14:03\talice\ta line of a long log to catch up on\n", count: 200_000))
        let transport = transport(folder)
        let reading = Task {
            var count = 0
            for try await event in transport.events(resumingAfter: nil, untilCaughtUp: true) {
                if case .message = event { count += 1 }
                if count == 5_000 { throw StoreFull() }
            }
        }
        await #expect(throws: StoreFull.self) { try await reading.value }
        var closed = false
        for _ in 0..<1_000 where !closed {
            closed = !Self.isOpen(path)
            if !closed { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(closed)
    }

    @Test func readsToTheEndThenResumesAfterAppends() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("team.log", """
            2026-11-27 09:14:03\talice\thello
            2026-11-27 09:14:04\t *\tbob waves
            garbage line
            2026-11-27 09:14:05\t-->\tcarol (~c@host) has joined #team

            """)
        let transport = transport(folder)
        #expect(transport.identifier == "logfile:\(folder.path("team.log"))")
        #expect(transport.capabilities.trustsNicks)
        #expect(!transport.capabilities.repliesReachChannel)

        let first = try await Self.collect(transport.events(resumingAfter: nil, untilCaughtUp: true))
        #expect(Self.summary(first) == [
            "message <alice> hello",
            "action <bob> waves",
            "skipped: team.log:3: malformed weechat line: expected 3 tab-separated fields",
            "event <carol> carol (~c@host) has joined #team",
            "caughtUp",
        ])
        let positions = first.compactMap { event -> FilePosition? in
            switch event {
            case .message(_, let position), .skipped(_, let position): position.flatMap { FilePosition($0) }
            case .caughtUp: nil
            }
        }
        #expect(positions.map(\.line) == [1, 2, 3, 4])
        #expect(positions.map(\.offset) == [32, 65, 78, 135])

        try folder.append("team.log", "2026-11-27 09:15:00\talice\tmore\n")
        let second = try await Self.collect(
            transport.events(resumingAfter: Self.lastPosition(first), untilCaughtUp: true))
        #expect(Self.summary(second) == ["message <alice> more", "caughtUp"])

        let third = try await Self.collect(
            transport.events(resumingAfter: Self.lastPosition(second), untilCaughtUp: true))
        #expect(Self.summary(third) == ["caughtUp"])
    }

    @Test func resumesIrssiWithTheDateOfTheSavedPosition() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("team.log", """
            --- Log opened Fri Nov 27 09:00:00 2026
            09:14 < alice> hi
            --- Day changed Sat Nov 28 2026
            10:00 <@bob> next day

            """)
        let transport = transport(folder, format: .irssi)
        let first = try await Self.collect(transport.events(resumingAfter: nil, untilCaughtUp: true))
        let position = try #require(Self.lastPosition(first))
        #expect(position.hasSuffix(":2026-11-28"))

        try folder.append("team.log", "11:00 < carol> still saturday\n")
        let second = try await Self.collect(transport.events(resumingAfter: position, untilCaughtUp: true))
        guard case .message(let message, _) = second.first else {
            Issue.record("expected a message, got \(second)")
            return
        }
        #expect(message.text == "still saturday")
        #expect(message.time == utc("2026-11-28T10:00:00Z"))
    }

    @Test func failsClearlyWhenTheLogIsMissing() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("team.log")
        await #expect(throws: LogFileTransportError.self) {
            _ = try await Self.collect(transport(folder).events(resumingAfter: nil, untilCaughtUp: true))
        }
        do {
            _ = try await Self.collect(transport(folder).events(resumingAfter: nil, untilCaughtUp: true))
        } catch let error as LogFileTransportError {
            #expect(error.code == .fileNotFound)
            #expect(error.description == "chat log not found: \(path) (check chat.logfile.path)")
        }
    }

    @Test func rejectsAPositionItDidNotWrite() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("team.log", "")
        do {
            _ = try await Self.collect(transport(folder).events(resumingAfter: "cursor-17", untilCaughtUp: true))
            Issue.record("expected an error")
        } catch let error as LogFileTransportError {
            #expect(error.code == .invalidPosition)
        }
    }

    @Test func followsNewLinesAndReportsCaughtUpAfterEachBurst() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("team.log", "2026-11-27 09:14:03\talice\tone\n")
        let stream = transport(folder).events(resumingAfter: nil, untilCaughtUp: false)
        var seen: [String] = []
        for try await event in stream {
            seen.append(Self.summary([event])[0])
            if seen.count == 2 { try folder.append("team.log", "2026-11-27 09:14:04\tbob\ttwo\n") }
            if seen.count == 4 { break }
        }
        #expect(seen == ["message <alice> one", "caughtUp", "message <bob> two", "caughtUp"])
    }

    @Test func sendWritesOneSafeLineToOutputAndReplyFile() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let printed = Locked<[String]>([])
        let transport = transport(folder, replyPath: folder.path("replies/out.log")) { line in
            printed.withLock { $0.append(line) }
        }
        try FileManager.default.createDirectory(atPath: folder.path("replies"), withIntermediateDirectories: true)
        try await transport.send(ChatReply(channel: "#team", text: "draft 3\r\nsaved\u{0}!"))
        try await transport.send(ChatReply(channel: "#team", text: "second"))
        let expected = ["[#team] threadpress: draft 3 saved !", "[#team] threadpress: second"]
        #expect(printed.withLock { $0 } == expected)
        #expect(try folder.read("replies/out.log") == expected.joined(separator: "\n") + "\n")
    }

    @Test func aReplyToARecipientIsWrittenMarkedAndNeverThrows() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let printed = Locked<[String]>([])
        let transport = transport(folder, replyPath: folder.path("out.log")) { line in
            printed.withLock { $0.append(line) }
        }
        try await transport.send(ChatReply(channel: "#team", text: "12 ana: hello", priority: .bulk, recipient: "ana"))
        try await transport.send(ChatReply(channel: "#team", text: "13 ben: bye", priority: .bulk, recipient: "ev\r\nil\u{0}"))
        let expected = ["[#team] threadpress (to ana): 12 ana: hello", "[#team] threadpress (to ev il): 13 ben: bye"]
        #expect(!transport.capabilities.privateReplies)
        #expect(printed.withLock { $0 } == expected)
        #expect(try folder.read("out.log") == expected.joined(separator: "\n") + "\n")
    }

    @Test func readerReadsALargeFileWithoutAsyncHops() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var log = ""
        for index in 0..<5_000 { log += "2026-11-27 09:14:03\tnick\(index % 7)\tmessage number \(index)\n" }
        let path = try folder.write("team.log", log)
        let reader = try LogFileReader(path: path, format: .weechat, channel: "#team", timeZone: berlin, chunkSize: 4096)
        var count = 0
        var last: String?
        let status = try reader.readAvailable { event in
            if case .message(_, let position) = event {
                count += 1
                last = position
            }
        }
        #expect(status == .caughtUp)
        #expect(count == 5_000)
        #expect(last == reader.position)
        #expect(FilePosition(last ?? "")?.line == 5_000)
    }
}
