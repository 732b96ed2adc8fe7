#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Entry point: everything lives in CommandLineInterface so it can be read top to bottom.
let status = await CommandLineInterface(arguments: Array(CommandLine.arguments.dropFirst())).run()
exit(status)
