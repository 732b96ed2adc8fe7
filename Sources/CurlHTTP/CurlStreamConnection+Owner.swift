#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl

/// The owner thread of one ``CurlStreamConnection``: connects, then moves bytes until closed, end
/// of stream or an error. The libcurl handle never leaves this thread.
enum CurlStreamOwner {
    /// Receives per readiness before giving sends a turn (the rest is read on the next round,
    /// without waiting in `poll`).
    static let receivesPerRound = 64

    static func run(
        core: CurlStreamCore, options: CurlStreamOptions,
        inbound: AsyncThrowingStream<[UInt8], Error>.Continuation,
        opened: CheckedContinuation<Void, Error>
    ) {
        let ending = connectAndServe(core: core, options: options, inbound: inbound, opened: opened)
        // The handle (and with it the socket) is gone once connectAndServe returned.
        inbound.finish(throwing: ending)
        core.markEnded()
    }

    /// Returns the error that ended an open connection, nil for a normal end.
    private static func connectAndServe(
        core: CurlStreamCore, options: CurlStreamOptions,
        inbound: AsyncThrowingStream<[UInt8], Error>.Continuation,
        opened: CheckedContinuation<Void, Error>
    ) -> Error? {
        if !options.tls {
            // Plain TCP needs none of libcurl (which then is never loaded).
            let stream: PlainSocketStream
            do {
                stream = try PlainSocketStream.open(options, core: core)
                if core.isOpeningCancelled {
                    throw CurlStreamError(code: .cancelled, endpoint: core.endpoint, message: "\(core.label): connecting was cancelled")
                }
            } catch {
                opened.resume(throwing: error)
                return error
            }
            opened.resume()
            return serve(endpoint: .socket(stream), socket: stream.descriptor, core: core, chunkSize: options.receiveChunkSize,
                         inbound: inbound)
        }
        let handle: CurlEasyHandle
        let socket: Int32
        do {
            handle = try connect(options, core: core)
            guard let active = try handle.activeSocket() else {
                throw CurlStreamError(code: .connectionFailed, endpoint: core.endpoint,
                                      message: "\(core.label): libcurl reported no socket after connecting")
            }
            socket = active
            if core.isOpeningCancelled {
                throw CurlStreamError(code: .cancelled, endpoint: core.endpoint, message: "\(core.label): connecting was cancelled")
            }
        } catch {
            opened.resume(throwing: error)
            return error
        }
        opened.resume()
        return serve(endpoint: .curl(handle), socket: socket, core: core, chunkSize: options.receiveChunkSize, inbound: inbound)
    }

    /// A connected handle (`curl_easy_perform` with `CURLOPT_CONNECT_ONLY`).
    private static func connect(_ options: CurlStreamOptions, core: CurlStreamCore) throws -> CurlEasyHandle {
        let handle = try CurlEasyHandle()
        handle.errorContext = "connect \(core.label)"
        try handle.setOption(CURLOPT_URL, options.url)
        try handle.setOption(CURLOPT_CONNECT_ONLY, 1)
        try handle.setOption(CURLOPT_PROXY, "")
        try handle.setOption(CURLOPT_TCP_KEEPALIVE, 1)
        try handle.setOption(CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(options.connectTimeout / .milliseconds(1))))
        if options.tls {
            try handle.setOption(CURLOPT_SSL_ENABLE_ALPN, 0)
            try handle.setOption(CURLOPT_SSL_VERIFYPEER, options.verifyPeer ? 1 : 0)
            try handle.setOption(CURLOPT_SSL_VERIFYHOST, options.verifyPeer ? 2 : 0)
            if let caFile = options.caFile { try handle.setOption(CURLOPT_CAINFO, caFile) }
            if let pin = options.pinnedPublicKeyOption { try handle.setOption(CURLOPT_PINNEDPUBLICKEY, pin) }
            if let client = options.clientCertificate {
                try handle.setOption(CURLOPT_SSLCERT, client.certificateFile)
                try handle.setOption(CURLOPT_SSLCERTTYPE, "PEM")
                if let key = client.keyFile { try handle.setOption(CURLOPT_SSLKEY, key) }
            }
        }
        // Cancellation of open(): libcurl calls the progress function while it connects.
        let userdata = Unmanaged.passUnretained(core).toOpaque()
        try handle.setProgressFunction { userdata, _, _, _, _ in
            guard let userdata else { return 0 }
            return Unmanaged<CurlStreamCore>.fromOpaque(userdata).takeUnretainedValue().isOpeningCancelled ? 1 : 0
        }
        try handle.setOption(CURLOPT_XFERINFODATA, pointer: userdata)
        try handle.setOption(CURLOPT_NOPROGRESS, 0)
        let code = withExtendedLifetime(core) { handle.performReturningCode() }
        try handle.setOption(CURLOPT_NOPROGRESS, 1)
        try handle.setOption(CURLOPT_XFERINFODATA, pointer: nil)
        guard code == CURLE_OK else {
            throw CurlStreamError.connect(code, options: options, cause: handle.error(code))
        }
        return handle
    }

    /// The poll loop. Returns the error that ended the connection, nil for a close or end of stream.
    private static func serve(
        endpoint: StreamEndpoint, socket: Int32, core: CurlStreamCore, chunkSize: Int,
        inbound: AsyncThrowingStream<[UInt8], Error>.Continuation
    ) -> Error? {
        var outbound: [UInt8] = []
        var sentOffset = 0
        var waitForWritable = false
        var moreToRead = false
        var buffer = [UInt8](repeating: 0, count: max(1, chunkSize))
        var descriptors = [
            pollfd(fd: socket, events: 0, revents: 0),
            pollfd(fd: core.wake.readDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        func failure(_ code: CurlStreamError.Code, _ what: String, _ curlCode: CURLcode) -> CurlStreamError {
            guard case .curl(let handle) = endpoint else { return failure(code, what, errno: EIO) }
            let cause = handle.error(curlCode)
            return CurlStreamError(code: code, endpoint: core.endpoint, message: "\(core.label): \(what) failed (\(cause.summary))", cause: cause)
        }
        func failure(_ code: CurlStreamError.Code, _ what: String, errno number: Int32) -> CurlStreamError {
            CurlStreamError(code: code, endpoint: core.endpoint,
                            message: "\(core.label): \(what) failed (\(PlainSocketStream.errorText(number)))")
        }

        while true {
            let (queued, closeDeadline) = core.takeOutbound()
            if !queued.isEmpty {
                if sentOffset == outbound.count {
                    outbound = queued
                    sentOffset = 0
                } else {
                    outbound.append(contentsOf: queued)
                }
            }
            if let closeDeadline, sentOffset == outbound.count || ContinuousClock.now >= closeDeadline {
                return nil
            }

            // Write as much as the socket takes; keep the tail.
            if sentOffset < outbound.count && !waitForWritable {
                sending: while sentOffset < outbound.count {
                    let result = outbound.withUnsafeBytes { bytes in
                        endpoint.streamSend(UnsafeRawBufferPointer(rebasing: bytes[sentOffset...]))
                    }
                    switch result {
                    case .transferred(let count) where count > 0:
                        sentOffset += count
                        core.didSend(count)
                    case .transferred, .again:
                        waitForWritable = true
                        break sending
                    case .failed(let code):
                        return failure(.sendFailed, "send", code)
                    case .systemError(let number):
                        return failure(.sendFailed, "send", errno: number)
                    }
                }
                if sentOffset == outbound.count {
                    outbound.removeAll(keepingCapacity: outbound.capacity <= 64 * 1024)
                    sentOffset = 0
                    if closeDeadline != nil { return nil }
                }
            }

            descriptors[0].events = Int16(POLLIN) | (waitForWritable ? Int16(POLLOUT) : 0)
            descriptors[0].revents = 0
            descriptors[1].revents = 0
            var timeout: Int32 = -1
            if moreToRead {
                timeout = 0
            } else if let closeDeadline {
                let left = closeDeadline - ContinuousClock.now
                timeout = Int32(clamping: max(0, Int((left / .milliseconds(1)).rounded(.up))))
            }
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if ready < 0 {
                let error = errno
                if error == EINTR { continue }
                return CurlStreamError(code: .systemCall, endpoint: core.endpoint,
                                       message: "\(core.label): poll failed (\(String(cString: strerror(error))))")
            }
            if descriptors[0].revents & Int16(POLLNVAL) != 0 {
                return CurlStreamError(code: .systemCall, endpoint: core.endpoint,
                                       message: "\(core.label): the socket was closed under the connection (POLLNVAL)")
            }
            if descriptors[1].revents != 0 { core.wake.drain() }
            if descriptors[0].revents & Int16(POLLOUT) != 0 { waitForWritable = false }
            if descriptors[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 || moreToRead {
                moreToRead = false
                // Read until libcurl says "again": TLS may hold decrypted bytes poll cannot see.
                receiving: for round in 0..<receivesPerRound {
                    let result = buffer.withUnsafeMutableBytes { endpoint.streamReceive(into: $0) }
                    switch result {
                    case .transferred(0):
                        return nil  // the peer closed the connection
                    case .transferred(let count):
                        if case .terminated = inbound.yield(Array(buffer[0..<count])) { return nil }
                        if round == receivesPerRound - 1 { moreToRead = true }
                    case .again:
                        break receiving
                    case .failed(let code):
                        return failure(.receiveFailed, "receive", code)
                    case .systemError(let number):
                        return failure(.receiveFailed, "receive", errno: number)
                    }
                }
            }
            // A send that said "again" may have been waiting for TLS to read; try it again.
            if waitForWritable && descriptors[0].revents & Int16(POLLIN) != 0 { waitForWritable = false }
        }
    }
}

/// What the owner thread moves bytes through: libcurl's connect-only handle (TLS) or a socket of
/// its own (plain TCP). Both stay on the owner thread.
enum StreamEndpoint {
    case curl(CurlEasyHandle)
    case socket(PlainSocketStream)

    func streamSend(_ bytes: UnsafeRawBufferPointer) -> CurlStreamTransfer {
        switch self {
        case .curl(let handle): handle.streamSend(bytes)
        case .socket(let stream): stream.streamSend(bytes)
        }
    }

    func streamReceive(into buffer: UnsafeMutableRawBufferPointer) -> CurlStreamTransfer {
        switch self {
        case .curl(let handle): handle.streamReceive(into: buffer)
        case .socket(let stream): stream.streamReceive(into: buffer)
        }
    }
}
