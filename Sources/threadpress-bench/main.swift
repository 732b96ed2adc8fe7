import Foundation

// Entry point: see IngestBenchmark for what is measured and how.
let arguments = Array(CommandLine.arguments.dropFirst())
do {
    if arguments.first == "--irc-parse" { exit(try IRCParseBenchmark(arguments: Array(arguments.dropFirst())).run()) }
    exit(try IngestBenchmark(arguments: arguments).run())
} catch {
    FileHandle.standardError.write(Data("threadpress-bench: \(error)\n".utf8))
    exit(1)
}
