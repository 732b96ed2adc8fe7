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

/// Follows a growing file like `tail -F`, synchronously: each ``readAvailable(_:)`` call hands out
/// the complete lines written since the last call.
///
/// - A trailing partial line is held until its newline arrives.
/// - Truncation restarts from byte 0 and drops the held partial line: the file is now shorter
///   than what was read, or (truncated and written again between two calls, so it is longer)
///   the bytes before the last delivered line's end are no longer the ones delivered.
/// - Rotation (the path now names another inode): the old file is read to its end, its last line
///   is delivered even without a newline, then the new file is read from byte 0.
/// - A missing file is waited for (``Status/fileMissing``).
/// - Resuming from a ``FilePosition`` continues right after that line. If the inode differs or
///   the file is shorter than the saved offset, it was rotated or truncated while nobody was
///   reading: the current file is read from byte 0 (lines written to the old file after the saved
///   position are not recovered) and ``Event/restarted(_:)`` says so first.
///
/// Reads go straight into one buffer in `chunkSize` pieces, so memory stays at about one chunk
/// plus the longest line, whatever the file's size. Not thread-safe: use it from one thread (the
/// async wrappers run it on a dedicated `Thread`).
///
/// ```swift
/// let follower = FileFollower(path: "/var/log/team.log", resumingAfter: saved)
/// let status = try follower.readAvailable { event in
///     if case .line(let bytes, let position) = event { … }
/// }
/// ```
public final class FileFollower {
    /// What ``readAvailable(_:)`` reports, in file order.
    public enum Event {
        /// One complete line without its `\n` and the position just after it.
        case line(ArraySlice<UInt8>, position: FilePosition)
        /// A line longer than the framer's limit, skipped.
        case overlongLine(byteCount: Int, position: FilePosition)
        /// Reading (re)started at byte 0 of a file; earlier parser state no longer applies.
        case restarted(RestartReason)
    }

    /// Why reading started again from the beginning of a file.
    public enum RestartReason: Sendable, Hashable {
        /// The file got shorter than what had been read.
        case truncated
        /// The path now names a new file; the old one was read to its end first.
        case rotated
        /// The saved position names another file, or one shorter than the saved offset.
        case replacedWhileStopped
    }

    /// Where a ``readAvailable(_:)`` call stopped.
    public enum Status: Sendable, Hashable {
        /// Everything written so far has been delivered (a partial last line may be held).
        case caughtUp
        /// The file does not exist (yet); nothing was delivered.
        case fileMissing
    }

    public let path: String
    public let chunkSize: Int
    private var framer: LineFramer
    private var descriptor: Int32 = -1
    private var identity: (device: UInt64, inode: UInt64) = (0, 0)
    /// Bytes read from the current file.
    private var readOffset: Int64 = 0
    /// The end of the last delivered line.
    private var deliveredOffset: Int64 = 0
    private var lineNumber = 0
    private var resumePosition: FilePosition?
    /// The fingerprint of the last delivered line, carried into ``position``.
    private var lastTail: FilePosition.Tail?
    /// A restart to report once the next file opens (rotation found the new file gone again).
    private var pendingRestart: RestartReason?

    /// - Parameters:
    ///   - resumingAfter: continue after this line; `nil` reads from the start.
    ///   - chunkSize: bytes per `read(2)`.
    ///   - maximumLineLength: longer lines are skipped as ``Event/overlongLine(byteCount:position:)``.
    public init(path: String, resumingAfter position: FilePosition? = nil, chunkSize: Int = 256 * 1024,
                maximumLineLength: Int = 1 << 20) {
        self.path = path
        self.chunkSize = max(chunkSize, 1)
        self.framer = LineFramer(maximumLineLength: maximumLineLength)
        self.resumePosition = position
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The position after the last delivered line, or the resume position before anything was read.
    public var position: FilePosition? {
        if descriptor < 0 { return resumePosition }
        return FilePosition(device: identity.device, inode: identity.inode, offset: deliveredOffset, line: lineNumber, tail: lastTail)
    }

    /// Reads everything available and calls `body` for each event, then reports whether it caught
    /// up or the file is missing. Throws ``LogFileTransportError`` when the file cannot be opened
    /// (other than missing) or read; errors thrown by `body` propagate and nothing after the
    /// failing line counts as delivered.
    public func readAvailable(_ body: (Event) throws -> Void) throws -> Status {
        if descriptor < 0 {
            guard try openFile(resumingAfter: resumePosition, body) else { return .fileMissing }
            if let reason = pendingRestart {
                pendingRestart = nil
                try body(.restarted(reason))
            }
        } else if !openFileStillHoldsWhatWasRead() {
            try restartAfterTruncation(body)
        }
        while true {
            let count = try readChunk()
            if count > 0 {
                while let frame = framer.nextFrame() { try deliver(frame, body) }
                continue
            }
            // At the end: has the file been truncated or replaced?
            var pathStatus = stat()
            if stat(path, &pathStatus) != 0 {
                return .caughtUp  // rotated away, no new file yet: keep the old one until one appears
            }
            if UInt64(truncatingIfNeeded: pathStatus.st_dev) != identity.device
                || UInt64(truncatingIfNeeded: pathStatus.st_ino) != identity.inode
            {
                // Rotated. The old file was just read to its end; its last line may lack a newline.
                if let frame = framer.remainder() { try deliver(frame, body) }
                close(descriptor)
                descriptor = -1
                guard try openFile(resumingAfter: nil, body) else {
                    pendingRestart = .rotated
                    return .fileMissing
                }
                try body(.restarted(.rotated))
                continue
            }
            if !openFileStillHoldsWhatWasRead() {
                try restartAfterTruncation(body)
                continue
            }
            return .caughtUp
        }
    }

    /// Whether the open file is at least as long as what was read and still ends the last
    /// delivered line with the bytes that were delivered. A file truncated and written again
    /// past the old size between two calls fails the second test.
    private func openFileStillHoldsWhatWasRead() -> Bool {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return true }
        if Int64(status.st_size) < readOffset { return false }
        guard let tail = lastTail else { return true }
        return Self.bytes(before: deliveredOffset, in: descriptor, match: tail)
    }

    private func restartAfterTruncation(_ body: (Event) throws -> Void) throws {
        lseek(descriptor, 0, SEEK_SET)
        framer.reset()
        readOffset = 0
        deliveredOffset = 0
        lineNumber = 0
        lastTail = nil
        try body(.restarted(.truncated))
    }

    /// Opens the path; returns `false` when it does not exist.
    private func openFile(resumingAfter position: FilePosition?, _ body: (Event) throws -> Void) throws -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return false }
            throw LogFileTransportError(.unreadable, path: path, errno: code, "cannot open chat log \(path)")
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let code = errno
            close(fd)
            throw LogFileTransportError(.unreadable, path: path, errno: code, "cannot examine chat log \(path)")
        }
        descriptor = fd
        identity = (UInt64(truncatingIfNeeded: status.st_dev), UInt64(truncatingIfNeeded: status.st_ino))
        framer.reset()
        readOffset = 0
        deliveredOffset = 0
        lineNumber = 0
        lastTail = nil
        if let position {
            resumePosition = nil
            if Self.stillHolds(position, in: fd, size: Int64(status.st_size), identity: identity) {
                lseek(fd, off_t(position.offset), SEEK_SET)
                readOffset = position.offset
                deliveredOffset = position.offset
                lineNumber = position.line
                lastTail = position.tail
            } else {
                try body(.restarted(.replacedWhileStopped))
            }
        }
        return true
    }

    /// Whether reading may continue at `position` in the open file: the bytes before its offset are
    /// the ones it fingerprinted (whatever the inode: a copy of the same log counts), or, for a
    /// position without a fingerprint, the file is the same one and long enough.
    private static func stillHolds(
        _ position: FilePosition, in fd: Int32, size: Int64, identity: (device: UInt64, inode: UInt64)
    ) -> Bool {
        guard size >= position.offset else { return false }
        guard let tail = position.tail else {
            return position.device == identity.device && position.inode == identity.inode
        }
        return bytes(before: position.offset, in: fd, match: tail)
    }

    /// Whether the `tail.length` bytes before `offset` in the file hash to `tail`.
    private static func bytes(before offset: Int64, in fd: Int32, match tail: FilePosition.Tail) -> Bool {
        guard offset >= Int64(tail.length) else { return false }
        var bytes = [UInt8](repeating: 0, count: tail.length)
        let count = bytes.withUnsafeMutableBytes {
            pread(fd, $0.baseAddress, tail.length, off_t(offset) - off_t(tail.length))
        }
        return count == tail.length && FilePosition.Tail(bytes: bytes) == tail
    }

    private func readChunk() throws -> Int {
        while true {
            switch framer.read(from: descriptor, upTo: chunkSize) {
            case .success(let count):
                readOffset += Int64(count)
                return count
            case .failure(let failure) where failure.errno == EINTR:
                continue
            case .failure(let failure):
                throw LogFileTransportError(.unreadable, path: path, errno: failure.errno, "cannot read chat log \(path)")
            }
        }
    }

    private func deliver(_ frame: LineFramer.Frame, _ body: (Event) throws -> Void) throws {
        deliveredOffset += Int64(frame.byteCount)
        lineNumber += 1
        var position = FilePosition(
            device: identity.device, inode: identity.inode, offset: deliveredOffset, line: lineNumber)
        switch frame {
        case .line(let bytes, let byteCount):
            position.tail = FilePosition.Tail(content: bytes, terminatorCount: byteCount - bytes.count)
            lastTail = position.tail
            try body(.line(bytes, position: position))
        case .overlong(let byteCount):
            lastTail = nil
            try body(.overlongLine(byteCount: byteCount, position: position))
        }
    }
}
