import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A fault in front of a real IRC server: a TCP relay on 127.0.0.1 that forwards every connection
/// to the server and can cut them all at once (``dropAll()``), as a lost link would. Each relayed
/// connection has one thread that polls both sockets.
final class DroppingProxy: Sendable {
    let port: Int
    private let listener: Int32
    private let upstreamPort: Int
    private let sockets = Mutex<[Int32]>([])
    private let stopped = Atomic<Bool>(false)

    /// Listens on an ephemeral port and relays to `127.0.0.1:upstreamPort`.
    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        guard listener >= 0 else { throw TestFailure("socket failed") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw TestFailure("bind/listen failed: \(String(cString: strerror(errno)))") }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: actual.sin_port))
    }

    /// Starts relaying; call once.
    func start() -> DroppingProxy {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "dropping-proxy accept"
        thread.start()
        return self
    }

    /// Connections relayed so far and still open.
    var openConnectionCount: Int { sockets.withLock { $0.count } / 2 }

    /// Cuts every relayed connection (both sides see the TCP connection end).
    func dropAll() {
        sockets.withLock { sockets in
            for socket in sockets { shutdown(socket, Int32(SHUT_RDWR)) }
        }
    }

    /// Stops accepting and cuts everything.
    func stop() {
        stopped.store(true, ordering: .sequentiallyConsistent)
        shutdown(listener, Int32(SHUT_RDWR))
        dropAll()
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .sequentiallyConsistent) {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                break
            }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                close(client)
                close(upstream)
                continue
            }
            sockets.withLock { $0 += [client, upstream] }
            let thread = Thread { [self] in relay(client, upstream) }
            thread.name = "dropping-proxy relay"
            thread.start()
        }
        close(listener)
    }

    private func relay(_ a: Int32, _ b: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16384)
        var descriptors = [pollfd(fd: a, events: Int16(POLLIN), revents: 0), pollfd(fd: b, events: Int16(POLLIN), revents: 0)]
        loop: while true {
            let ready = poll(&descriptors, 2, 1000)
            if ready < 0 && errno != EINTR { break }
            for index in 0..<2 where descriptors[index].revents != 0 {
                let from = descriptors[index].fd
                let to = index == 0 ? b : a
                let count = buffer.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break loop }
                var offset = 0
                while offset < count {
                    let sent = buffer.withUnsafeBytes { send(to, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL)) }
                    if sent <= 0 { break loop }
                    offset += sent
                }
            }
        }
        sockets.withLock { $0.removeAll { $0 == a || $0 == b } }
        close(a)
        close(b)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
