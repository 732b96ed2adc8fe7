import BlogEngines
import CurlHTTP
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel
import JSON

/// Turns every way a WordPress request can fail into one ``BlogEngineError``, once, at the edge.
///
/// | failure | kind | message says |
/// |---|---|---|
/// | 3xx (a write is never redirected) | permanent | the site redirected: fix `url` |
/// | 401 | permanent | the user or application password was rejected (and, on `http`, that WordPress takes application passwords over http only with `WP_ENVIRONMENT_TYPE` `local`) |
/// | 403 | permanent | the user may not do this: give it a role that can |
/// | 404 on the API root, or a 404 that is not a WordPress JSON error | permanent | the REST API looks disabled |
/// | 404/410 of a post or comment | conflict | it was deleted or trashed in WordPress |
/// | 409 | conflict | WordPress refused because of the current state |
/// | 408, 425, 429, 5xx, timeouts, refused or lost connections | transient | the blog is unreachable; the operation stays queued (with Retry-After) |
/// | TLS certificate not trusted | permanent | the certificate of the host is not trusted |
/// | other 4xx | permanent | WordPress's own message, on one line |
///
/// Messages never contain credentials, query strings or more than one line of server text.
public enum WordPressFailure {
    /// The error for an HTTP answer that is not a success.
    ///
    /// - Parameters:
    ///   - operation: what was being done, e.g. `publish post 12` (no secrets, no query strings).
    ///   - isAPIRoot: the request was for the REST API root itself (discovery or a credentials check).
    public static func classify(
        status: Int, headers: HTTPHeaders, body: Data, operation: String, settings: WordPressSettings,
        isAPIRoot: Bool = false, now: Date = Date()
    ) -> BlogEngineError {
        let site = settings.siteURL.host ?? "the blog"
        let error = WordPressAPIError(body: body)
        let detail = error.map { " (\($0.code): \($0.message))" } ?? ""
        switch status {
        case 300...399:
            let target = headers["Location"].flatMap { URL(string: $0)?.host }.map { " to " + oneLine($0, limit: 80) } ?? ""
            return BlogEngineError(
                "WordPress redirected \(operation) (HTTP \(status)\(target)): set blog.wordpress.url to the address the site really uses",
                kind: .permanent, httpStatus: status)
        case 401:
            var message = "WordPress at \(site) rejected user \"\(oneLine(settings.username, limit: 60))\" or its application password"
                + " (HTTP 401 on \(operation)): check blog.wordpress.username and the application password"
            if settings.siteURL.scheme?.lowercased() == "http" {
                message += "; over plain http WordPress accepts application passwords only when its WP_ENVIRONMENT_TYPE is local (use https)"
            }
            return BlogEngineError(message, kind: .permanent, httpStatus: status)
        case 403:
            return BlogEngineError(
                "WordPress user \"\(oneLine(settings.username, limit: 60))\" may not \(operation) (HTTP 403\(detail)): give it the Editor or Administrator role",
                kind: .permanent, httpStatus: status)
        case 404 where isAPIRoot || error == nil:
            return BlogEngineError(
                "the WordPress REST API looks disabled at \(settings.siteURL.absoluteString) (HTTP 404 on \(operation)): enable it, or check blog.wordpress.url",
                kind: .permanent, httpStatus: status)
        case 404, 410:
            return BlogEngineError(
                "\(operation): it was deleted or trashed in WordPress (HTTP \(status)\(detail))", kind: .conflict, httpStatus: status)
        case 409:
            return BlogEngineError(
                "\(operation): WordPress refused because of the current state (HTTP 409\(detail))", kind: .conflict, httpStatus: status)
        case 408, 425, 429, 500...599:
            let retryAfter = headers["Retry-After"].flatMap { parseRetryAfter($0, now: now) }
            let wait = retryAfter.map { ", asked to wait \(Int($0.rounded(.up))) s" } ?? ""
            return BlogEngineError(
                "blog unreachable: \(site) answered HTTP \(status) on \(operation)\(wait); queued, will retry",
                kind: .transient, httpStatus: status, retryAfter: retryAfter)
        default:
            return BlogEngineError(
                "WordPress refused to \(operation) (HTTP \(status)\(detail))", kind: .permanent, httpStatus: status)
        }
    }

    /// The error for a request that got no HTTP answer (a `CurlError`, or anything else thrown by the transport).
    public static func classify(transportError error: any Error, operation: String, settings: WordPressSettings) -> BlogEngineError {
        let site = settings.siteURL.host ?? "the blog"
        guard let curl = error as? CurlError else {
            return BlogEngineError("blog unreachable: \(operation) failed (\(oneLine(String(describing: error), limit: 200))); queued, will retry", kind: .transient)
        }
        // CURLE_PEER_FAILED_VERIFICATION (60) and CURLE_SSL_CACERT_BADFILE (77): retrying will not help.
        if curl.code == 60 || curl.code == 77 {
            return BlogEngineError(
                "the TLS certificate of \(site) is not trusted (\(oneLine(curl.summary, limit: 120))): fix the certificate or blog.wordpress.url",
                kind: .permanent)
        }
        let why = curl.isTimeout ? "timed out" : curl.isConnectionFailure ? "could not connect" : oneLine(curl.summary, limit: 120)
        return BlogEngineError("blog unreachable: \(operation) at \(site) \(why); queued, will retry", kind: .transient)
    }

    /// The error for a 2xx answer whose body is not the JSON WordPress sends.
    static func unreadable(operation: String, settings: WordPressSettings, status: Int) -> BlogEngineError {
        BlogEngineError(
            "\(settings.siteURL.host ?? "the blog") answered \(operation) with something that is not WordPress JSON (HTTP \(status)); queued, will retry",
            kind: .transient, httpStatus: status)
    }

    /// `Retry-After` as seconds from `now`: delta-seconds or an HTTP-date; `nil` when unreadable.
    public static func parseRetryAfter(_ value: String, now: Date) -> TimeInterval? {
        let trimmed = value.trimmingSpaces()
        if let seconds = Int(trimmed) { return seconds >= 0 ? TimeInterval(seconds) : nil }
        guard let date = parseHTTPDate(trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// An IMF-fixdate (`Mon, 30 Nov 2026 00:54:20 GMT`, RFC 9110), the HTTP-date servers send.
    static func parseHTTPDate(_ text: String) -> Date? {
        let fields = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard fields.count == 6, fields[0].count == 4, fields[0].hasSuffix(","), fields[5] == "GMT",
              let day = Int(fields[1]), let month = months.firstIndex(of: String(fields[2])), let year = Int(fields[3])
        else { return nil }
        let clock = fields[4].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard clock.count == 3, let hour = clock[0], let minute = clock[1], let second = clock[2] else { return nil }
        return IANATimeZone.utc.date(from: LocalDateTime(
            year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second))
    }

    /// Server or user text made safe for a one-line message: controls removed, whitespace folded, bounded.
    static func oneLine(_ text: String, limit: Int) -> String {
        CommentText.plain(fromText: text, limit: limit)
    }
}

/// WordPress's JSON error body: `{"code": "rest_cannot_create", "message": "…", "data": {"status": 401}}`.
struct WordPressAPIError: Sendable, Equatable {
    var code: String
    var message: String

    init?(body: Data) {
        guard let value = try? JSONParser.parse([UInt8](body)), let code = value["code"]?.string else { return nil }
        self.code = WordPressFailure.oneLine(code, limit: 60)
        self.message = WordPressFailure.oneLine(value["message"]?.string ?? "", limit: 160)
    }
}
