import ConfigurationReading
import JSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads and validates threadpress's JSON configuration, reporting every problem at once.
///
/// Relative paths in the file are resolved against the file's own folder, so a configuration
/// works the same whatever the current directory. Files the bot will read must exist, and the
/// folders of files it will create must exist, when the configuration loads.
///
/// ```swift
/// do {
///     let configuration = try ConfigurationLoader.load(path: "/etc/threadpress/config.json")
///     // run with it
/// } catch let error as ConfigurationError {
///     FileHandle.standardError.write(Data((error.description + "\n").utf8))
///     exit(78)  // EX_CONFIG
/// }
/// ```
public enum ConfigurationLoader {
    /// Files larger than this are refused before parsing.
    public static let maximumFileBytes = 1 << 20

    /// Loads the configuration file at `path`. Problems name the file as `path` was given.
    ///
    /// - Parameter environment: where `*_env` secrets are looked up.
    /// - Throws: ``ConfigurationError`` listing every problem found.
    public static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ThreadpressConfiguration {
        let absolutePath = ConfigurationContext.absolute(path, relativeTo: FileManager.default.currentDirectoryPath)
        let context = ConfigurationContext(sourceName: path, baseDirectory: "/", environment: environment)
        let fail = { (message: String) in ConfigurationError(problems: [ConfigurationProblem(sourceName: path, path: "", message: message)]) }
        switch context.kind(of: absolutePath) {
        case .missing: throw fail("configuration file not found: \(absolutePath) (create it from config.example.json or fix the path)")
        case .folder: throw fail("\(absolutePath) is a folder; expected a JSON configuration file")
        case .regularFile, .other: break
        }
        guard let data = FileManager.default.contents(atPath: absolutePath) else {
            throw fail("cannot read \(absolutePath) (check its permissions)")
        }
        return try parse(
            data: data, sourceName: path, baseDirectory: ConfigurationContext.parent(of: absolutePath),
            environment: environment)
    }

    /// Parses configuration `data` whose relative paths are relative to `baseDirectory`.
    ///
    /// - Parameters:
    ///   - sourceName: the name problems start with (usually the file's path).
    ///   - baseDirectory: the folder relative paths are resolved against; itself resolved against
    ///     the current directory if relative.
    ///   - environment: where `*_env` secrets are looked up.
    /// - Throws: ``ConfigurationError`` listing every problem found.
    public static func parse(
        data: Data, sourceName: String, baseDirectory: String, environment: [String: String]
    ) throws -> ThreadpressConfiguration {
        let context = ConfigurationContext(sourceName: sourceName, baseDirectory: baseDirectory, environment: environment)
        guard data.count <= maximumFileBytes else {
            context.report("", "the file is \(data.count) bytes; a configuration file may be at most 1 MiB")
            throw ConfigurationError(problems: context.problems)
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(Array(data))
        } catch {
            context.report("", "invalid JSON at line \(error.line), column \(error.column): \(error.message)")
            throw ConfigurationError(problems: context.problems)
        }
        let configuration = ConfigurationObjectReader.root(value, context: context)
            .flatMap(ThreadpressConfiguration.init(reading:))
        guard context.problems.isEmpty, let configuration else {
            throw ConfigurationError(problems: context.problems)
        }
        return configuration
    }
}
