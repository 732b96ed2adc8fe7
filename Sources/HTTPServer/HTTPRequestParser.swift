/// Frames HTTP/1.1 requests out of a byte stream, with no I/O: bytes in, requests or one failure out.
///
/// ```swift
/// var parser = HTTPRequestParser()
/// parser.append(receivedBytes)
/// while let output = parser.next() {
///     switch output {
///     case .request(let request): …                 // answer it, then call next() again
///     case .continueRequested: …                    // write "HTTP/1.1 100 Continue"
///     case .failure(let failure): …                 // write failure.status, then close
///     }
/// }
/// ```
///
/// Strict where leniency lets requests be smuggled or memory grow: CRLF line ends only (a bare LF
/// is 400), no obsolete line folding, no space before the colon, `Transfer-Encoding` together with
/// `Content-Length` is 400, only `chunked` is understood (else 501), conflicting lengths are 400,
/// HTTP/1.1 needs exactly one `Host`. Limits give 431 (header bytes, header count) and 413 (body,
/// announced or chunked). After a failure the parser stays failed: the connection must close.
/// Pipelined requests are returned one by one; the caller decides when to ask for the next.
public struct HTTPRequestParser: Sendable {
    /// Sizes past which a request is refused.
    public struct Limits: Sendable, Hashable {
        /// Request line plus header fields (and, separately, chunked trailers), in bytes.
        public var maximumHeaderBytes: Int
        /// Header fields per request.
        public var maximumHeaderCount: Int
        /// The body after de-chunking.
        public var maximumBodyBytes: Int

        public init(maximumHeaderBytes: Int = 16 * 1024, maximumHeaderCount: Int = 100, maximumBodyBytes: Int = 1 << 20) {
            self.maximumHeaderBytes = maximumHeaderBytes
            self.maximumHeaderCount = maximumHeaderCount
            self.maximumBodyBytes = maximumBodyBytes
        }
    }

    /// Why a request was refused: the status to answer with and a short reason for the body/log.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var status: Int
        public var reason: String
        public var description: String { "\(status) \(reason)" }
    }

    public enum Output: Sendable, Hashable {
        case request(HTTPServerRequest)
        /// The request announced `Expect: 100-continue` and has a body: the caller may write an
        /// interim `100 Continue` now. Its `.request` follows once the body is in.
        case continueRequested
        case failure(Failure)
    }

    private enum State: Sendable {
        case head
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int)
        case failed
    }

    private struct Head: Sendable {
        var method: String
        var target: String
        var minorVersion: Int
        var fields: [HTTPServerRequest.Field]
        var keepAlive: Bool
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    private var start = 0
    /// How far (from `start`) the head has been scanned for its blank line.
    private var scanned = 0
    private var state: State = .head
    private var head: Head?
    private var body: [UInt8] = []
    private var pendingContinue = false
    private static let maximumChunkLineBytes = 1024

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Adds received bytes. Cheap: parsing happens in ``next()``.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if case .failed = state { return }
        buffer.append(contentsOf: bytes)
    }

    /// Whether part of a request has arrived (so the request deadline, not the idle one, applies).
    public var hasPartialRequest: Bool {
        switch state {
        case .head: return start < buffer.count
        case .failed: return false
        default: return true
        }
    }

    /// Whether the parser has failed (every later ``next()`` is `nil`).
    public var hasFailed: Bool {
        if case .failed = state { return true }
        return false
    }

    /// Bytes held: an unfinished request plus any pipelined ones.
    public var bufferedByteCount: Int { buffer.count - start + body.count }

    /// The next complete request, an interim-continue notice, a failure, or `nil` when more bytes
    /// are needed.
    public mutating func next() -> Output? {
        if pendingContinue {
            pendingContinue = false
            return .continueRequested
        }
        defer { compact() }
        while true {
            switch state {
            case .failed:
                return nil
            case .head:
                switch scanHead() {
                case .none: return nil
                case .some(.failure(let failure)): return fail(failure)
                case .some(.success(let end)):
                    let bytes = buffer[start..<(end - 4)]
                    start = end
                    scanned = 0
                    switch parseHead(bytes) {
                    case .failure(let failure): return fail(failure)
                    case .success(let (parsed, framing, expectsContinue)):
                        head = parsed
                        body = []
                        switch framing {
                        case .length(0):
                            return finish()
                        case .length(let length):
                            state = .body(remaining: length)
                        case .chunked:
                            state = .chunkSize
                        }
                        if expectsContinue { return .continueRequested }
                    }
                }
            case .body(let remaining):
                let available = buffer.count - start
                guard available > 0 else { return nil }
                let take = min(available, remaining)
                body.append(contentsOf: buffer[start..<(start + take)])
                start += take
                if take == remaining { return finish() }
                state = .body(remaining: remaining - take)
                return nil
            case .chunkSize:
                guard let lineEnd = findCRLF() else {
                    if buffer.count - start > Self.maximumChunkLineBytes {
                        return fail(Failure(status: 400, reason: "chunk size line too long"))
                    }
                    return nil
                }
                if lineEnd - start > Self.maximumChunkLineBytes {
                    return fail(Failure(status: 400, reason: "chunk size line too long"))
                }
                let line = buffer[start..<lineEnd]
                start = lineEnd + 2
                switch parseChunkSize(line) {
                case .failure(let failure): return fail(failure)
                case .success(0): state = .trailers(bytes: 0)
                case .success(let size): state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let available = buffer.count - start
                guard available > 0 else { return nil }
                let take = min(available, remaining)
                body.append(contentsOf: buffer[start..<(start + take)])
                start += take
                state = take == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - take)
                if take < remaining { return nil }
            case .chunkDataEnd:
                guard buffer.count - start >= 2 else {
                    if buffer.count - start == 1 && buffer[start] != 0x0D {
                        return fail(Failure(status: 400, reason: "chunk data not followed by CRLF"))
                    }
                    return nil
                }
                guard buffer[start] == 0x0D && buffer[start + 1] == 0x0A else {
                    return fail(Failure(status: 400, reason: "chunk data not followed by CRLF"))
                }
                start += 2
                state = .chunkSize
            case .trailers(let bytes):
                guard let lineEnd = findCRLF() else {
                    if bytes + (buffer.count - start) > limits.maximumHeaderBytes {
                        return fail(Failure(status: 431, reason: "trailer section too large"))
                    }
                    return nil
                }
                let length = lineEnd - start
                start = lineEnd + 2
                if length == 0 { return finish() }
                if bytes + length + 2 > limits.maximumHeaderBytes {
                    return fail(Failure(status: 431, reason: "trailer section too large"))
                }
                state = .trailers(bytes: bytes + length + 2)
            }
        }
    }

    // MARK: - Steps

    private mutating func fail(_ failure: Failure) -> Output {
        state = .failed
        buffer = []
        start = 0
        body = []
        head = nil
        return .failure(failure)
    }

    private mutating func finish() -> Output {
        let head = self.head!
        self.head = nil
        let request = HTTPServerRequest(
            method: head.method, target: head.target, minorVersion: head.minorVersion, fields: head.fields,
            body: body, keepAlive: head.keepAlive)
        body = []
        state = .head
        return .request(request)
    }

    /// Drops consumed bytes once they are a large share of the buffer.
    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
            start = 0
        } else if start > 16 * 1024 && start * 2 > buffer.count {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }

    private func findCRLF() -> Int? {
        var index = start
        while index + 1 < buffer.count {
            if buffer[index] == 0x0D && buffer[index + 1] == 0x0A { return index }
            index += 1
        }
        return nil
    }

    /// Finds the end of the head (the index after its blank line), scanning only new bytes.
    private mutating func scanHead() -> Result<Int, Failure>? {
        if scanned == 0 {
            // Empty lines before a request line are ignored (RFC 9112 §2.2).
            while start < buffer.count && (buffer[start] == 0x0D || buffer[start] == 0x0A) { start += 1 }
        }
        var index = start + scanned
        while index < buffer.count {
            if index - start >= limits.maximumHeaderBytes {
                return .failure(Failure(status: 431, reason: "header section larger than \(limits.maximumHeaderBytes) bytes"))
            }
            let byte = buffer[index]
            if byte == 0x0A {
                guard index > start && buffer[index - 1] == 0x0D else {
                    return .failure(Failure(status: 400, reason: "line ends in a bare LF"))
                }
                if index - start >= 3 && buffer[index - 2] == 0x0A && buffer[index - 3] == 0x0D {
                    scanned = 0
                    return .success(index + 1)
                }
            } else if index > start && buffer[index - 1] == 0x0D {
                return .failure(Failure(status: 400, reason: "bare CR in the header section"))
            }
            index += 1
        }
        scanned = index - start
        return nil
    }

    private enum Framing { case length(Int), chunked }

    private func parseHead(_ bytes: ArraySlice<UInt8>) -> Result<(Head, Framing, Bool), Failure> {
        let bad = { (reason: String) in Result<(Head, Framing, Bool), Failure>.failure(Failure(status: 400, reason: reason)) }
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == 0x0D {
                lines.append(bytes[lineStart..<index])
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        if lineStart < bytes.endIndex { lines.append(bytes[lineStart..<bytes.endIndex]) }
        guard let requestLine = lines.first else { return bad("empty request") }

        let parts = requestLine.split(separator: 0x20, maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return bad("request line is not 'METHOD target HTTP/1.1'") }
        guard !parts[0].isEmpty, parts[0].allSatisfy(Self.isTokenByte) else { return bad("invalid method") }
        guard !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return bad("invalid request target") }
        let version = parts[2]
        let minorVersion: Int
        if version.elementsEqual("HTTP/1.1".utf8) {
            minorVersion = 1
        } else if version.elementsEqual("HTTP/1.0".utf8) {
            minorVersion = 0
        } else if version.count == 8, version.starts(with: "HTTP/".utf8),
            Self.isDigit(version[version.startIndex + 5]), version[version.startIndex + 6] == 0x2E,
            Self.isDigit(version[version.startIndex + 7]) {
            return .failure(Failure(status: 505, reason: "only HTTP/1.0 and HTTP/1.1 are served"))
        } else {
            return bad("invalid HTTP version")
        }

        var fields: [HTTPServerRequest.Field] = []
        for line in lines.dropFirst() {
            if fields.count >= limits.maximumHeaderCount {
                return .failure(Failure(status: 431, reason: "more than \(limits.maximumHeaderCount) header fields"))
            }
            guard let first = line.first, first != 0x20, first != 0x09 else { return bad("folded or empty header line") }
            guard let colon = line.firstIndex(of: 0x3A) else { return bad("header line without a colon") }
            let name = line[line.startIndex..<colon]
            guard !name.isEmpty, name.allSatisfy(Self.isTokenByte) else { return bad("invalid header name") }
            var value = line[(colon + 1)...]
            while let byte = value.first, byte == 0x20 || byte == 0x09 { value = value.dropFirst() }
            while let byte = value.last, byte == 0x20 || byte == 0x09 { value = value.dropLast() }
            guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
                return bad("control character in a header value")
            }
            fields.append(.init(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self)))
        }

        let request = HTTPServerRequest(method: String(decoding: parts[0], as: UTF8.self),
                                        target: String(decoding: parts[1], as: UTF8.self),
                                        minorVersion: minorVersion, fields: fields)
        if minorVersion == 1 && request.headers("Host").count != 1 { return bad("HTTP/1.1 needs exactly one Host header") }

        let connection = request.headers("Connection").flatMap { Self.tokens($0) }
        let keepAlive = minorVersion == 1 ? !connection.contains("close") : connection.contains("keep-alive")

        let transferEncodings = request.headers("Transfer-Encoding")
        let contentLengths = request.headers("Content-Length")
        let framing: Framing
        if !transferEncodings.isEmpty {
            guard contentLengths.isEmpty else { return bad("both Transfer-Encoding and Content-Length") }
            guard minorVersion == 1 else { return bad("Transfer-Encoding in an HTTP/1.0 request") }
            guard transferEncodings.flatMap({ Self.tokens($0) }) == ["chunked"] else {
                return .failure(Failure(status: 501, reason: "only the chunked transfer coding is understood"))
            }
            framing = .chunked
        } else if !contentLengths.isEmpty {
            let values = contentLengths.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
                .map { $0.trimmingSpaces }
            guard let first = values.first, values.allSatisfy({ $0 == first }), !first.isEmpty,
                first.utf8.allSatisfy(Self.isDigit) else { return bad("invalid Content-Length") }
            guard first.utf8.count <= 18, let length = Int(first), length <= limits.maximumBodyBytes else {
                return .failure(Failure(status: 413, reason: "body larger than \(limits.maximumBodyBytes) bytes"))
            }
            framing = .length(length)
        } else {
            framing = .length(0)
        }
        let hasBody: Bool
        switch framing {
        case .chunked: hasBody = true
        case .length(let length): hasBody = length > 0
        }
        let expectsContinue = hasBody && request.headers("Expect").contains { $0.lowercased() == "100-continue" }
        let parsed = Head(method: request.method, target: request.target, minorVersion: minorVersion,
                          fields: fields, keepAlive: keepAlive)
        return .success((parsed, framing, expectsContinue))
    }

    private func parseChunkSize(_ line: ArraySlice<UInt8>) -> Result<Int, Failure> {
        var size = 0
        var digits = 0
        var index = line.startIndex
        while index < line.endIndex, let value = Self.hexValue(line[index]) {
            digits += 1
            if digits > 15 { return .failure(Failure(status: 413, reason: "body larger than \(limits.maximumBodyBytes) bytes")) }
            size = size * 16 + value
            index += 1
        }
        guard digits > 0 else { return .failure(Failure(status: 400, reason: "invalid chunk size")) }
        if index < line.endIndex {
            let rest = line[index...]
            guard let first = rest.first, first == 0x3B || first == 0x20 || first == 0x09,
                rest.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
                return .failure(Failure(status: 400, reason: "invalid chunk size"))
            }
        }
        if size > limits.maximumBodyBytes - body.count {
            return .failure(Failure(status: 413, reason: "body larger than \(limits.maximumBodyBytes) bytes"))
        }
        return .success(size)
    }

    // MARK: - Character classes

    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default: return false
        }
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: return Int(byte - 0x30)
        case 0x41...0x46: return Int(byte - 0x41 + 10)
        case 0x61...0x66: return Int(byte - 0x61 + 10)
        default: return nil
        }
    }

    /// A comma-separated header value as lower-cased tokens.
    static func tokens(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingSpaces.lowercased() }.filter { !$0.isEmpty }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
