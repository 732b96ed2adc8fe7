/// One HTTP/1.1 request as ``HTTPRequestParser`` framed it: the request line, the header fields in
/// the order they were sent, and the whole body (de-chunked).
///
/// Named apart from `CurlHTTP.HTTPRequest` (the outgoing request) so a module can import both.
///
/// ```swift
/// if request.method == "POST", request.path == "/hooks/chat",
///    request.header("Content-Type")?.hasPrefix("application/json") == true { … }
/// ```
public struct HTTPServerRequest: Sendable, Hashable {
    /// A header field exactly as sent (name case kept; look-ups ignore case).
    public struct Field: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The method token (`GET`, `POST`), case kept (methods are case-sensitive).
    public var method: String
    /// The request target as sent (`/hooks/chat?x=1`).
    public var target: String
    /// The target up to the first `?`.
    public var path: String { String(target.prefix { $0 != "?" }) }
    /// The part after the first `?`, if any.
    public var query: String? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        return String(target[target.index(after: mark)...])
    }
    /// The minor version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    public var minorVersion: Int
    public var fields: [Field]
    public var body: [UInt8]
    /// Whether the connection stays open after the response (HTTP/1.1 unless `Connection: close`;
    /// HTTP/1.0 only with `Connection: keep-alive`).
    public var keepAlive: Bool

    public init(
        method: String, target: String, minorVersion: Int = 1, fields: [Field] = [], body: [UInt8] = [],
        keepAlive: Bool = true
    ) {
        self.method = method
        self.target = target
        self.minorVersion = minorVersion
        self.fields = fields
        self.body = body
        self.keepAlive = keepAlive
    }

    /// The first value of the header `name` (case-insensitive), or `nil`.
    public func header(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Every value of the header `name` (case-insensitive), in order.
    public func headers(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }
}

extension String {
    /// ASCII case-insensitive equality (header names and tokens are ASCII).
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where x != y {
            let lx = (x >= 0x41 && x <= 0x5A) ? x | 0x20 : x
            let ly = (y >= 0x41 && y <= 0x5A) ? y | 0x20 : y
            if lx != ly { return false }
        }
        return true
    }
}
