import CCurl

/// A failure of a ``CurlStreamConnection``, naming the endpoint and the cause.
///
/// `message` reads like `127.0.0.1:16669 (TLS): the server's certificate was rejected: SSL peer
/// certificate or SSH remote key was not OK (...); give the CA file that signed it or pin its key`.
/// It never contains bytes that were sent or received, so it is safe to log.
public struct CurlStreamError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Code: Sendable, Equatable {
        /// TCP connect failed: refused, unreachable, unresolved or timed out.
        case connectionFailed
        /// The certificate did not verify (unknown CA, wrong name, expired).
        case certificateRejected
        /// The server's public key matched none of the pinned SHA-256 digests.
        case pinMismatch
        /// The TLS handshake or TLS set-up failed (bad CA or client certificate file, protocol error).
        case tlsFailed
        /// More than `sendBufferLimit` bytes would wait to be sent.
        case sendBufferFull
        /// The connection is closed (by ``CurlStreamConnection/close(flushingWithin:)``, the peer or an error).
        case closed
        case sendFailed
        case receiveFailed
        /// The task opening the connection was cancelled.
        case cancelled
        /// A system call (`poll`, `pipe`) failed.
        case systemCall
    }

    public let code: Code
    /// "host:port".
    public let endpoint: String
    public let message: String
    /// libcurl's error when libcurl reported one.
    public let cause: CurlError?

    public init(code: Code, endpoint: String, message: String, cause: CurlError? = nil) {
        self.code = code
        self.endpoint = endpoint
        self.message = message
        self.cause = cause
    }

    public var description: String { message }

    /// Classifies a failed connect (`curl_easy_perform` in connect-only mode).
    static func connect(_ code: CURLcode, options: CurlStreamOptions, cause: CurlError) -> CurlStreamError {
        let kind: Code
        let hint: String
        switch code {
        case CURLE_PEER_FAILED_VERIFICATION:
            kind = .certificateRejected
            hint = "the server's certificate was rejected; give the CA file that signed it (ca_file) or pin its key (tls_pin_sha256)"
        case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            kind = .pinMismatch
            hint = "the server's public key does not match the pinned SHA-256 (tls_pin_sha256); check the pin"
        case CURLE_SSL_CONNECT_ERROR, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR:
            kind = .tlsFailed
            hint = "TLS failed; check that the port speaks TLS and that the CA and client certificate files are readable PEM"
        case CURLE_ABORTED_BY_CALLBACK:
            kind = .cancelled
            hint = "connecting was cancelled"
        default:
            kind = .connectionFailed
            hint = "could not connect; check host, port and that the server runs"
        }
        return CurlStreamError(
            code: kind, endpoint: options.endpoint,
            message: "\(label(options)): \(hint) (\(cause.summary)\(cause.detail.isEmpty ? "" : ": \(cause.detail)"))",
            cause: cause)
    }

    static func label(_ options: CurlStreamOptions) -> String {
        "\(options.endpoint)\(options.tls ? " (TLS)" : "")"
    }
}
