/// Where and how a ``CurlStreamConnection`` connects: plain TCP or TLS, and how TLS is trusted.
///
/// Verification is on by default: the server's certificate must chain to `caFile` (or the system
/// store when `caFile` is nil) and name `host`. `pinnedPublicKeys` additionally requires the
/// server's public key to have one of the given SHA-256 digests (libcurl's
/// `CURLOPT_PINNEDPUBLICKEY`); pinning also applies when `verifyPeer` is false, which is the way to
/// trust a self-signed server by its key alone.
///
/// ```swift
/// var options = CurlStreamOptions(host: "irc.libera.chat", port: 6697, tls: true)
/// options.pinnedPublicKeys = ["sha256//bEpgUT3Z99LSrPn84aByZ2x+T4CgnsV79ICgMcP7UhU="]
/// let connection = try await CurlStreamConnection.open(options)
/// ```
public struct CurlStreamOptions: Sendable, Equatable {
    /// A client certificate presented during the TLS handshake (for SASL EXTERNAL); PEM files.
    public struct ClientCertificate: Sendable, Equatable {
        public var certificateFile: String
        /// The private key; nil when it is inside `certificateFile`.
        public var keyFile: String?

        public init(certificateFile: String, keyFile: String? = nil) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    public var host: String
    public var port: Int
    public var tls: Bool
    /// Check the certificate chain and the host name (`CURLOPT_SSL_VERIFYPEER`/`VERIFYHOST`).
    public var verifyPeer = true
    /// PEM file of the certificate authorities to trust instead of the system store.
    public var caFile: String?
    /// SHA-256 digests of acceptable server public keys, base64, with or without `sha256//`.
    public var pinnedPublicKeys: [String] = []
    public var clientCertificate: ClientCertificate?
    public var connectTimeout: Duration = .seconds(15)
    /// Bytes that may wait to be sent; ``CurlStreamConnection/send(_:)`` throws beyond this.
    public var sendBufferLimit = 256 * 1024
    /// Size of one read; inbound chunks are at most this long.
    public var receiveChunkSize = 16 * 1024

    public init(host: String, port: Int, tls: Bool) {
        self.host = host
        self.port = port
        self.tls = tls
    }

    /// "host:port", with brackets around IPv6 literals; used in every error message.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The URL libcurl connects to in connect-only mode (no request is ever sent).
    var url: String { "\(tls ? "https" : "http")://\(endpoint)/" }

    /// `CURLOPT_PINNEDPUBLICKEY` text: `sha256//A;sha256//B`, nil when nothing is pinned.
    var pinnedPublicKeyOption: String? {
        guard !pinnedPublicKeys.isEmpty else { return nil }
        return pinnedPublicKeys.map { $0.hasPrefix("sha256//") ? $0 : "sha256//\($0)" }.joined(separator: ";")
    }
}
