/// A python3 HTTP/1.1 server for fault injection; prints its port, then serves:
/// - `/status/500` → 500 "boom"
/// - `/stall?seconds=S` → waits S seconds (default 5), then 200 "late"
/// - `/redirect` → 302 to `/echo`
/// - `/bytes?count=N` → 200 with N bytes of "x"
/// - `/headers` → repeated and mixed-case response headers
/// - anything else → JSON echo of method, path, headers (as [name, value] pairs), body length,
///   body checksum (sum of bytes mod 1000003) and the body text when under 4 KiB.
enum FaultServerScript {
    static let source = #"""
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        if url.path == "/status/500":
            self.reply(500, b"boom", [("Content-Type", "text/plain")])
        elif url.path == "/stall":
            time.sleep(float(query.get("seconds", ["5"])[0]))
            self.reply(200, b"late")
        elif url.path == "/redirect":
            self.reply(302, b"", [("Location", "/echo")])
        elif url.path == "/bytes":
            self.reply(200, b"x" * int(query["count"][0]))
        elif url.path == "/headers":
            self.reply(200, b"", [("X-Multi", "one"), ("X-Multi", "two"), ("X-ThreadPress-Answer", "42")])
        else:
            echo = {
                "method": self.command,
                "path": self.path,
                "headers": [[name, value] for name, value in self.headers.items()],
                "bodyLength": len(body),
                "bodyChecksum": sum(body) % 1000003,
                "body": body.decode("utf-8", "replace") if len(body) < 4096 else "",
            }
            self.reply(200, json.dumps(echo).encode(), [("Content-Type", "application/json")])

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = handle_any

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
"""#
}

/// The fault server's echo of a request.
struct Echo: Decodable {
    let method: String
    let path: String
    let headers: [[String]]
    let bodyLength: Int
    let bodyChecksum: Int
    let body: String

    /// Values of header `name` (any case) as the server received them.
    func values(_ name: String) -> [String] {
        headers.filter { $0.first?.lowercased() == name.lowercased() }.compactMap { $0.last }
    }
}
