#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An HTTP/1.1 client over libcurl whose blocking transfers run on its own threads.
///
/// ```swift
/// let client = CurlHTTPClient()
/// let response = try await client.send(HTTPRequest(url: URL(string: "http://127.0.0.1:8080/feed")!))
/// guard response.isSuccess else { ... }
/// ```
///
/// `curl_easy_perform` never runs on Swift's cooperative pool: each client keeps up to
/// ``Configuration/maximumConcurrentTransfers`` dedicated threads, started on first use, each with
/// its own libcurl handle (so connections are reused), and `send` suspends until its transfer ends.
/// Redirects are not followed, only `http` and `https` are allowed, the `Expect: 100-continue`
/// header is never sent, environment proxies are ignored unless
/// ``Configuration/useEnvironmentProxy`` is set.
///
/// `send` throws ``CurlError`` for transport failures (any HTTP status is a response) and
/// `CancellationError` when the calling task is cancelled (noticed within about a second).
public final class CurlHTTPClient: Sendable {
    /// Settings shared by every request of a client.
    public struct Configuration: Sendable {
        /// Honour `http_proxy`/`https_proxy`/`all_proxy`/`no_proxy`; when `false` (the default)
        /// requests always go direct.
        public var useEnvironmentProxy: Bool
        /// The `User-Agent` header.
        public var userAgent: String
        /// The time limit for connecting (capped by each request's own timeout).
        public var connectTimeout: Duration
        /// Larger response bodies fail the request with `CURLE_WRITE_ERROR`.
        public var maximumResponseBodySize: Int
        /// How many transfers may run at once (one thread each).
        public var maximumConcurrentTransfers: Int
        /// Compressed responses to ask for and decode (`CURLOPT_ACCEPT_ENCODING`): `""` offers every
        /// encoding this libcurl decodes (gzip, deflate, …); `nil` (the default) asks for none.
        public var acceptEncoding: String?

        public init(
            useEnvironmentProxy: Bool = false,
            userAgent: String = "threadpress",
            connectTimeout: Duration = .seconds(10),
            maximumResponseBodySize: Int = 32 << 20,
            maximumConcurrentTransfers: Int = 2,
            acceptEncoding: String? = nil
        ) {
            self.useEnvironmentProxy = useEnvironmentProxy
            self.userAgent = userAgent
            self.connectTimeout = connectTimeout
            self.maximumResponseBodySize = maximumResponseBodySize
            self.maximumConcurrentTransfers = maximumConcurrentTransfers
            self.acceptEncoding = acceptEncoding
        }
    }

    public let configuration: Configuration
    private let workers: CurlWorkerPool

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        workers = CurlWorkerPool(name: "CurlHTTPClient", maximumThreads: configuration.maximumConcurrentTransfers)
    }

    deinit {
        workers.stop()
    }

    /// Sends `request` and returns the final response (redirects are returned, not followed).
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let cancellation = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                workers.submit(CurlWorkerPool.Job(
                    request: request, configuration: configuration,
                    cancellation: cancellation, continuation: continuation))
            }
        } onCancel: {
            cancellation.cancel()
        }
    }
}
