import Foundation

// Entry point: see IngestBenchmark for what is measured and how.
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "--promotions" {
        var benchmark = PromotionBenchmark()
        if arguments.count > 1, let count = Int(arguments[1]), count > 0 { benchmark.promotions = count }
        benchmark.keep = arguments.contains("--keep")
        exit(try await benchmark.run())
    }
    if arguments.first == "--irc-parse" { exit(try IRCParseBenchmark(arguments: Array(arguments.dropFirst())).run()) }
    exit(try IngestBenchmark(arguments: arguments).run())
} catch {
    FileHandle.standardError.write(Data("threadpress-bench: \(error)\n".utf8))
    exit(1)
}
