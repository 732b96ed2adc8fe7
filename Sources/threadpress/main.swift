import Foundation

// Entry point: everything lives in CommandLineInterface so it can be read top to bottom.
let status = await CommandLineInterface(arguments: Array(CommandLine.arguments.dropFirst())).run()
exit(status)
