import Foundation
import Testing
import ThreadpressTesting
@testable import BlogEngines

struct FolderIOTests {
    /// The id of a process that has ended.
    static func endedProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func aWriteRemovesTemporaryFilesThatAKilledWriterLeftBehind() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let ended = try Self.endedProcessID()
        // What a writer killed with -9 between open and rename leaves, and things that must stay.
        let stale = try folder.write("_drafts/.deploy-friday.md.threadpress-\(ended)-1a2b3c.tmp", "half a dra")
        let staleOther = try folder.write("_drafts/.other.md.threadpress-\(ended)-ff.tmp", "half")
        let running = try folder.write("_drafts/.other.md.threadpress-1-abc.tmp", "pid 1 is still writing")
        let mine = try folder.write("_drafts/.other.md.threadpress-\(getpid())-abc.tmp", "this process's own")
        let unrelated = try folder.write("_drafts/.notes.tmp", "not threadpress's")
        let draft = try folder.write("_drafts/kept.md", "a draft")

        try FolderIO.writeAtomically(folder.path("_drafts/deploy-friday.md"), "the whole draft\n")

        #expect(try folder.read("_drafts/deploy-friday.md") == "the whole draft\n")
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(!FileManager.default.fileExists(atPath: staleOther))
        for kept in [running, mine, unrelated, draft] {
            #expect(FileManager.default.fileExists(atPath: kept), "\(kept)")
        }
        let hidden = try FileManager.default.contentsOfDirectory(atPath: folder.path("_drafts")).filter { $0.hasPrefix(".") }
        #expect(Set(hidden) == [".other.md.threadpress-1-abc.tmp", ".other.md.threadpress-\(getpid())-abc.tmp", ".notes.tmp"])
    }

    @Test func aTemporaryFileOfALiveProcessIsRemovedOnceItIsOlderThanAnyWrite() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        // Process 1 runs, but a write never takes ten minutes: the id was reused after a crash.
        let old = try folder.write(".post.md.threadpress-1-abc.tmp", "old")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3_600)], ofItemAtPath: old)

        FolderIO.removeStaleTemporaryFiles(in: folder.path)

        #expect(!FileManager.default.fileExists(atPath: old))
    }

    @Test func temporaryNamesAreHiddenAndRecognisable() {
        let name = FolderIO.temporaryName(for: "2026-11-28-deploy-friday.md", processID: 4242)
        #expect(name.hasPrefix(".2026-11-28-deploy-friday.md.threadpress-4242-"))
        #expect(name.hasSuffix(".tmp"))
    }

    /// `readdir` records are as long as their names; reading a whole `struct dirent` from the last
    /// one in the kernel's buffer ran into an unmapped page. Thousands of long names put records at
    /// every position of many buffers.
    @Test func listsThousandsOfLongNamesReadingEachRecordInPlace() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let names = (0..<3_000).map { "\($0)-" + String(repeating: "n", count: $0 % 200) + ".md" }
        for name in names { _ = FileManager.default.createFile(atPath: folder.path(name), contents: nil) }
        #expect(try FolderIO.list(folder.path) == names.sorted())
        FolderIO.removeStaleTemporaryFiles(in: folder.path)
        #expect(try FolderIO.list(folder.path)?.count == 3_000)
    }

    /// A `readdir` record that ends exactly where readable memory ends (the page after it is
    /// made unreadable): its name must be read without touching a byte past the record.
    @Test func readsARecordThatEndsAtTheEdgeOfReadableMemory() throws {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let raw = mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            raw != MAP_FAILED
        else {
            Issue.record("mmap failed")
            return
        }
        defer { munmap(raw, 2 * page) }
        #expect(mprotect(raw + page, page, PROT_NONE) == 0)
        let name = Array("edge.md".utf8) + [0]
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        let recordLength = (offset + name.count + 7) & ~7
        let record = raw + page - recordLength
        record.storeBytes(of: UInt16(recordLength), toByteOffset: MemoryLayout<dirent>.offset(of: \dirent.d_reclen)!, as: UInt16.self)
        for (index, byte) in name.enumerated() { record.storeBytes(of: byte, toByteOffset: offset + index, as: UInt8.self) }
        #expect(FolderIO.entryName(record.assumingMemoryBound(to: dirent.self)) == "edge.md")
    }
}
