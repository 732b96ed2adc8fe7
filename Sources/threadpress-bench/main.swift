import Foundation

// Entry point: see IngestBenchmark (default), PromotionBenchmark (`--promotions`),
// WebhookBenchmark (`--webhook`) and WordPressBenchmark (`wordpress`) for what is measured and how.
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "wordpress" {
        exit(try await WordPressBenchmark(arguments: Array(arguments.dropFirst())).run())
    }
    if arguments.contains("--webhook") {
        exit(try await WebhookBenchmark(arguments: arguments).run())
    }
    if arguments.first == "--promotions" {
        var benchmark = PromotionBenchmark()
        if arguments.count > 1, let count = Int(arguments[1]), count > 0 { benchmark.promotions = count }
        benchmark.keep = arguments.contains("--keep")
        exit(try await benchmark.run())
    }
    if arguments.first == "--irc-latency" { exit(try await IRCLatencyBenchmark(arguments: Array(arguments.dropFirst())).run()) }
    if arguments.first == "--irc-parse" { exit(try IRCParseBenchmark(arguments: Array(arguments.dropFirst())).run()) }
    exit(try IngestBenchmark(arguments: arguments).run())
} catch {
    FileHandle.standardError.write(Data("threadpress-bench: \(error)\n".utf8))
    exit(1)
}
