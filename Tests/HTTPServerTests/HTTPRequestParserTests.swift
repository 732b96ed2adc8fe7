import Testing
@testable import HTTPServer

/// The parser fed whole, byte by byte and split at every offset: the same outputs every time.
@Suite struct HTTPRequestParserTests {
    /// Feeds `pieces` and describes every output: `METHOD target 1.x keep|close body`, `continue`,
    /// or `fail STATUS`.
    static func outputs(_ pieces: [ArraySlice<UInt8>], limits: HTTPRequestParser.Limits = .init()) -> ([String], Bool) {
        var parser = HTTPRequestParser(limits: limits)
        var results: [String] = []
        for piece in pieces {
            parser.append(piece)
            while let output = parser.next() {
                switch output {
                case .request(let request):
                    results.append("\(request.method) \(request.target) 1.\(request.minorVersion) "
                        + (request.keepAlive ? "keep" : "close") + " " + String(decoding: request.body, as: UTF8.self))
                case .continueRequested:
                    results.append("continue")
                case .failure(let failure):
                    results.append("fail \(failure.status)")
                }
            }
        }
        return (results, parser.hasPartialRequest)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var input: String
        var expected: [String]
        var partial = false
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "simple GET", input: "GET / HTTP/1.1\r\nHost: a\r\n\r\n", expected: ["GET / 1.1 keep "]),
        Case(name: "Content-Length body",
             input: "POST /hooks/chat HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
             expected: ["POST /hooks/chat 1.1 keep hello"]),
        Case(name: "chunked body with extension and trailer",
             input: "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;name=x\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
             expected: ["POST /c 1.1 keep hello world"]),
        Case(name: "chunked upper-case hex sizes",
             input: "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
             expected: ["POST /c 1.1 keep 0123456789"]),
        Case(name: "pipelined requests come out in order",
             input: "GET /one HTTP/1.1\r\nHost: a\r\n\r\nPOST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcGET /three HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
             expected: ["GET /one 1.1 keep ", "POST /two 1.1 keep abc", "GET /three 1.1 close "]),
        Case(name: "Connection close among other tokens",
             input: "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, Close\r\n\r\n", expected: ["GET / 1.1 close "]),
        Case(name: "HTTP/1.0 closes by default and needs no Host",
             input: "GET /x HTTP/1.0\r\n\r\n", expected: ["GET /x 1.0 close "]),
        Case(name: "HTTP/1.0 keep-alive",
             input: "GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", expected: ["GET /x 1.0 keep "]),
        Case(name: "empty lines before the request line are ignored",
             input: "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", expected: ["GET / 1.1 keep "]),
        Case(name: "Expect 100-continue asks for the interim response first",
             input: "POST /e HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
             expected: ["continue", "POST /e 1.1 keep abc"]),
        Case(name: "repeated equal Content-Length values are one length",
             input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 2\r\n\r\nok", expected: ["POST / 1.1 keep ok"]),
        Case(name: "unfinished body waits", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc",
             expected: [], partial: true),
        Case(name: "unfinished head waits", input: "POST / HTTP/1.1\r\nHost: a\r\n", expected: [], partial: true),
        Case(name: "bare LF line ends", input: "GET / HTTP/1.1\nHost: a\n\n", expected: ["fail 400"]),
        Case(name: "bare CR inside the head", input: "GET / HTTP/1.1\rHost: a\r\n\r\n", expected: ["fail 400"]),
        Case(name: "HTTP/1.1 without Host", input: "GET / HTTP/1.1\r\n\r\n", expected: ["fail 400"]),
        Case(name: "two Host headers", input: "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", expected: ["fail 400"]),
        Case(name: "Transfer-Encoding with Content-Length (smuggling)",
             input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
             expected: ["fail 400"]),
        Case(name: "unknown transfer coding", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
             expected: ["fail 501"]),
        Case(name: "conflicting Content-Length values",
             input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", expected: ["fail 400"]),
        Case(name: "signed Content-Length", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello",
             expected: ["fail 400"]),
        Case(name: "Content-Length over the body limit is refused before the body",
             input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10485760\r\n\r\nxx", expected: ["fail 413"]),
        Case(name: "absurd Content-Length", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n",
             expected: ["fail 413"]),
        Case(name: "obsolete line folding", input: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", expected: ["fail 400"]),
        Case(name: "space before the colon", input: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", expected: ["fail 400"]),
        Case(name: "header line without colon", input: "GET / HTTP/1.1\r\nHost: a\r\nnonsense\r\n\r\n", expected: ["fail 400"]),
        Case(name: "control character in a value", input: "GET / HTTP/1.1\r\nHost: a\u{1}b\r\n\r\n", expected: ["fail 400"]),
        Case(name: "HTTP/2.0 request line", input: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", expected: ["fail 505"]),
        Case(name: "not HTTP at all", input: "HELLO\r\n\r\n", expected: ["fail 400"]),
        Case(name: "TLS handshake bytes", input: "\u{16}\u{3}\u{1}\u{0}\u{a5}\u{1}\u{0}\r\n\r\n", expected: ["fail 400"]),
        Case(name: "double space in the request line", input: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", expected: ["fail 400"]),
        Case(name: "chunk larger than the body limit", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n200000\r\n",
             expected: ["fail 413"]),
        Case(name: "invalid chunk size", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
             expected: ["fail 400"]),
        Case(name: "chunk data not followed by CRLF",
             input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", expected: ["fail 400"]),
        Case(name: "a failure ends the connection: later requests are not read",
             input: "GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", expected: ["fail 400"]),
        Case(name: "Transfer-Encoding in HTTP/1.0", input: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
             expected: ["fail 400"]),
    ]

    @Test(arguments: cases)
    func givesTheSameOutputsWhateverTheSplit(_ testCase: Case) {
        let bytes = Array(testCase.input.utf8)
        let whole = Self.outputs([bytes[...]])
        #expect(whole.0 == testCase.expected)
        #expect(whole.1 == testCase.partial)
        let byteByByte = Self.outputs(bytes.indices.map { bytes[$0...$0] })
        #expect(byteByByte.0 == testCase.expected)
        for split in 0...bytes.count {
            let pieces = Self.outputs([bytes[..<split], bytes[split...]])
            #expect(pieces.0 == testCase.expected, "split at \(split)")
        }
    }

    @Test func headerSectionOverTheLimitIs431WhateverTheSplit() {
        let limits = HTTPRequestParser.Limits(maximumHeaderBytes: 256)
        let input = Array(("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + String(repeating: "b", count: 300) + "\r\n\r\n").utf8)
        #expect(Self.outputs([input[...]], limits: limits).0 == ["fail 431"])
        #expect(Self.outputs(input.indices.map { input[$0...$0] }, limits: limits).0 == ["fail 431"])
        for split in 0...input.count {
            #expect(Self.outputs([input[..<split], input[split...]], limits: limits).0 == ["fail 431"], "split at \(split)")
        }
    }

    @Test func endlessHeaderWithoutBlankLineIs431NotUnboundedMemory() {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/1.1\r\n".utf8))
        var result: HTTPRequestParser.Output?
        for _ in 0..<10_000 where result == nil {
            parser.append(Array("X-Flood: yes\r\n".utf8))
            result = parser.next()
        }
        #expect(result == .failure(.init(status: 431, reason: "header section larger than 16384 bytes")))
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func moreThanTheMaximumHeaderCountIs431() {
        let fields = (0..<101).map { "X-\($0): v\r\n" }.joined()
        let input = Array(("GET / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n").utf8)
        #expect(Self.outputs([input[...]]).0 == ["fail 431"])
        let exactly = (0..<99).map { "X-\($0): v\r\n" }.joined()
        #expect(Self.outputs([Array(("GET / HTTP/1.1\r\nHost: a\r\n" + exactly + "\r\n").utf8)[...]]).0 == ["GET / 1.1 keep "])
    }

    @Test func chunkedBodyOverTheLimitAcrossChunksIs413() {
        let limits = HTTPRequestParser.Limits(maximumBodyBytes: 8)
        let input = Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n".utf8)
        #expect(Self.outputs([input[...]], limits: limits).0 == ["fail 413"])
        #expect(Self.outputs(input.indices.map { input[$0...$0] }, limits: limits).0 == ["fail 413"])
    }

    @Test func keepsHeaderFieldsInOrderWithCaseInsensitiveLookUp() {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /p?x=1&y=2 HTTP/1.1\r\nHost: example\r\nX-Slack-Signature:  v0=abc \r\nx-multi: 1\r\nX-Multi: 2\r\n\r\n".utf8))
        guard case .request(let request) = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.path == "/p")
        #expect(request.query == "x=1&y=2")
        #expect(request.header("x-slack-signature") == "v0=abc")
        #expect(request.headers("X-MULTI") == ["1", "2"])
        #expect(request.fields.map(\.name) == ["Host", "X-Slack-Signature", "x-multi", "X-Multi"])
    }

    @Test func responseSerializationDropsLineBreaksFromHeaderValues() {
        let response = HTTPServerResponse(status: 200, fields: [.init(name: "X-Note", value: "a\r\nSet-Cookie: evil=1"),
                                                               .init(name: "Content-Length", value: "999")],
                                          body: Array("hi".utf8))
        let text = String(decoding: response.serialized(keepAlive: true), as: UTF8.self)
        #expect(text == "HTTP/1.1 200 OK\r\nX-Note: aSet-Cookie: evil=1\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nhi")
        let head = String(decoding: HTTPServerResponse.text(503, "busy").serialized(keepAlive: false, includeBody: false), as: UTF8.self)
        #expect(head == "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\nConnection: close\r\n\r\n")
    }

    @Test(arguments: [
        ("127.0.0.1:8088", "127.0.0.1:8088", true),
        ("127.1.2.3:0", "127.1.2.3:0", true),
        ("[::1]:9000", "[0:0:0:0:0:0:0:1]:9000", true),
        ("0.0.0.0:8088", "0.0.0.0:8088", false),
        ("192.168.1.10:80", "192.168.1.10:80", false),
        ("[::]:80", "[0:0:0:0:0:0:0:0]:80", false),
    ])
    func parsesListenAddresses(text: String, description: String, loopback: Bool) {
        let address = ListenAddress(text)
        #expect(address?.description == description)
        #expect(address?.isLoopback == loopback)
    }

    @Test(arguments: ["localhost:80", "127.0.0.1", "127.0.0.1:", "127.0.0.1:70000", "::1:80", "[::1]80", "1.2.3:4", "127.0.0.1:+80"])
    func refusesAddressesThatAreNotIPAndPort(text: String) {
        #expect(ListenAddress(text) == nil)
    }
}
