import CurlHTTP

/// What ``WordPressClient`` sends its requests through: ``CurlHTTPClient`` in production; tests wrap
/// it to count requests or to inject faults in addition to the real server.
public protocol WordPressHTTPTransport: Sendable {
    /// Sends one request and returns the response (redirects are returned, not followed). Throws
    /// `CurlError` for transport failures and `CancellationError` when the task is cancelled.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

extension CurlHTTPClient: WordPressHTTPTransport {}
