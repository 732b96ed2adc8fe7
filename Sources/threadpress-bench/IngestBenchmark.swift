import BotRuntime
import ChatTransports
import Foundation
import SQLiteStorage
import ThreadpressModel
import Workflow

/// `threadpress-bench [--lines N] [--log FILE] [--keep]`: ingests a WeeChat log into a fresh store
/// through the bot's own path (`LogFileReader` → `MessageIngestor` → `SQLiteStore`, commands and
/// all, in the bot's batch size) and reports messages per second and peak memory.
///
/// Without `--log` it first writes a synthetic log of N lines (default 1,000,000) to a temporary
/// folder; writing it is not timed. Build with `-c release`: debug numbers mean nothing.
struct IngestBenchmark {
    static let usage = "usage: threadpress-bench [--lines N] [--log FILE] [--keep]"
    static let targetRate = 300_000.0
    static let memoryLimitBytes = 64 * 1024 * 1024

    var lines = 1_000_000
    var logPath: String?
    var keep = false

    init(arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--lines" where index + 1 < arguments.count:
                guard let count = Int(arguments[index + 1]), count > 0 else { throw BenchError(Self.usage) }
                lines = count
                index += 2
            case "--log" where index + 1 < arguments.count:
                logPath = arguments[index + 1]
                index += 2
            case "--keep":
                keep = true
                index += 1
            default:
                throw BenchError("unknown argument '\(arguments[index])'\n\(Self.usage)")
            }
        }
    }

    func run() throws -> Int32 {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("threadpress-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(atPath: folder) } }

        let log = logPath ?? "\(folder)/team.log"
        if logPath == nil {
            try SyntheticLog.write(lines: lines, to: log)
        }
        let logBytes = (try? FileManager.default.attributesOfItem(atPath: log)[.size] as? Int) ?? 0
        let memoryBefore = PeakMemory.currentResidentBytes()

        let store = try SQLiteStore(path: "\(folder)/bench.sqlite")
        let utc = IANATimeZone(identifier: "UTC")!
        let ingestor = MessageIngestor(
            store: store,
            workflow: DraftWorkflow(settings: WorkflowSettings(approvers: ["clark"], trustsNicks: true, timeZone: utc)),
            transportIdentifier: "logfile:\(log)", logger: BotLogger(level: .error), freshness: .init(maximumAge: nil))
        let reader = try LogFileReader(path: log, format: .weechat, channel: "#team", timeZone: utc)

        let batchSize = ThreadpressBot.Options().batchSize
        var batch: [ChatEvent] = []
        batch.reserveCapacity(batchSize)
        var stored = 0
        let clock = ContinuousClock()
        let start = clock.now
        _ = try reader.readAvailable { event in
            batch.append(event)
            if batch.count >= batchSize || ingestor.isUrgent(event) {
                stored += try ingestor.ingest(batch).stored
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { stored += try ingestor.ingest(batch).stored }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(stored) / seconds
        let peak = PeakMemory.peakResidentBytes()
        let storedInStore = try store.read { try $0.messageCount() }

        print("ingest benchmark (release build expected)")
        print("  log:           \(log) (\(logBytes / 1_048_576) MiB)")
        print("  messages:      \(stored) stored (\(storedInStore) in the store)")
        print("  time:          \(String(format: "%.3f", seconds)) s")
        print("  rate:          \(Int(rate)) messages/s (target ≥ \(Int(Self.targetRate)))")
        print("  peak memory:   \(peak / 1_048_576) MiB resident (limit \(Self.memoryLimitBytes / 1_048_576) MiB; "
            + "\(memoryBefore / 1_048_576) MiB before ingest)")
        let passed = rate >= Self.targetRate && peak < Self.memoryLimitBytes
        print(passed ? "  result:        PASS" : "  result:        FAIL")
        return passed ? 0 : 2
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads the process's resident memory from /proc (Linux).
enum PeakMemory {
    static func peakResidentBytes() -> Int { field("VmHWM:") }
    static func currentResidentBytes() -> Int { field("VmRSS:") }

    private static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            let kilobytes = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
            return kilobytes * 1024
        }
        return 0
    }
}

/// A WeeChat log that looks like a busy team channel: several speakers, lines of varied length,
/// actions, joins and parts, the occasional command, one day after another.
enum SyntheticLog {
    static func write(lines: Int, to path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let nicks = ["alice", "bob", "@clark", "+jane", "harold", "dave", "erin", "frank"]
        let words = [
            "deploy", "friday", "rollback", "plan", "customers", "conversation", "engine", "business", "review",
            "the", "a", "we", "should", "ship", "it", "after", "lunch", "é", "naïve", "🎉", "<b>", "&", "{{x}}",
        ]
        var generator = SplitMix64(seed: 42)
        var buffer = ""
        buffer.reserveCapacity(1 << 20)
        var seconds = 0
        for index in 0..<lines {
            seconds += Int(generator.next() % 20)
            let day = 27 + seconds / 86_400
            let time = seconds % 86_400
            let stamp = String(
                format: "2026-11-%02d %02d:%02d:%02d", day % 28 + 1, time / 3600, time / 60 % 60, time % 60)
            let nick = nicks[Int(generator.next() % UInt64(nicks.count))]
            let roll = generator.next() % 100
            if roll < 3 {
                buffer += "\(stamp)\t-->\t\(nick.trimmingCharacters(in: ["@", "+"])) (u@host) has joined #team\n"
            } else if roll < 5 {
                buffer += "\(stamp)\t *\t\(nick.trimmingCharacters(in: ["@", "+"])) nods\n"
            } else if index % 50_000 == 49_999 {
                buffer += "\(stamp)\t\(nick)\t!drafts\n"
            } else {
                let count = 3 + Int(generator.next() % 15)
                let text = (0..<count).map { _ in words[Int(generator.next() % UInt64(words.count))] }
                    .joined(separator: " ")
                buffer += "\(stamp)\t\(nick)\t\(text)\n"
            }
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer.utf8))
    }
}

/// A small deterministic random generator, so every run ingests the same log.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
