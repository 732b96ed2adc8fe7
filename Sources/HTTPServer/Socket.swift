#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls the listener makes, each wrapping its pointer work in one small place.
/// Every function returns the system result (or `errno`) and never throws or crashes.
enum Socket {
    /// Ignores SIGPIPE process-wide (writes to a closed peer then fail with EPIPE instead of
    /// killing the process); sends also pass MSG_NOSIGNAL.
    static let ignoreSIGPIPE: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    /// Marks a descriptor non-blocking and close-on-exec (glibc's `accept4`/`pipe2` are not visible
    /// from Swift, so this follows every `accept` and `pipe`).
    @discardableResult
    static func configure(_ descriptor: Int32) -> Bool {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else { return false }
        return fcntl(descriptor, F_SETFD, FD_CLOEXEC) == 0
    }

    /// A bound, listening, non-blocking socket and the port it got.
    static func listen(on address: ListenAddress, backlog: Int32) -> Result<(Int32, UInt16), HTTPListenerError> {
        let domain = address.family == .ipv4 ? AF_INET : AF_INET6
        #if canImport(Glibc)
        let descriptor = socket(domain, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(domain, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else {
            return .failure(HTTPListenerError(.socket, "cannot create a socket for \(address): \(errorText(errno))", systemError: errno))
        }
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        switch address.family {
        case .ipv4:
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = address.port.bigEndian
            withUnsafeMutableBytes(of: &socketAddress.sin_addr) { $0.copyBytes(from: address.bytes) }
            bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .ipv6:
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = address.port.bigEndian
            withUnsafeMutableBytes(of: &socketAddress.sin6_addr) { $0.copyBytes(from: address.bytes) }
            _ = setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size))
            bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            return .failure(HTTPListenerError(
                .socket, "cannot listen on \(address): \(errorText(code))"
                    + (code == EADDRINUSE ? " (another process uses this port; pick another in \"listen\")" : ""),
                systemError: code))
        }
        guard Glibc.listen(descriptor, backlog) == 0, configure(descriptor) else {
            let code = errno
            close(descriptor)
            return .failure(HTTPListenerError(.socket, "cannot listen on \(address): \(errorText(code))", systemError: code))
        }
        return .success((descriptor, localPort(descriptor) ?? address.port))
    }

    /// The local port of a bound socket.
    static func localPort(_ descriptor: Int32) -> UInt16? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard result == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in.self).sin_port.bigEndian }
        case AF_INET6:
            return withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in6.self).sin6_port.bigEndian }
        default:
            return nil
        }
    }

    /// Accepts one connection: the configured descriptor, `nil` when none is waiting (or on error).
    static func accept(_ listener: Int32) -> Int32? {
        let descriptor = Glibc.accept(listener, nil, nil)
        guard descriptor >= 0 else { return nil }
        guard configure(descriptor) else {
            close(descriptor)
            return nil
        }
        var one: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return descriptor
    }

    enum ReadResult { case bytes(Int), wouldBlock, closed }

    /// Reads what is available into `buffer` (up to its count).
    static func receive(_ descriptor: Int32, into buffer: inout [UInt8]) -> ReadResult {
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        if count > 0 { return .bytes(count) }
        if count == 0 { return .closed }
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? .wouldBlock : .closed
    }

    /// Writes from `bytes[offset...]`: how many bytes went out (0 when the socket is full), or
    /// `nil` when the peer is gone.
    static func send(_ descriptor: Int32, _ bytes: [UInt8], from offset: Int) -> Int? {
        guard offset < bytes.count else { return 0 }
        let count = bytes.withUnsafeBytes {
            Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
        }
        if count >= 0 { return count }
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : nil
    }

    /// A non-blocking, close-on-exec pipe (read end, write end).
    static func pipe() -> (Int32, Int32)? {
        var descriptors: [Int32] = [-1, -1]
        guard Glibc.pipe(&descriptors) == 0 else { return nil }
        guard configure(descriptors[0]), configure(descriptors[1]) else {
            close(descriptors[0])
            close(descriptors[1])
            return nil
        }
        return (descriptors[0], descriptors[1])
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
