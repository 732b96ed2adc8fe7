import Foundation

/// A fresh folder under the system temporary directory, removed by ``remove()``.
///
/// ```swift
/// let folder = try TemporaryDirectory()
/// defer { folder.remove() }
/// let log = folder.url("team.log")
/// ```
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String = "threadpress-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        let path = "\(base)/\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        self.path = path
    }

    /// The absolute path of `name` inside this folder.
    public func path(_ name: String) -> String { "\(path)/\(name)" }

    /// Writes `contents` to `name` (creating folders on the way) and returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        let target = path(name)
        let parent = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// Appends `contents` to `name`, creating it if needed.
    public func append(_ name: String, _ contents: String) throws {
        let target = path(name)
        if !FileManager.default.fileExists(atPath: target) {
            try write(name, contents)
            return
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(contents.utf8))
    }

    /// Reads `name` as UTF-8.
    public func read(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    /// The names in folder `name` (relative to this folder), sorted; empty when it does not exist.
    public func list(_ name: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(name))) ?? []).sorted()
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
