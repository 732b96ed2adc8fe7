import CCurl
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

extension CurlEasyHandle {
    /// Resets the handle, runs `request` on it (blocking this thread) and collects the response.
    ///
    /// Throws ``CurlError`` (scrubbed of the request's secrets) or `CancellationError` when
    /// `cancellation` was raised during the transfer.
    func send(
        _ request: HTTPRequest,
        configuration: CurlHTTPClient.Configuration,
        cancellation: CancellationFlag
    ) throws -> HTTPResponse {
        do {
            return try sendUnredacted(request, configuration: configuration, cancellation: cancellation)
        } catch let error as CurlError {
            throw error.redacting(request.secrets)
        }
    }

    private func sendUnredacted(
        _ request: HTTPRequest,
        configuration: CurlHTTPClient.Configuration,
        cancellation: CancellationFlag
    ) throws -> HTTPResponse {
        try reset()
        errorContext = request.description
        let method = request.method.rawValue
        let body = request.body ?? (["POST", "PUT", "PATCH"].contains(method) ? Data() : nil)

        try setOption(CURLOPT_URL, request.url.absoluteString)
        try setOption(CURLOPT_PROTOCOLS_STR, "http,https")
        try setOption(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try setOption(CURLOPT_FOLLOWLOCATION, 0)
        try setOption(CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1)
        let timeout = Self.milliseconds(request.timeout)
        try setOption(CURLOPT_TIMEOUT_MS, timeout)
        try setOption(CURLOPT_CONNECTTIMEOUT_MS, min(timeout, Self.milliseconds(configuration.connectTimeout)))
        if !configuration.useEnvironmentProxy {
            // An empty proxy disables http_proxy/https_proxy/all_proxy from the environment.
            try setOption(CURLOPT_PROXY, "")
        }
        try setOption(CURLOPT_USERAGENT, configuration.userAgent)
        if let encodings = configuration.acceptEncoding {
            try setOption(CURLOPT_ACCEPT_ENCODING, encodings)
        }
        try setOption(CURLOPT_HTTPHEADER, lines: Self.headerLines(for: request, hasBody: body != nil))

        if method == "HEAD" {
            try setOption(CURLOPT_NOBODY, 1)
        } else if let body {
            try setOption(CURLOPT_POST, 1)
            try setOption(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
            // COPYPOSTFIELDS copies POSTFIELDSIZE bytes now; give it a non-empty buffer even for "".
            var bytes = [UInt8](body)
            if bytes.isEmpty { bytes = [0] }
            try bytes.withUnsafeMutableBytes { try setOption(CURLOPT_COPYPOSTFIELDS, pointer: $0.baseAddress) }
            if method != "POST" { try setOption(CURLOPT_CUSTOMREQUEST, method) }
        } else {
            try setOption(CURLOPT_HTTPGET, 1)
            if method != "GET" { try setOption(CURLOPT_CUSTOMREQUEST, method) }
        }

        let state = CurlTransferState(bodyLimit: configuration.maximumResponseBodySize, cancellation: cancellation)
        let userdata = Unmanaged.passUnretained(state).toOpaque()
        try setWriteFunction { buffer, size, count, userdata in
            guard let userdata else { return 0 }
            let state = Unmanaged<CurlTransferState>.fromOpaque(userdata).takeUnretainedValue()
            return state.receiveBody(buffer, length: size * count)
        }
        try setOption(CURLOPT_WRITEDATA, pointer: userdata)
        try setHeaderFunction { buffer, size, count, userdata in
            guard let userdata else { return 0 }
            let state = Unmanaged<CurlTransferState>.fromOpaque(userdata).takeUnretainedValue()
            return state.receiveHeaderLine(buffer, length: size * count)
        }
        try setOption(CURLOPT_HEADERDATA, pointer: userdata)
        try setProgressFunction { userdata, _, _, _, _ in
            guard let userdata else { return 0 }
            let state = Unmanaged<CurlTransferState>.fromOpaque(userdata).takeUnretainedValue()
            return state.cancellation.isCancelled ? 1 : 0
        }
        try setOption(CURLOPT_XFERINFODATA, pointer: userdata)
        try setOption(CURLOPT_NOPROGRESS, 0)

        let code = withExtendedLifetime(state) { performReturningCode() }
        // The callbacks point at `state`; drop them before it goes away.
        try setOption(CURLOPT_WRITEDATA, pointer: nil)
        try setOption(CURLOPT_HEADERDATA, pointer: nil)
        try setOption(CURLOPT_XFERINFODATA, pointer: nil)

        if code != CURLE_OK {
            if cancellation.isCancelled { throw CancellationError() }
            if state.exceededBodyLimit {
                throw CurlError(
                    code: CurlError.rawCode(code),
                    message: "\(errorContext): response body is larger than the limit of "
                        + "\(configuration.maximumResponseBodySize) bytes",
                    summary: "Response body too large")
            }
            throw error(code)
        }
        let status = try longInfo(CURLINFO_RESPONSE_CODE)
        return HTTPResponse(status: status, headers: state.headers, body: state.body)
    }

    /// The `CURLOPT_HTTPHEADER` lines: the request's headers (validated), a default Content-Type
    /// for bodies, and an empty `Expect:` so large bodies are not held back for `100-continue`.
    static func headerLines(for request: HTTPRequest, hasBody: Bool) throws -> [String] {
        var lines: [String] = []
        for field in request.headers {
            guard isToken(field.name) else {
                throw invalidArgument(request, "header name \"\(field.name.prefix(64))\" is not a valid HTTP token")
            }
            // By scalar: "\r\n" is one `Character` and would slip past a Character comparison.
            guard !field.value.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw invalidArgument(request, "the value of header \(field.name) contains a line break or NUL")
            }
            // "Name;" is libcurl's spelling for a header with an empty value ("Name:" removes it).
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        if hasBody, !request.headers.contains("Content-Type") {
            lines.append("Content-Type: application/octet-stream")
        }
        if !request.headers.contains("Expect") {
            lines.append("Expect:")
        }
        return lines
    }

    private static func isToken(_ name: String) -> Bool {
        let extra: Set<UInt8> = Set("!#$%&'*+-.^_`|~".utf8)
        return !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || extra.contains(byte)
        }
    }

    private static func invalidArgument(_ request: HTTPRequest, _ reason: String) -> CurlError {
        CurlError(code: CurlError.rawCode(CURLE_BAD_FUNCTION_ARGUMENT), message: "\(request): \(reason)",
                  summary: "A libcurl function was given a bad argument")
    }

    /// Whole milliseconds, at least 1 (0 would mean "no timeout" to libcurl).
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let total = seconds.multipliedReportingOverflow(by: 1000)
        guard !total.overflow else { return Int.max }
        return max(1, Int(total.partialValue) + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// What libcurl's callbacks write into during one transfer; reached through `Unmanaged` userdata.
/// Used only on the thread running the transfer.
final class CurlTransferState {
    var body = Data()
    var headers = HTTPHeaders()
    let bodyLimit: Int
    var exceededBodyLimit = false
    let cancellation: CancellationFlag

    init(bodyLimit: Int, cancellation: CancellationFlag) {
        self.bodyLimit = bodyLimit
        self.cancellation = cancellation
    }

    /// Returns `length` to go on, anything else to make libcurl fail with `CURLE_WRITE_ERROR`.
    func receiveBody(_ buffer: UnsafeMutablePointer<CChar>?, length: Int) -> Int {
        guard length > 0, let buffer else { return length }
        guard body.count + length <= bodyLimit else {
            exceededBodyLimit = true
            return CCurl_WRITEFUNC_ERROR()
        }
        body.append(UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: length)
        return length
    }

    /// One header line (status lines, fields, folded continuations, the blank line).
    func receiveHeaderLine(_ buffer: UnsafeMutablePointer<CChar>?, length: Int) -> Int {
        guard length > 0, let buffer else { return length }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
        let line = String(decoding: bytes, as: UTF8.self).trimmingTrailingNewlines()
        if line.hasPrefix("HTTP/") {
            // A new response (after 1xx): only the final one's fields count.
            headers = HTTPHeaders()
        } else if let first = line.first, first == " " || first == "\t" {
            if var last = headers.fields.last {
                last.value += " " + line.trimmed(where: \.isWhitespace)
                var fields = headers.fields
                fields[fields.count - 1] = last
                headers = HTTPHeaders(fields)
            }
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmed(where: \.isWhitespace)
            headers.add(name, value)
        }
        return length
    }
}

/// Raised by `send`'s task-cancellation handler, read by the transfer's progress callback.
final class CancellationFlag: Sendable {
    private let cancelled = Atomic(false)

    func cancel() { cancelled.store(true, ordering: .releasing) }
    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }
}

extension StringProtocol {
    /// Without leading and trailing characters for which `isTrimmed` is true
    /// (`trimmingCharacters(in:)` without Foundation).
    func trimmed(where isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }
}
