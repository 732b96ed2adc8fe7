import ConfigurationReading
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

/// Where threadpress keeps its state (`store`): the SQLite database file.
///
/// ```json
/// "store": { "path": "threadpress.sqlite" }
/// ```
public struct StoreConfiguration: Sendable {
    /// Absolute path of the SQLite database (`path`, required). Created if missing; its folder
    /// must exist when the configuration loads.
    public var path: String

    public init(path: String) {
        self.path = path
    }
}

extension StoreConfiguration {
    init?(reading reader: ConfigurationObjectReader) {
        let path = reader.filePath("path", required: true, hint: "give the database file, e.g. \"threadpress.sqlite\"")
        if let path {
            switch reader.context.kind(of: path) {
            case .folder: reader.report("path", "\(path) is a folder; expected a database file (e.g. \(path)/threadpress.sqlite)")
            case .missing, .regularFile, .other:
                reader.context.checkParentFolderExists(path, at: reader.path(for: "path"))
                // SQLite writes its WAL and the lock file beside the database: the folder must be writable.
                let parent = ConfigurationContext.parent(of: path)
                if reader.context.kind(of: parent) == .folder, access(parent, W_OK | X_OK) != 0 {
                    reader.report("path", "folder \(parent) is not writable for threadpress (the store, its WAL and lock file live there)")
                }
            }
        }
        reader.finish()
        guard let path else { return nil }
        self.init(path: path)
    }
}
