import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny scripted IRC client for tests, over a plain blocking socket: connect and register
/// (optionally with SASL PLAIN), join, say lines, and read until a line matches, each with a
/// deadline. Blocking calls run on their own threads, never on Swift's cooperative pool; server
/// PINGs are answered while reading. Use one client from one task at a time.
///
/// ```swift
/// let ana = try await IRCTestClient.connect(port: servers.ngircdPort, nick: "ana12345")
/// try await ana.join("#team")
/// try await ana.say("!blog last 3", to: "#team")
/// let reply = try await ana.readLine { $0.contains("PRIVMSG #team :draft") }
/// ana.close()
/// ```
public final class IRCTestClient: @unchecked Sendable {
    /// The nick registered with.
    public let nick: String
    private let descriptor: Int32
    private let lock = NSLock()
    private var pending: [UInt8] = []
    private var lines: [String] = []
    private var closed = false

    private init(descriptor: Int32, nick: String) {
        self.descriptor = descriptor
        self.nick = nick
    }

    deinit { close() }

    /// Every line received so far (without CR LF), in order.
    public var receivedLines: [String] { lock.withLock { lines } }

    /// Connects to `host:port` and registers as `nick`; with `sasl`, logs in to that services
    /// account with SASL PLAIN first. Returns after 001.
    public static func connect(
        host: String = "127.0.0.1", port: Int, nick: String, sasl: (account: String, password: String)? = nil,
        within timeout: Duration = .seconds(10)
    ) async throws -> IRCTestClient {
        let deadline = ContinuousClock.now + timeout
        let client = try await blocking { IRCTestClient(descriptor: try openSocket(host: host, port: port), nick: nick) }
        do {
            try await blocking { try client.register(sasl: sasl, until: deadline) }
        } catch {
            client.close()
            throw error
        }
        return client
    }

    /// Sends one line (CR LF added). Refuses CR, LF and NUL inside it.
    public func send(_ line: String) async throws {
        try await Self.blocking { try self.sendNow(line) }
    }

    /// Joins `channel` and waits for the server's JOIN echo.
    public func join(_ channel: String, within timeout: Duration = .seconds(10)) async throws {
        try await send("JOIN \(channel)")
        let lowered = channel.lowercased()
        _ = try await readLine(within: timeout) { line in
            let parts = line.split(separator: " ")
            return parts.count >= 3 && parts[0].hasPrefix(":\(self.nick)!") && parts[1] == "JOIN"
                && parts[2].trimmingPrefix(":").lowercased() == lowered
        }
    }

    /// `PRIVMSG target :text`.
    public func say(_ text: String, to target: String) async throws {
        try await send("PRIVMSG \(target) :\(text)")
    }

    /// Registers the current nick as a services account (Anope: `PRIVMSG NickServ :REGISTER`).
    /// The password must not contain spaces (NickServ would read the rest as an e-mail address).
    public func registerAccount(password: String, within timeout: Duration = .seconds(10)) async throws {
        guard !password.contains(" ") else { throw IRCTestServersError("NickServ passwords cannot contain spaces") }
        try await say("REGISTER \(password)", to: "NickServ")
        let line = try await readLine(within: timeout) { $0.contains("NOTICE \(self.nick) :") && $0.hasPrefix(":NickServ!") }
        guard line.contains("registered") else { throw IRCTestServersError("NickServ refused to register \(nick): \(line)") }
    }

    /// Reads (answering PINGs) until a line satisfies `predicate`, which is returned; lines read
    /// before it are kept in ``receivedLines`` only. Throws when `within` passes first or the
    /// server closes the connection.
    public func readLine(within timeout: Duration = .seconds(10), where predicate: @escaping @Sendable (String) -> Bool)
        async throws -> String
    {
        let deadline = ContinuousClock.now + timeout
        return try await Self.blocking { try self.readNow(until: deadline, where: predicate) }
    }

    /// Closes the socket (without QUIT).
    public func close() {
        lock.withLock {
            guard !closed else { return }
            closed = true
            _ = Glibc.close(descriptor)
        }
    }

    // MARK: Blocking parts

    private func register(sasl: (account: String, password: String)?, until deadline: ContinuousClock.Instant) throws {
        if sasl != nil { try sendNow("CAP LS 302") }
        try sendNow("NICK \(nick)")
        try sendNow("USER \(nick) 0 * :threadpress test client")
        while true {
            let line = try readNow(until: deadline) { _ in true }
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard words.count >= 2 else { continue }
            let command = words[0].hasPrefix(":") ? words[1] : words[0]
            switch command {
            case "001":
                return
            case "433", "432":
                throw IRCTestServersError("nick \(nick) refused: \(line)")
            case "CAP" where words.count >= 4 && words[3] == "LS":
                if words.count >= 5 && words[4] == "*" { continue }  // more CAP LS lines follow
                guard line.contains("sasl") else { throw IRCTestServersError("server offers no sasl: \(line)") }
                try sendNow("CAP REQ :sasl")
            case "CAP" where words.count >= 4 && words[3] == "ACK":
                try sendNow("AUTHENTICATE PLAIN")
            case "CAP" where words.count >= 4 && words[3] == "NAK":
                throw IRCTestServersError("server refused CAP REQ sasl: \(line)")
            case "AUTHENTICATE":
                guard let sasl else { continue }
                let payload = Data("\(sasl.account)\0\(sasl.account)\0\(sasl.password)".utf8).base64EncodedString()
                try sendNow("AUTHENTICATE \(payload)")
            case "903":
                try sendNow("CAP END")
            case "902", "904", "905", "906", "908":
                let text = line.dropFirst().range(of: " :").map { String(line[$0.upperBound...]) } ?? line
                throw IRCTestServersError("SASL login as \(sasl?.account ?? "?") failed: \(command) \(text)")
            default:
                continue
            }
        }
    }

    private func sendNow(_ line: String) throws {
        guard !line.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw IRCTestServersError("refusing to send a line containing CR, LF or NUL")
        }
        let bytes = Array((line + "\r\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                Glibc.send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw IRCTestServersError("send to the IRC server failed: \(String(cString: strerror(errno)))")
            }
            offset += sent
        }
    }

    private func readNow(until deadline: ContinuousClock.Instant, where predicate: (String) -> Bool) throws -> String {
        while true {
            if let line = takeLine() {
                if line.hasPrefix("PING ") { try sendNow("PONG " + line.dropFirst(5)) }
                if predicate(line) { return line }
                continue
            }
            let left = deadline - ContinuousClock.now
            guard left > .zero else {
                throw IRCTestServersError("\(nick): no matching line within the deadline; last lines: \(receivedLines.suffix(5))")
            }
            var descriptors = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&descriptors, 1, Int32(clamping: Int((left / .milliseconds(1)).rounded(.up))))
            if ready < 0 && errno != EINTR { throw IRCTestServersError("poll failed: \(String(cString: strerror(errno)))") }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw IRCTestServersError("\(nick): receive failed: \(String(cString: strerror(errno)))")
            }
            guard count > 0 else {
                throw IRCTestServersError("\(nick): the server closed the connection; last lines: \(receivedLines.suffix(5))")
            }
            lock.withLock { pending.append(contentsOf: chunk[0..<count]) }
        }
    }

    /// The next complete line from the buffer (CR LF or LF removed), recorded in `lines`.
    private func takeLine() -> String? {
        lock.withLock {
            guard let newline = pending.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            var end = newline
            if end > 0 && pending[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = String(decoding: pending[0..<end], as: UTF8.self)
            pending.removeSubrange(0...newline)
            lines.append(line)
            return line
        }
    }

    private static func openSocket(host: String, port: Int) throws -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw IRCTestServersError("IRCTestClient connects to IPv4 literals only, got \(host)")
        }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw IRCTestServersError("socket failed: \(String(cString: strerror(errno)))") }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let message = String(cString: strerror(errno))
            _ = Glibc.close(descriptor)
            throw IRCTestServersError("connect to \(host):\(port) failed: \(message); is `Scripts/irc-test-servers start` done?")
        }
        return descriptor
    }

    /// Runs `body` on a new thread and returns its result.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}
