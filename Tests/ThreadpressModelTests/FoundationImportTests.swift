import Foundation
import Testing

/// The bot links no ICU: every module of the `threadpress` executable imports FoundationEssentials
/// (Foundation only in the `#else` of `#if canImport(FoundationEssentials)`). One plain
/// `import Foundation` anywhere in those modules pulls Foundation and ICU back into the binary
/// (+45 MiB on disk, +4 MiB resident), and Swift's imports leak across a module's files, so the
/// compiler would not notice.
@Suite struct FoundationImportTests {
    static let botModules = [
        "BlogEngines", "BotRuntime", "ChatTransports", "Configuration", "ConfigurationReading", "CurlHTTP", "HTTPServer",
        "IRCProtocol", "IRCTransport", "JSON", "MessageAuthentication", "SQLiteStorage", "ThreadpressModel", "Threads",
        "WebhookTransport", "WordPressBlog", "Workflow", "threadpress",
    ]

    @Test func noModuleOfTheBotImportsFoundationOutsideTheFallback() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        var offenders: [String] = []
        var files = 0
        for module in Self.botModules {
            let folder = sources.appendingPathComponent(module)
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
            for name in names {
                files += 1
                let lines = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                    .split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                for (index, line) in lines.enumerated() where line == "import Foundation" || line.hasPrefix("import Foundation ")
                    || line.hasPrefix("@_exported import Foundation")
                {
                    if index == 0 || lines[index - 1] != "#else" { offenders.append("\(module)/\(name):\(index + 1)") }
                }
            }
        }
        #expect(files > 150)
        #expect(offenders == [], "import FoundationEssentials instead (see the other files of the module)")
    }
}
