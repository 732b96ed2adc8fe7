#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
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
            let name = entryName(entry)
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    /// The name in a `readdir` record, read where it lies.
    ///
    /// The record is only as long as its name (`d_reclen`), not `sizeof(struct dirent)`: copying
    /// `entry.pointee` reads past its end, and at the end of the kernel's buffer that is an unmapped
    /// page (the bench crashed there after ~2,000 drafts). `d_name` is NUL-terminated within the record.
    static func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        return String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
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
    ///
    /// The temporary file is named `.<name>.threadpress-<pid>-<random>.tmp`. One left behind by a
    /// process that was killed mid-write (`kill -9`, a power cut) is removed by the next write
    /// into the same folder: see ``removeStaleTemporaryFiles(in:)``.
    static func writeAtomically(_ path: String, _ contents: String) throws(FolderIOFailure) {
        try writeAtomically(path, bytes: Array(contents.utf8))
    }

    /// ``writeAtomically(_:_:)`` for bytes that need not be UTF-8 (a person's file moved as it is).
    static func writeAtomically(_ path: String, bytes: [UInt8]) throws(FolderIOFailure) {
        let folder = PathText.deletingLastComponent(path)
        let name = PathText.lastComponent(path)
        try makeDirectories(folder)
        if cleanedFolders.withLock({ $0.insert(folder).inserted }) { removeStaleTemporaryFiles(in: folder) }
        let temporary = "\(folder)/\(temporaryName(for: name))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FolderIOFailure(operation: .write, path: path, code: errno) }
        var failure: FolderIOFailure?
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

    // MARK: - Reading untrusted folders without following symbolic links

    /// What a step into a folder found.
    enum FolderStep {
        /// The open folder (close it with `close`).
        case folder(Int32)
        case missing
        /// A symbolic link, not followed.
        case symbolicLink
        /// Something that is not a folder.
        case notAFolder
    }

    /// Opens `components` below the folder `base` one at a time, never following a symbolic link
    /// on the way (`base` itself may be one: it is the operator's configured path).
    static func openFolder(_ base: String, components: [String]) throws(FolderIOFailure) -> FolderStep {
        var current = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else {
            if errno == ENOENT { return .missing }
            throw FolderIOFailure(operation: .list, path: base, code: errno)
        }
        var path = base
        for component in components {
            path += "/" + component
            let next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            close(current)
            guard next >= 0 else {
                switch code {
                case ENOENT: return .missing
                case ELOOP: return .symbolicLink
                case ENOTDIR:
                    // O_NOFOLLOW on a link to a folder gives ENOTDIR on some kernels: look.
                    return isSymbolicLink(path) ? .symbolicLink : .notAFolder
                default: throw FolderIOFailure(operation: .list, path: path, code: code)
                }
            }
            current = next
        }
        return .folder(current)
    }

    /// Whether `path` itself (not what it points to) is a symbolic link.
    static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// The names in the open folder `folder` (hidden ones left out), sorted.
    static func list(_ folder: Int32, path: String) throws(FolderIOFailure) -> [String] {
        let copy = dup(folder)
        guard copy >= 0, let handle = fdopendir(copy) else {
            let code = errno
            throw FolderIOFailure(operation: .list, path: path, code: code)
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = entryName(entry)
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    /// Identifies one version of a directory entry: a rewrite, a touch or a replacement gives
    /// another version.
    struct EntryVersion: Hashable, Sendable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modifiedSeconds: Int64
        var modifiedNanoseconds: Int64
        var mode: UInt32

        init(_ info: stat) {
            device = UInt64(truncatingIfNeeded: info.st_dev)
            inode = UInt64(truncatingIfNeeded: info.st_ino)
            size = Int64(info.st_size)
            modifiedSeconds = Int64(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
            mode = UInt32(info.st_mode)
        }

        var isRegularFile: Bool { (mode & UInt32(S_IFMT)) == UInt32(S_IFREG) }
        var isSymbolicLink: Bool { (mode & UInt32(S_IFMT)) == UInt32(S_IFLNK) }
    }

    /// The entry `name` of the open folder itself (a symbolic link is described, not followed);
    /// `nil` when it is gone.
    static func entryVersion(_ name: String, in folder: Int32, path: String) throws(FolderIOFailure) -> EntryVersion? {
        var info = stat()
        guard fstatat(folder, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
            if errno == ENOENT { return nil }
            throw FolderIOFailure(operation: .read, path: path, code: errno)
        }
        return EntryVersion(info)
    }

    /// What ``readRegularFile(_:in:path:limit:)`` found.
    enum RegularFileContents {
        case bytes([UInt8])
        /// Longer than the limit; nothing was kept.
        case tooLarge(size: Int64)
        /// A symbolic link, not followed.
        case symbolicLink
        /// Gone, or not a regular file (a folder, a FIFO, a device).
        case notARegularFile
    }

    /// Reads the regular file `name` of the open folder, at most `limit` bytes, without following
    /// a symbolic link and without blocking on a FIFO.
    static func readRegularFile(_ name: String, in folder: Int32, path: String, limit: Int) throws(FolderIOFailure)
        -> RegularFileContents
    {
        let descriptor = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            switch errno {
            case ELOOP: return .symbolicLink
            case ENOENT, ENXIO: return .notARegularFile
            default: throw FolderIOFailure(operation: .read, path: path, code: errno)
            }
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FolderIOFailure(operation: .read, path: path, code: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .notARegularFile }
        if Int64(info.st_size) > Int64(limit) { return .tooLarge(size: Int64(info.st_size)) }
        // The file may grow between fstat and read: read one byte past the limit to notice.
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while bytes.count <= limit {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FolderIOFailure(operation: .read, path: path, code: errno)
            }
            if count == 0 { break }
            bytes += buffer[0..<count]
        }
        if bytes.count > limit { return .tooLarge(size: Int64(bytes.count)) }
        return .bytes(bytes)
    }

    static let temporaryMarker = ".threadpress-"

    /// Folders whose stale temporary files this process already removed: leftovers come only from
    /// earlier processes, so one sweep per folder per process is enough (a sweep per write made
    /// every write cost a read of the whole folder).
    private static let cleanedFolders = Mutex<Set<String>>([])

    /// `.<name>.threadpress-<pid>-<random>.tmp`.
    static func temporaryName(for name: String, processID: Int32 = getpid()) -> String {
        ".\(name)\(temporaryMarker)\(processID)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16)).tmp"
    }

    /// Removes the temporary files of ``writeAtomically(_:_:)`` that no write will finish: those
    /// of a process that no longer runs, and any older than `maximumAge` (a process id can be
    /// reused after a crash; no write takes that long). Other files are left alone. Best effort:
    /// a file that cannot be removed is left for the next write.
    static func removeStaleTemporaryFiles(in folder: String, maximumAge: TimeInterval = 600, now: Date = Date()) {
        guard let handle = opendir(folder) else { return }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = entryName(entry)
            guard name.hasPrefix("."), name.hasSuffix(".tmp"), let marker = name.ranges(of: temporaryMarker).last
            else { continue }
            let rest = name[marker.upperBound...].dropLast(4)  // "<pid>-<random>"
            let parts = rest.split(separator: "-")
            guard parts.count == 2, let processID = Int32(parts[0]), processID > 0, UInt32(parts[1], radix: 16) != nil
            else { continue }
            let path = "\(folder)/\(name)"
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
            let processGone = kill(processID, 0) != 0 && errno == ESRCH
            if processGone || now.timeIntervalSince(modified) > maximumAge {
                unlink(path)
            }
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
