import Foundation

/// Runs the built `threadpress` executable, as an operator would.
struct ThreadpressProcess {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// The executable next to the test bundle (`swift build --build-tests` builds both).
    static let executable: String = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("threadpress").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        // Fall back to the package's debug build folder.
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return package.appendingPathComponent(".build/debug/threadpress").path
    }()

    /// Starts the executable with its output going to files in `folder`.
    static func start(_ arguments: [String], in folder: String, environment: [String: String]? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        if let environment { process.environment = environment }
        _ = FileManager.default.createFile(atPath: "\(folder)/.stdout", contents: nil)
        _ = FileManager.default.createFile(atPath: "\(folder)/.stderr", contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(folder)/.stdout"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(folder)/.stderr"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func output(in folder: String) -> (String, String) {
        let read = { (name: String) in (try? String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8)) ?? "" }
        return (read(".stdout"), read(".stderr"))
    }

    /// Runs to completion.
    static func run(_ arguments: [String], in folder: String, environment: [String: String]? = nil) throws -> Result {
        let process = try start(arguments, in: folder, environment: environment)
        process.waitUntilExit()
        let (out, err) = output(in: folder)
        return Result(status: process.terminationStatus, standardOutput: out, standardError: err)
    }
}
