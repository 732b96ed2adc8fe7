import BlogEngines
import BotRuntime
import ChatTransports
import Foundation
import SQLiteStorage
import ThreadpressModel
import Workflow

/// `threadpress-bench --promotions N`: N conversations promoted with `!blog` (default 10,000),
/// each stored, decided and written to a Markdown folder through the bot's own path
/// (`MessageIngestor` → `SQLiteStore` → `BlogOutboxWorker` → `MarkdownFolderEngine`), and the time
/// per promotion reported for every thousand, so a cost that grows with history shows as a slope.
///
/// Rate limits are set out of the way (this measures cost, not policy): 50 people take turns.
struct PromotionBenchmark {
    static let usage = "usage: threadpress-bench --promotions N [--keep]"
    /// The last thousand may cost at most this much more per promotion than the first.
    static let flatnessLimit = 1.5

    var promotions = 10_000
    var keep = false

    func run() async throws -> Int32 {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("threadpress-promote-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(atPath: folder) } }
        let store = try SQLiteStore(path: "\(folder)/bench.sqlite")
        let utc = IANATimeZone(identifier: "UTC")!
        let logger = BotLogger(level: .error)
        let ingestor = MessageIngestor(
            store: store,
            workflow: DraftWorkflow(settings: WorkflowSettings(approvers: ["clark"], trustsNicks: true, timeZone: utc)),
            transportIdentifier: "bench", logger: logger, freshness: .init(maximumAge: nil),
            rateLimit: CommandRateLimiter(burst: 1_000_000, perMinute: 6_000))
        let engine = MarkdownFolderEngine(directory: "\(folder)/blog")
        let outbox = BlogOutboxWorker(store: store, engine: engine, tags: ["chat"], timeZone: utc, logger: logger)

        print("promotion benchmark (release build expected): \(promotions) promotions, Markdown folder, SQLite WAL")
        print("| promotions | ingest ms/promotion | blog write ms/promotion | total ms/promotion |")
        print("|---|---|---|---|")
        let clock = ContinuousClock()
        let start = Date(timeIntervalSince1970: 1_795_770_000)
        var perThousand: [Double] = []
        var done = 0
        while done < promotions {
            let chunk = min(1_000, promotions - done)
            var ingest = Duration.zero
            for index in done..<(done + chunk) {
                let time = start.addingTimeInterval(Double(index) * 60)
                let person = ChatIdentity(nick: "person\(index % 50)")
                let events: [ChatEvent] = [
                    .message(ChatMessage(channel: "#team", time: time, sender: person, text: "thought number \(index)"), position: nil),
                    .message(
                        ChatMessage(
                            channel: "#team", time: time.addingTimeInterval(1), sender: person,
                            text: "!blog last 1 Idea \(index)"), position: "\(index)"),
                ]
                let began = clock.now
                try ingestor.ingest(events)
                ingest += clock.now - began
            }
            let began = clock.now
            let written = try await outbox.drain()
            let blog = clock.now - began
            guard written == chunk else { throw BenchError("expected \(chunk) blog writes, ran \(written)") }
            done += chunk
            let ingestMs = milliseconds(ingest) / Double(chunk)
            let blogMs = milliseconds(blog) / Double(chunk)
            perThousand.append(ingestMs + blogMs)
            print(String(format: "| %d | %.3f | %.3f | %.3f |", done, ingestMs, blogMs, ingestMs + blogMs))
        }
        let drafts = try store.read { try $0.drafts(in: [.open]) }.count
        let ratio = (perThousand.last ?? 0) / max(perThousand.first ?? 1, 0.000_001)
        print(String(format: "drafts: %d; last thousand / first thousand = %.2f (limit %.1f); peak RSS %d MiB",
            drafts, ratio, Self.flatnessLimit, PeakMemory.peakResidentBytes() / 1_048_576))
        return drafts == promotions && ratio <= Self.flatnessLimit ? 0 : 2
    }

    private func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
    }
}
