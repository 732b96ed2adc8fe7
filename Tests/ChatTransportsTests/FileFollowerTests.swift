import Foundation
import Testing
import ThreadpressTesting
@testable import ChatTransports

@Suite struct FileFollowerTests {
    /// Reads what is available and returns the lines, with `restarted:` markers.
    static func drain(_ follower: FileFollower) throws -> (lines: [String], status: FileFollower.Status) {
        var lines: [String] = []
        let status = try follower.readAvailable { event in
            switch event {
            case .line(let bytes, _): lines.append(String(decoding: bytes, as: UTF8.self))
            case .overlongLine(let count, _): lines.append("<overlong \(count)>")
            case .restarted(let reason): lines.append("restarted: \(reason)")
            }
        }
        return (lines, status)
    }

    @Test func deliversAppendedLinesAndHoldsAPartialOne() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("team.log", "one\ntwo\nthr")
        let follower = FileFollower(path: path, chunkSize: 4)
        #expect(try Self.drain(follower) == (["one", "two"], .caughtUp))
        #expect(follower.position?.offset == 8)
        #expect(follower.position?.line == 2)
        try folder.append("team.log", "ee\nfour\n")
        #expect(try Self.drain(follower) == (["three", "four"], .caughtUp))
        #expect(try Self.drain(follower) == ([], .caughtUp))
        #expect(follower.position?.offset == 19)
        #expect(follower.position?.line == 4)
    }

    @Test func waitsForAMissingFile() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let follower = FileFollower(path: folder.path("team.log"))
        #expect(try Self.drain(follower) == ([], .fileMissing))
        try folder.write("team.log", "hello\n")
        #expect(try Self.drain(follower) == (["hello"], .caughtUp))
    }

    @Test func restartsAfterTruncation() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("team.log", "one\ntwo\nthree\n")
        let follower = FileFollower(path: path)
        #expect(try Self.drain(follower).lines == ["one", "two", "three"])
        // copytruncate: same inode, shorter content.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data("new\n".utf8))
        try handle.close()
        #expect(try Self.drain(follower).lines == ["restarted: truncated", "new"])
        #expect(follower.position?.line == 1)
        #expect(follower.position?.offset == 4)
    }

    @Test func restartsWhenTruncatedAndRegrownPastTheOldSizeBetweenTwoReads() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("team.log", "a\nb\n")
        let follower = FileFollower(path: path)
        #expect(try Self.drain(follower).lines == ["a", "b"])
        // copytruncate, then the client writes more than was there before, all before the next poll.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data("x\nyy\nzzzz\n".utf8))
        try handle.close()
        #expect(try Self.drain(follower).lines == ["restarted: truncated", "x", "yy", "zzzz"])
        #expect(follower.position?.line == 3)
        #expect(follower.position?.offset == 10)
    }

    @Test func restartsWhenTruncatedWhileOnlyAPartialLineWasHeld() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("team.log", "no newline yet")
        let follower = FileFollower(path: path)
        #expect(try Self.drain(follower).lines == [])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data("z\n".utf8))
        try handle.close()
        #expect(try Self.drain(follower).lines == ["restarted: truncated", "z"])
    }

    @Test func finishesTheOldFileThenReadsTheRotatedOne() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("team.log", "one\n")
        let follower = FileFollower(path: path)
        #expect(try Self.drain(follower).lines == ["one"])
        try folder.append("team.log", "two\nlast without newline")
        try FileManager.default.moveItem(atPath: path, toPath: folder.path("team.log.1"))
        #expect(try Self.drain(follower).lines == ["two"])  // new file not there yet: keep the old one
        try folder.write("team.log", "fresh\n")
        #expect(try Self.drain(follower).lines == ["last without newline", "restarted: rotated", "fresh"])
        #expect(follower.position?.line == 1)
    }

    @Test func resumesExactlyAfterTheSavedLine() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("team.log", "one\ntwo\npart")
        let first = FileFollower(path: path)
        #expect(try Self.drain(first).lines == ["one", "two"])
        let saved = try #require(first.position)
        let text = saved.description
        #expect(FilePosition(text) == saved)
        #expect(text.split(separator: ":").count == 5)
        #expect(saved.tail == FilePosition.Tail(bytes: Array("two\n".utf8)))

        try folder.append("team.log", "ial\nthree\n")
        let second = FileFollower(path: path, resumingAfter: FilePosition(text))
        #expect(try Self.drain(second).lines == ["partial", "three"])
        #expect(second.position?.line == 4)
        // Resuming from the very end delivers nothing again.
        let third = FileFollower(path: path, resumingAfter: second.position)
        #expect(try Self.drain(third) == ([], .caughtUp))
    }

    @Test func startsOverWhenTheFileWasReplacedWhileStopped() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("team.log", "one\ntwo\n")
        let first = FileFollower(path: path)
        _ = try Self.drain(first)
        let saved = try #require(first.position)
        try FileManager.default.moveItem(atPath: path, toPath: folder.path("team.log.1"))
        try folder.write("team.log", "new one\nnew two\nnew three\n")
        let second = FileFollower(path: path, resumingAfter: saved)
        #expect(try Self.drain(second).lines == ["restarted: replacedWhileStopped", "new one", "new two", "new three"])

        // Same inode but shorter than the saved offset: truncated while stopped.
        let longSaved = try #require(second.position)
        try folder.write("team.log", "x\n")
        let third = FileFollower(path: path, resumingAfter: longSaved)
        #expect(try Self.drain(third).lines == ["restarted: replacedWhileStopped", "x"])
    }

    @Test func resumesAfterTheSavedLineInACopyOfTheSameLog() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("team.log", "one\ntwo\n")
        let first = FileFollower(path: path)
        _ = try Self.drain(first)
        let saved = try #require(first.position)
        // sed -i, rsync and editors replace the file with a new one (a new inode), same lines.
        try FileManager.default.removeItem(atPath: path)
        try folder.write("team.log", "one\ntwo\nthree\n")
        let second = FileFollower(path: path, resumingAfter: saved)
        #expect(try Self.drain(second).lines == ["three"])
        #expect(second.position?.line == 3)
    }

    @Test func startsOverWhenTheLogWasTruncatedAndRegrewPastTheSavedOffset() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("team.log", "09:00 first day line\n")
        let first = FileFollower(path: path)
        _ = try Self.drain(first)
        let saved = try #require(first.position)
        // logrotate copytruncate while the bot was stopped, then more talk than before: the old
        // offset lies inside new lines. Resuming there would skip and cut lines.
        try folder.write("team.log", "09:00 new day, line one\n09:01 new day, line two\n")
        let second = FileFollower(path: path, resumingAfter: saved)
        #expect(try Self.drain(second).lines == [
            "restarted: replacedWhileStopped", "09:00 new day, line one", "09:01 new day, line two",
        ])
    }

    @Test(arguments: ["1:2:3:4:t3xzz", "1:2:3:4:t40x1", "1:2:1:4:t2x1f", "1:2:3:4:t0x1"])
    func rejectsMalformedTails(text: String) {
        #expect(FilePosition(text) == nil)
    }

    @Test func rejectsMalformedPositionText() {
        #expect(FilePosition("1:2:3") == nil)
        #expect(FilePosition("1:2:-3:4") == nil)
        #expect(FilePosition("a:2:3:4") == nil)
        #expect(FilePosition("1:2:3:4") == FilePosition(device: 1, inode: 2, offset: 3, line: 4))
        #expect(FilePosition("1:2:3:4:t2x1f") == FilePosition(device: 1, inode: 2, offset: 3, line: 4, tail: .init(length: 2, hash: 0x1f)))
    }

    @Test(arguments: [
        (FilePosition(device: 2049, inode: 1837261, offset: 10240, line: 312), nil, "2049:1837261:10240:312"),
        (FilePosition(device: 2049, inode: 1837261, offset: 10240, line: 312, tail: .init(length: 32, hash: 0x9f3a_0000_00b1_c2d0)),
         "2026-11-28", "2049:1837261:10240:312:t32x9f3a000000b1c2d0:2026-11-28"),
        (FilePosition(device: 0, inode: 0, offset: 1, line: 0, tail: .init(length: 1, hash: 0)), nil, "0:0:1:0:t1x0"),
        (FilePosition(device: .max, inode: .max, offset: .max, line: .max, tail: .init(length: 32, hash: .max)), "x:y",
         "18446744073709551615:18446744073709551615:9223372036854775807:9223372036854775807:t32xffffffffffffffff:x:y"),
    ] as [(FilePosition, String?, String)])
    func writesPositionsAsText(position: FilePosition, suffix: String?, expected: String) {
        #expect(position.encoded(suffix: suffix) == expected)
        #expect(FilePosition.parsePrefix(of: expected)?.0 == position)
    }

    @Test func streamsLinesOnAThreadUntilCancelled() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = try folder.write("team.log", "one\r\n")
        let task = Task {
            var seen: [String] = []
            for try await line in FileFollower.lines(path: path, pollInterval: .milliseconds(10)) {
                seen.append(line.text)
                if seen.count == 1 { try folder.append("team.log", "two\n") }
                if seen.count == 2 { break }
            }
            return seen
        }
        #expect(try await task.value == ["one", "two"])

        let count = Locked(0)
        let endless = Task {
            for try await _ in FileFollower.lines(path: path, pollInterval: .milliseconds(10)) {
                count.withLock { $0 += 1 }
            }
            return count.withLock { $0 }
        }
        for _ in 0..<500 where count.withLock({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(10)) }
        endless.cancel()
        #expect(try await endless.value == 2)
    }
}
