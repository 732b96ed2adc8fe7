#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A non-blocking pipe that wakes the owner thread's `poll()`: any thread writes a byte, the owner
/// drains it. Closed when the last reference goes, so a late ``signal()`` never writes to a
/// descriptor number that was reused.
final class CurlStreamWakePipe: Sendable {
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    init(endpoint: String) throws {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else {
            let error = errno
            throw CurlStreamError(code: .systemCall, endpoint: endpoint,
                                  message: "\(endpoint): pipe failed (\(String(cString: strerror(error))))")
        }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    /// Wakes the owner. A full pipe (EAGAIN) already guarantees a wake-up, so errors are ignored.
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Empties the pipe (non-blocking reads until it is empty).
    func drain() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while scratch.withUnsafeMutableBytes({ read(readDescriptor, $0.baseAddress, $0.count) }) > 0 {}
    }
}
