#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What every reader of one configuration file shares: where the file is, the environment secrets
/// may come from, and the problems found so far.
public final class ConfigurationContext {
    /// The file's name as the operator gave it; the first part of every problem.
    public let sourceName: String
    /// The absolute folder that relative paths are resolved against (the file's own folder).
    public let baseDirectory: String
    public let environment: [String: String]
    public private(set) var problems: [ConfigurationProblem] = []

    public init(sourceName: String, baseDirectory: String, environment: [String: String]) {
        self.sourceName = sourceName
        self.baseDirectory = ConfigurationContext.absolute(baseDirectory, relativeTo: FileManager.default.currentDirectoryPath)
        self.environment = environment
    }

    public func report(_ path: String, _ message: String) {
        let problem = ConfigurationProblem(sourceName: sourceName, path: path, message: message)
        if !problems.contains(problem) { problems.append(problem) }
    }

    /// `path` made absolute against the configuration's folder.
    public func resolve(_ path: String) -> String {
        ConfigurationContext.absolute(path, relativeTo: baseDirectory)
    }

    /// `path` if absolute, else `base/path`; repeated slashes and `.` components removed. `..` is
    /// kept as written, so a symbolic link in the way means what the kernel says it means.
    public static func absolute(_ path: String, relativeTo base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        let components = joined.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
        return "/" + components.joined(separator: "/")
    }

    /// The folder containing the absolute path `path`.
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    // MARK: - File system checks

    public enum FileKind {
        case missing, regularFile, folder, other
    }

    public func kind(of path: String) -> FileKind {
        var isFolder = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return .missing }
        if isFolder { return .folder }
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        return type == .typeRegular ? .regularFile : .other
    }

    /// Reports at `jsonPath` unless `path` is a readable regular file.
    public func checkReadableFile(_ path: String, at jsonPath: String) {
        switch kind(of: path) {
        case .missing: report(jsonPath, "file not found: \(path) (create it or fix the path)")
        case .folder: report(jsonPath, "\(path) is a folder; expected a file")
        case .other: report(jsonPath, "\(path) is not a regular file")
        case .regularFile:
            if !FileManager.default.isReadableFile(atPath: path) {
                report(jsonPath, "cannot read \(path): permission denied (check its permissions)")
            }
        }
    }

    /// Reports at `jsonPath` unless the folder that will contain `path` exists.
    public func checkParentFolderExists(_ path: String, at jsonPath: String) {
        let parent = ConfigurationContext.parent(of: path)
        switch kind(of: parent) {
        case .folder: break
        case .missing: report(jsonPath, "folder does not exist: \(parent) (create it or fix the path)")
        case .regularFile, .other: report(jsonPath, "\(parent) is not a folder")
        }
    }
}
