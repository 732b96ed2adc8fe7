import Foundation

// Entry point: see IngestBenchmark (default) and WebhookBenchmark (`--webhook`) for what is
// measured and how.
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.contains("--webhook") {
        exit(try await WebhookBenchmark(arguments: arguments).run())
    }
    exit(try IngestBenchmark(arguments: arguments).run())
} catch {
    FileHandle.standardError.write(Data("threadpress-bench: \(error)\n".utf8))
    exit(1)
}
