/// A response the listener writes back: status, header fields and body. `Content-Length` and
/// `Connection` are added by ``serialized(keepAlive:includeBody:)``.
///
/// ```swift
/// HTTPServerResponse(status: 200, body: Array(#"{"ok":true}"#.utf8), contentType: "application/json")
/// ```
public struct HTTPServerResponse: Sendable, Hashable {
    public var status: Int
    public var fields: [HTTPServerRequest.Field]
    public var body: [UInt8]

    public init(status: Int, fields: [HTTPServerRequest.Field] = [], body: [UInt8] = [], contentType: String? = nil) {
        self.status = status
        self.fields = fields
        self.body = body
        if let contentType { self.fields.append(.init(name: "Content-Type", value: contentType)) }
    }

    /// A plain-text response (`text/plain; charset=utf-8`), the body ending in a newline.
    public static func text(_ status: Int, _ text: String) -> HTTPServerResponse {
        HTTPServerResponse(status: status, body: Array((text + "\n").utf8), contentType: "text/plain; charset=utf-8")
    }

    /// The reason phrase sent after the status code.
    public static func reason(for status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 411: return "Length Required"
        case 413: return "Content Too Large"
        case 415: return "Unsupported Media Type"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status"
        }
    }

    /// The bytes on the wire. Header names and values lose any CR, LF or NUL (a value taken from
    /// content can never split the header block); `Content-Length` and `Connection` are set here
    /// and any the caller gave are dropped. With `includeBody` false (a `HEAD`), the length is
    /// announced but no body follows.
    public func serialized(keepAlive: Bool, includeBody: Bool = true) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reason(for: status))\r\n"
        for field in fields {
            if field.name.caseInsensitiveEquals("Content-Length") || field.name.caseInsensitiveEquals("Connection")
                || field.name.caseInsensitiveEquals("Transfer-Encoding") { continue }
            head += Self.clean(field.name) + ": " + Self.clean(field.value) + "\r\n"
        }
        head += "Content-Length: \(body.count)\r\n"
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        var bytes = Array(head.utf8)
        if includeBody { bytes += body }
        return bytes
    }

    private static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\r" && $0 != "\n" && $0 != "\0" }))
    }
}
