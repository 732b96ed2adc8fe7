import Foundation

/// An exclusive, advisory lock beside a store (`<store>.lock`), held for a process's lifetime, so
/// two bots (a service and a `--once` timer, say) never read the same chat into one store at once.
///
/// The kernel releases it when the process ends, however it ends: a crash leaves no stale lock.
public final class StoreLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock or throws ``StoreError`` naming the store that is in use.
    public init(storePath: String) throws {
        path = storePath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError(
                code: .sqlite, message: "cannot create lock file \(path): \(String(cString: strerror(errno)))")
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
