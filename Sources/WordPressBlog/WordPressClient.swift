import BlogEngines
import CurlHTTP
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel
import JSON
import Synchronization

/// The WordPress REST API of one site, over ``CurlHTTPClient``, as the configured user.
///
/// ```swift
/// let client = WordPressClient(settings: settings)
/// let me = try await client.get("/wp/v2/users/me", query: [("context", "edit")], operation: "check the credentials")
/// ```
/// - The API root is discovered once from the `Link: <…>; rel="https://api.w.org/"` header of the
///   site's front page (`/wp-json/` with pretty permalinks, `/index.php?rest_route=/` without), with
///   `/?rest_route=/` as the fallback when the header is missing.
/// - Every request carries HTTP Basic authentication with the application password, asks for gzip,
///   has the settings' timeout and the threadpress `User-Agent`; TLS is verified.
/// - GET redirects are followed (up to 5) only within the site (same host and port; http → https is
///   allowed); any other redirect is a permanent error naming where it pointed.
/// - Every failure is thrown as a ``BlogEngineError`` classified by ``WordPressFailure``;
///   `CancellationError` passes through.
public final class WordPressClient: Sendable {
    public let settings: WordPressSettings
    private let transport: any WordPressHTTPTransport
    private let discoveredRoot = Mutex<URL?>(nil)

    /// A client with its own ``CurlHTTPClient`` (gzip on, the settings' User-Agent).
    public convenience init(settings: WordPressSettings) {
        self.init(settings: settings, transport: CurlHTTPClient(configuration: .init(
            userAgent: settings.userAgent, connectTimeout: min(.seconds(10), settings.requestTimeout),
            acceptEncoding: "")))
    }

    /// A client that sends through `transport` (tests wrap the real client to count or fail requests).
    public init(settings: WordPressSettings, transport: any WordPressHTTPTransport) {
        self.settings = settings
        self.transport = transport
    }

    // MARK: Requests

    /// GETs `route` (e.g. `/wp/v2/posts/12`) and returns the decoded JSON.
    public func get(_ route: String, query: [(String, String)] = [], operation: String) async throws -> JSONValue {
        try await perform(.get, route, query: query, body: nil, operation: operation).json
    }

    /// POSTs `body` as JSON to `route` and returns the decoded answer.
    public func post(_ route: String, body: JSONValue, query: [(String, String)] = [], operation: String) async throws -> JSONValue {
        try await perform(.post, route, query: query, body: body, operation: operation).json
    }

    /// DELETEs `route` and returns the decoded answer.
    public func delete(_ route: String, query: [(String, String)] = [], operation: String) async throws -> JSONValue {
        try await perform(.delete, route, query: query, body: nil, operation: operation).json
    }

    /// Checks that the API answers and that the credentials work; returns the user's display name.
    /// For `check-config --online`.
    public func checkCredentials() async throws -> String {
        let me = try await get("/wp/v2/users/me", query: [("context", "edit")], operation: "check the credentials")
        return me["name"]?.string ?? settings.username
    }

    /// One answer: the JSON and the response it came from (headers for paging).
    struct Answer {
        var json: JSONValue
        var response: HTTPResponse
    }

    func perform(
        _ method: HTTPMethod, _ route: String, query: [(String, String)], body: JSONValue?, operation: String
    ) async throws -> Answer {
        let root = try await apiRoot()
        var request = HTTPRequest(method: method, url: Self.endpoint(root: root, route: route, query: query),
                                  timeout: settings.requestTimeout)
        request.headers["Authorization"] = HTTPRequest.basicAuthorization(
            user: settings.username, password: settings.applicationPassword)
        request.headers["Accept"] = "application/json"
        if let body {
            request.body = Data(body.serialized().utf8)
            request.headers["Content-Type"] = "application/json; charset=utf-8"
        }
        let response = try await send(request, operation: operation, followRedirects: method == .get)
        guard response.isSuccess else {
            if response.status == 404, WordPressAPIError(body: response.body) == nil {
                // Not WordPress answering: the permalinks (and so the root) may have changed. Ask again next time.
                discoveredRoot.withLock { $0 = nil }
            }
            throw WordPressFailure.classify(
                status: response.status, headers: response.headers, body: response.body, operation: operation,
                settings: settings)
        }
        guard let json = try? JSONParser.parse([UInt8](response.body)) else {
            throw WordPressFailure.unreadable(operation: operation, settings: settings, status: response.status)
        }
        return Answer(json: json, response: response)
    }

    /// Sends `request`, classifying transport failures, following in-site redirects when asked.
    private func send(_ request: HTTPRequest, operation: String, followRedirects: Bool) async throws -> HTTPResponse {
        var request = request
        for _ in 0...5 {
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw WordPressFailure.classify(transportError: error, operation: operation, settings: settings)
            }
            guard [301, 302, 303, 307, 308].contains(response.status), followRedirects else { return response }
            guard let location = response.headers["Location"],
                  let target = URL(string: location, relativeTo: request.url)?.absoluteURL
            else { return response }
            guard isWithinSite(target) else {
                throw BlogEngineError(
                    "WordPress redirected \(operation) to \(target.host ?? "another site"), outside \(settings.siteURL.host ?? "the site"): set blog.wordpress.url to the address the site really uses",
                    kind: .permanent, httpStatus: response.status)
            }
            request.url = target
        }
        throw BlogEngineError(
            "WordPress redirected \(operation) more than 5 times: check blog.wordpress.url", kind: .permanent)
    }

    /// Same host and port as the configured site; http may become https, never the other way.
    func isWithinSite(_ url: URL) -> Bool {
        let site = settings.siteURL
        guard let host = url.host?.lowercased(), host == site.host?.lowercased() else { return false }
        let scheme = url.scheme?.lowercased() ?? ""
        let siteScheme = site.scheme?.lowercased() ?? ""
        guard scheme == siteScheme || (siteScheme == "http" && scheme == "https") else { return false }
        func port(_ url: URL, _ scheme: String) -> Int { url.port ?? (scheme == "https" ? 443 : 80) }
        return scheme != siteScheme || port(url, scheme) == port(site, siteScheme)
    }

    // MARK: Discovery

    /// The REST API root, discovered on first use and kept.
    public func apiRoot() async throws -> URL {
        if let root = discoveredRoot.withLock({ $0 }) { return root }
        let root = try await discoverRoot()
        discoveredRoot.withLock { $0 = root }
        return root
    }

    private func discoverRoot() async throws -> URL {
        let front = HTTPRequest(url: settings.siteURL, timeout: settings.requestTimeout)
        let response = try await send(front, operation: "read the front page", followRedirects: true)
        if let link = response.headers.values(for: "Link").lazy.compactMap(Self.apiLink).first,
           let url = URL(string: link), isWithinSite(url)
        {
            return url
        }
        // No Link header (a cache or a plugin removed it): try the root that works without permalinks.
        let fallback = URL(string: settings.siteRoot + "?rest_route=/")!
        let probe = try await send(
            HTTPRequest(url: fallback, timeout: settings.requestTimeout), operation: "read the REST API root",
            followRedirects: true)
        guard probe.isSuccess else {
            throw WordPressFailure.classify(
                status: probe.status, headers: probe.headers, body: probe.body, operation: "read the REST API root",
                settings: settings, isAPIRoot: true)
        }
        guard let json = try? JSONParser.parse([UInt8](probe.body)), json["namespaces"]?.array != nil else {
            throw BlogEngineError(
                "the WordPress REST API looks disabled at \(settings.siteURL.absoluteString): neither a Link header nor /?rest_route=/ answered; enable it, or check blog.wordpress.url",
                kind: .permanent, httpStatus: probe.status)
        }
        return fallback
    }

    /// The URL of a `Link` header value's `rel="https://api.w.org/"` entry, if any.
    static func apiLink(_ header: String) -> String? {
        for entry in header.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingSpaces() }
            guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let isAPI = parts.dropFirst().contains { parameter in
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces() }
                guard pair.count == 2, pair[0].lowercased() == "rel" else { return false }
                return pair[1].trimmed(where: { $0 == "\"" }).split(separator: " ")
                    .contains("https://api.w.org/")
            }
            if isAPI { return String(target.dropFirst().dropLast()) }
        }
        return nil
    }

    // MARK: URLs

    /// `route` under `root`, with `query`: `…/wp-json/wp/v2/posts?a=b` for a path root,
    /// `…/index.php?rest_route=/wp/v2/posts&a=b` for a `rest_route` root.
    static func endpoint(root: URL, route: String, query: [(String, String)]) -> URL {
        var text = root.absoluteString
        let encodedQuery = query.map { "\(percentEncoded($0.0))=\(percentEncoded($0.1))" }
        if let range = text.firstRange(of: "rest_route=") {
            // Keep whatever the root's rest_route was (normally "/") and append the route to it.
            let tail = text[range.upperBound...]
            let end = tail.firstIndex(of: "&") ?? tail.endIndex
            let base = percentDecoded(tail[..<end]) ?? "/"
            let joined = (base.hasSuffix("/") ? String(base.dropLast()) : base) + route
            text.replaceSubrange(range.upperBound..<end, with: percentEncoded(joined))
            return URL(string: ([text] + encodedQuery).joined(separator: "&"))!
        }
        while text.hasSuffix("/") { text.removeLast() }
        text += route.split(separator: "/").map { percentEncoded(String($0)) }.reduce("") { $0 + "/" + $1 }
        return URL(string: encodedQuery.isEmpty ? text : text + "?" + encodedQuery.joined(separator: "&"))!
    }

    /// `%2Fwp%2Fv2` → `/wp/v2`; nil when an escape is malformed or the bytes are not UTF-8.
    static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = utf8.next(), let low = utf8.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// RFC 3986 unreserved characters stay; everything else is percent-encoded.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}
