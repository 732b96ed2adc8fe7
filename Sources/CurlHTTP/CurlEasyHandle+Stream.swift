import CCurl

/// What one `curl_easy_send` or `curl_easy_recv` on a connect-only handle did.
enum CurlStreamTransfer: Equatable {
    /// This many bytes moved; for a receive, 0 means the peer closed the connection.
    case transferred(Int)
    /// `CURLE_AGAIN`: the socket (or TLS) is not ready; poll and try again.
    case again
    /// Any other `CURLcode`.
    case failed(CURLcode)
    /// A system call failed with this `errno` (plain sockets).
    case systemError(Int32)
}

extension CurlEasyHandle {
    /// Sends from `bytes` (`curl_easy_send`); may send fewer bytes than given.
    ///
    /// Reviewed unsafe use: libcurl reads at most `bytes.count` bytes from `bytes.baseAddress`,
    /// only during the call; `sent` is a local written once by libcurl.
    func streamSend(_ bytes: UnsafeRawBufferPointer) -> CurlStreamTransfer {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return .transferred(0) }
        var sent = 0
        let code = curl.easySend(handle, base, bytes.count, &sent)
        return Self.transfer(code, count: sent)
    }

    /// Receives into `buffer` (`curl_easy_recv`); `.transferred(0)` is end of stream.
    ///
    /// Reviewed unsafe use: libcurl writes at most `buffer.count` bytes into `buffer`, only during
    /// the call; the caller reads back only the `count` bytes it reports.
    func streamReceive(into buffer: UnsafeMutableRawBufferPointer) -> CurlStreamTransfer {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .transferred(0) }
        var received = 0
        let code = curl.easyRecv(handle, base, buffer.count, &received)
        return Self.transfer(code, count: received)
    }

    private static func transfer(_ code: CURLcode, count: Int) -> CurlStreamTransfer {
        switch code {
        case CURLE_OK: .transferred(count)
        case CURLE_AGAIN: .again
        default: .failed(code)
        }
    }
}
