#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A complete HTTP response: status code, headers (case-insensitive lookup) and body bytes.
///
/// Any status is a response, not an error: check ``isSuccess`` or ``status`` yourself.
public struct HTTPResponse: Sendable, CustomStringConvertible {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `status` is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body decoded as UTF-8 (invalid sequences replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }

    public var description: String { "HTTP \(status), \(body.count) bytes" }
}
