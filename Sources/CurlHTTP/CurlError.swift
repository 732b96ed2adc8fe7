import CCurl

/// A failed HTTP transfer: libcurl's result code plus a readable message.
///
/// `message` names the method, scheme, host, port and path of the request together with
/// `curl_easy_strerror` text and the handle's error buffer, e.g.
/// `GET http://127.0.0.1:9/feed: Couldn't connect to server (Failed to connect to 127.0.0.1 port 9 ...)`.
/// It never contains request headers, user info or the query string of the URL, so it is safe to
/// log and to show to an operator.
///
/// Branch on `code` (a `CURLcode` value) or on the convenience properties such as ``isTimeout``.
public struct CurlError: Error, CustomStringConvertible, Sendable, Equatable {
    /// libcurl's `CURLcode` for the failure (`CURLE_OPERATION_TIMEDOUT` is 28, and so on).
    public let code: Int32
    /// The readable message; see the type's documentation for what it contains and never contains.
    public let message: String
    /// `curl_easy_strerror(code)`, e.g. "Timeout was reached".
    public let summary: String
    /// The text libcurl left in `CURLOPT_ERRORBUFFER`, empty when it gave none.
    public let detail: String

    public init(code: Int32, message: String, summary: String = "", detail: String = "") {
        self.code = code
        self.message = message
        self.summary = summary
        self.detail = detail
    }

    public var description: String { message }

    /// The request exceeded its timeout (`CURLE_OPERATION_TIMEDOUT`).
    public var isTimeout: Bool { code == Self.rawCode(CURLE_OPERATION_TIMEDOUT) }

    /// No connection could be made: refused, unreachable or the host name did not resolve.
    public var isConnectionFailure: Bool {
        [CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY]
            .map(Self.rawCode).contains(code)
    }

    static func rawCode(_ code: CURLcode) -> Int32 { Int32(bitPattern: code.rawValue) }

    /// Builds the error for `code` with the handle's error buffer text, in the context `context`
    /// (already redacted, e.g. "GET http://host/path").
    static func curl(_ code: CURLcode, context: String, detail: String) -> CurlError {
        let summary = CurlLibrary.ifLoaded?.easyStrerror(code).map { String(cString: $0) } ?? "libcurl error \(code.rawValue)"
        var message = context.isEmpty ? summary : "\(context): \(summary)"
        if !detail.isEmpty, detail != summary { message += " (\(detail))" }
        return CurlError(code: rawCode(code), message: message, summary: summary, detail: detail)
    }

    /// A copy whose texts have every string in `secrets` (3 characters or more) replaced by `<redacted>`.
    func redacting(_ secrets: [String]) -> CurlError {
        let secrets = secrets.filter { $0.count >= 3 }
        guard !secrets.isEmpty else { return self }
        func scrub(_ text: String) -> String {
            secrets.reduce(text) { $0.replacing($1, with: "<redacted>") }
        }
        return CurlError(code: code, message: scrub(message), summary: scrub(summary), detail: scrub(detail))
    }
}
