#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A non-blocking TCP socket for the plain (non-TLS) case of ``CurlStreamConnection``: plain TCP
/// needs none of libcurl, so a bot on plain-TCP IRC never loads it. Owned by the connection's
/// owner thread, like the libcurl handle in the TLS case.
final class PlainSocketStream {
    let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Resolves `options.host`, then tries each address until one connects within what is left of
    /// `options.connectTimeout`; checks `core`'s cancellation every 100 ms.
    static func open(_ options: CurlStreamOptions, core: CurlStreamCore) throws -> PlainSocketStream {
        let deadline = ContinuousClock.now + options.connectTimeout
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(options.host, String(options.port), &hints, &list)
        guard resolved == 0, let first = list else {
            let reason = String(cString: gai_strerror(resolved))
            throw failure(.connectionFailed, options, "could not resolve \(options.host): \(reason)")
        }
        defer { freeaddrinfo(first) }
        var lastReason = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        // Reviewed unsafe use: the list is getaddrinfo's, walked read-only and freed once above.
        while let address = entry {
            entry = address.pointee.ai_next
            let descriptor = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard descriptor >= 0 else {
                lastReason = "socket: \(errorText(errno))"
                continue
            }
            let stream = PlainSocketStream(descriptor: descriptor)  // closes on every early exit
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            var on: Int32 = 1
            _ = setsockopt(descriptor, SOL_SOCKET, SO_KEEPALIVE, &on, socklen_t(MemoryLayout<Int32>.size))
            #if canImport(Glibc)
            _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            #endif
            if connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return stream }
            guard errno == EINPROGRESS || errno == EINTR else {
                lastReason = errorText(errno)
                continue
            }
            switch try stream.waitUntilConnected(deadline: deadline, core: core, options: options) {
            case nil: return stream
            case let reason?: lastReason = reason
            }
        }
        throw failure(.connectionFailed, options, lastReason)
    }

    /// nil once connected; the reason otherwise. Throws when cancelled or out of time.
    private func waitUntilConnected(
        deadline: ContinuousClock.Instant, core: CurlStreamCore, options: CurlStreamOptions
    ) throws -> String? {
        var descriptors = [pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)]
        while true {
            if core.isOpeningCancelled {
                throw CurlStreamError(code: .cancelled, endpoint: options.endpoint,
                                      message: "\(CurlStreamError.label(options)): connecting was cancelled")
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                let milliseconds = Int(options.connectTimeout / .milliseconds(1))
                throw Self.failure(.connectionFailed, options, "no connection within \(milliseconds) ms")
            }
            descriptors[0].revents = 0
            let slice = min(100, max(1, Int((left / .milliseconds(1)).rounded(.up))))
            let ready = poll(&descriptors, 1, Int32(slice))
            if ready < 0 && errno != EINTR { return "poll: \(Self.errorText(errno))" }
            guard ready > 0 else { continue }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return Self.errorText(errno) }
            return error == 0 ? nil : Self.errorText(error)
        }
    }

    /// Sends from `bytes`; may send fewer bytes than given. Never raises SIGPIPE.
    ///
    /// Reviewed unsafe use: the kernel reads at most `bytes.count` bytes, only during the call.
    func streamSend(_ bytes: UnsafeRawBufferPointer) -> CurlStreamTransfer {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return .transferred(0) }
        while true {
            #if canImport(Glibc)
            let sent = send(descriptor, base, bytes.count, Int32(MSG_NOSIGNAL))
            #else
            let sent = send(descriptor, base, bytes.count, 0)
            #endif
            if sent >= 0 { return .transferred(sent) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .again
            case let number: return .systemError(number)
            }
        }
    }

    /// Receives into `buffer`; `.transferred(0)` is end of stream.
    ///
    /// Reviewed unsafe use: the kernel writes at most `buffer.count` bytes, only during the call.
    func streamReceive(into buffer: UnsafeMutableRawBufferPointer) -> CurlStreamTransfer {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .transferred(0) }
        while true {
            let received = recv(descriptor, base, buffer.count, 0)
            if received >= 0 { return .transferred(received) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .again
            case let number: return .systemError(number)
            }
        }
    }

    static func errorText(_ number: Int32) -> String {
        String(cString: strerror(number))
    }

    private static func failure(_ code: CurlStreamError.Code, _ options: CurlStreamOptions, _ reason: String) -> CurlStreamError {
        CurlStreamError(
            code: code, endpoint: options.endpoint,
            message: "\(CurlStreamError.label(options)): could not connect; check host, port and that the server runs (\(reason))")
    }
}
