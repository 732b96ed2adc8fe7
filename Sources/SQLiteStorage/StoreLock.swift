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

/// An exclusive, advisory lock beside a store (`<store>.lock`), held for a process's lifetime, so
/// two bots (a service and a `--once` timer, say) never read the same chat into one store at once.
///
/// The lock file sits beside the store's real file, found through every symlink (of the file and of
/// its folders), so a second bot given a symlink to the same store takes the same lock.
///
/// The kernel releases it when the process ends, however it ends: a crash leaves no stale lock.
public final class StoreLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// The store's real path: symlinks resolved, for an existing file or for a new one in an
    /// existing folder.
    public static func resolvedPath(of storePath: String) -> String {
        if let real = realpath(storePath, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let url = URL(fileURLWithPath: storePath)
        let folder = url.deletingLastPathComponent().path
        if let real = realpath(folder, nil) {
            defer { free(real) }
            return String(cString: real) + "/" + url.lastPathComponent
        }
        return storePath
    }

    /// Takes the lock or throws ``StoreError`` naming the store that is in use.
    public init(storePath: String) throws {
        path = Self.resolvedPath(of: storePath) + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError(
                code: .cannotCreate,
                message: "cannot create the store's lock file \(path): \(String(cString: strerror(errno))); "
                    + "make that folder exist and writable for threadpress, or point store.path elsewhere")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StoreError(
                code: .inUse,
                message: "store \(storePath) is in use by another threadpress process (it holds \(path)); "
                    + "stop that one first, or give this one its own store.path")
        }
        descriptor = fd
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
