#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An HTTP/1.1 request for ``CurlHTTPClient``: method, URL, headers, optional body and a timeout.
///
/// ```swift
/// var request = HTTPRequest(method: .post, url: URL(string: "https://blog.example/wp-json/wp/v2/posts")!,
///                           body: Data(#"{"title":"Hi"}"#.utf8), contentType: "application/json")
/// request.headers["Authorization"] = HTTPRequest.basicAuthorization(user: "bot", password: secret)
/// let response = try await client.send(request)
/// ```
///
/// When a body is present and no `Content-Type` is given, `application/octet-stream` is sent
/// (libcurl would otherwise claim a form). Descriptions and mirrors of a request show the method,
/// the URL without user info or query, and header *names* only — never header values or the body.
public struct HTTPRequest: Sendable, CustomStringConvertible, CustomReflectable {
    public var method: HTTPMethod
    public var url: URL
    public var headers: HTTPHeaders
    /// The request body; `nil` sends none (an empty `Data` sends `Content-Length: 0`).
    public var body: Data?
    /// The whole transfer's time limit, connecting included.
    public var timeout: Duration

    public init(
        method: HTTPMethod = .get,
        url: URL,
        headers: HTTPHeaders = [:],
        body: Data? = nil,
        contentType: String? = nil,
        timeout: Duration = .seconds(30)
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        if let contentType { self.headers["Content-Type"] = contentType }
    }

    public var description: String { "\(method) \(url.redactedForDisplay)" }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "method": method.rawValue,
            "url": url.redactedForDisplay,
            "headers": headers.description,
            "bodyBytes": body?.count ?? 0,
        ], displayStyle: .struct)
    }

    /// Header names whose values are credentials and are scrubbed from any error text.
    static let sensitiveHeaderNames = ["authorization", "proxy-authorization", "cookie"]

    /// Strings that must never reach an error message: credential header values (and their token
    /// parts), the URL's user info and query.
    var secrets: [String] {
        var secrets: [String] = []
        for field in headers {
            let name = field.name.lowercased()
            let sensitive = Self.sensitiveHeaderNames.contains(name)
                || ["token", "secret", "key", "auth", "password"].contains { name.contains($0) }
            guard sensitive else { continue }
            secrets.append(field.value)
            secrets.append(contentsOf: field.value.split(separator: " ").dropFirst().map(String.init))
        }
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        secrets += [components?.percentEncodedQuery, components?.query,
                    components?.percentEncodedPassword, components?.password].compactMap { $0 }
        return secrets.sorted { $0.count > $1.count }
    }
}

extension URL {
    /// `scheme://host[:port]/path`: no user info, no query, no fragment.
    var redactedForDisplay: String {
        guard var components = URLComponents(url: self, resolvingAgainstBaseURL: false),
              components.host != nil
        else { return "<invalid URL>" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "<invalid URL>"
    }
}
