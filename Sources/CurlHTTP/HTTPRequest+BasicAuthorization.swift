#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension HTTPRequest {
    /// The `Authorization` header value for HTTP Basic authentication (`Basic base64(user:password)`).
    ///
    /// ```swift
    /// request.headers["Authorization"] = HTTPRequest.basicAuthorization(user: "bot", password: appPassword)
    /// ```
    /// Neither the value nor the password ever appears in a request description or a ``CurlError``.
    public static func basicAuthorization(user: String, password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }
}
