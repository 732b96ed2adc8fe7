#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import ThreadpressModel

/// A failed system call on a path: the errno and what we were doing, turned into a
/// ``BlogEngineError`` that names the path and the fix.
struct FolderIOFailure: Error {
    enum Operation: String {
        case read, write, list, create = "create folder", remove, rename = "move into place"
    }

    var operation: Operation
    var path: String
    var code: Int32

    var engineError: BlogEngineError {
        let reason = String(cString: strerror(code))
        let lowered = reason.prefix(1).lowercased() + reason.dropFirst()
        return BlogEngineError("cannot \(operation.rawValue) \(path): \(lowered) (\(hint))", isTransient: true)
    }

    /// What the operator can do about it. Every file-system failure is something they can fix
    /// (permissions, space, a misconfigured path), so they are all transient: the outbox retries.
    private var hint: String {
        switch code {
        case EACCES, EPERM:
            return operation == .read || operation == .list
                ? "make blog.markdown.directory readable by the bot"
                : "make blog.markdown.directory writable by the bot"
        case EROFS: return "the file system is read-only; point blog.markdown.directory at a writable folder"
        case ENOSPC, EDQUOT: return "free some disk space"
        case ENOTDIR, EEXIST: return "a part of the path is a file, not a folder; check blog.markdown.directory"
        case ENAMETOOLONG: return "choose a shorter blog.markdown.directory"
        default: return "check blog.markdown.directory"
        }
    }
}

/// Small POSIX helpers with exact errno reporting. All paths are absolute.
enum FolderIO {
    /// The names in `path` (hidden ones left out), or `nil` when the folder does not exist.
    static func list(_ path: String) throws(FolderIOFailure) -> [String]? {
        guard let handle = opendir(path) else {
            if errno == ENOENT { return nil }
            throw FolderIOFailure(operation: .list, path: path, code: errno)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    /// Whether `path` is a regular file.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Up to `limit` bytes from the start of `path`, read in `chunk`-sized pieces until
    /// `isEnough` says so.
    static func readPrefix(
        _ path: String, chunk: Int = 2048, limit: Int = 64 * 1024, until isEnough: ([UInt8]) -> Bool = { _ in false }
    ) throws(FolderIOFailure) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FolderIOFailure(operation: .read, path: path, code: errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        while bytes.count < limit {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, chunk) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FolderIOFailure(operation: .read, path: path, code: errno)
            }
            if count == 0 { break }
            bytes += buffer[0..<count]
            if isEnough(bytes) { break }
        }
        return bytes
    }

    /// The whole of `path`.
    static func read(_ path: String) throws(FolderIOFailure) -> [UInt8] {
        try readPrefix(path, chunk: 16 * 1024, limit: Int.max)
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String) throws(FolderIOFailure) {
        var current = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            current += "/" + component
            if mkdir(current, 0o755) == 0 { continue }
            let code = errno
            if code == EEXIST {
                var info = stat()
                if stat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { continue }
                throw FolderIOFailure(operation: .create, path: current, code: ENOTDIR)
            }
            throw FolderIOFailure(operation: .create, path: current, code: code)
        }
    }

    /// Writes `contents` to a hidden temporary file next to `path`, flushes it, and renames it
    /// over `path`, so readers (and Jekyll) only ever see the old file or the whole new one.
    static func writeAtomically(_ path: String, _ contents: String) throws(FolderIOFailure) {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        try makeDirectories(folder)
        let temporary = "\(folder)/.\(name).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FolderIOFailure(operation: .write, path: path, code: errno) }
        var failure: FolderIOFailure?
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = FolderIOFailure(operation: .write, path: path, code: errno)
                break
            }
            written += count
        }
        if failure == nil, fsync(descriptor) != 0 {
            failure = FolderIOFailure(operation: .write, path: path, code: errno)
        }
        if close(descriptor) != 0, failure == nil {
            failure = FolderIOFailure(operation: .write, path: path, code: errno)
        }
        if failure == nil, rename(temporary, path) != 0 {
            failure = FolderIOFailure(operation: .rename, path: path, code: errno)
        }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// Removes `path`; a file that is already gone is fine.
    static func remove(_ path: String) throws(FolderIOFailure) {
        if unlink(path) != 0, errno != ENOENT {
            throw FolderIOFailure(operation: .remove, path: path, code: errno)
        }
    }
}

/// `read(2)`, named apart from ``FolderIO/read(_:)``.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
