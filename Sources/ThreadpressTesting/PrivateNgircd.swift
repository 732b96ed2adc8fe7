import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A private ngircd on a free loopback port that a test may kill (`SIGKILL`) and start again, with
/// its own configuration in a temporary folder. The shared servers of `Scripts/irc-test-servers`
/// are never touched. As root it runs as user `irc` (like the script does); otherwise as the
/// current user. Needs Debian's `ngircd` (`Scripts/irc-test-servers start` installs it).
///
/// ```swift
/// let server = try await PrivateNgircd.start()
/// defer { server.stop() }
/// server.kill()
/// try await server.restart()
/// ```
public final class PrivateNgircd: Sendable {
    public static let binary = "/usr/sbin/ngircd"
    public let port: Int
    /// Holds the configuration, MOTD, pid file and log.
    public let folder: TemporaryDirectory
    private let process = Mutex<Process?>(nil)

    private init(port: Int, folder: TemporaryDirectory) {
        self.port = port
        self.folder = folder
    }

    deinit { stop() }

    /// Writes a configuration for a free port, starts ngircd and waits until it registers a client.
    public static func start(within timeout: Duration = .seconds(15)) async throws -> PrivateNgircd {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw IRCTestServersError("\(binary) is missing: run `Scripts/irc-test-servers start` once as root (it installs ngircd)")
        }
        let folder = try TemporaryDirectory(prefix: "private-ngircd")
        let port = try freePort()
        try "threadpress private test server\n".write(toFile: folder.path("motd"), atomically: true, encoding: .utf8)
        try """
            [Global]
            \tName = private.threadpress.test
            \tInfo = threadpress private test server (ngircd)
            \tAdminInfo1 = threadpress tests
            \tAdminInfo2 = loopback
            \tAdminEMail = tests@threadpress.invalid
            \tListen = 127.0.0.1
            \tPorts = \(port)
            \tMotdFile = \(folder.path("motd"))
            \tPidFile = \(folder.path("ngircd.pid"))
            [Limits]
            \tMaxConnections = 100
            \tMaxConnectionsIP = 0
            \tPingTimeout = 120
            \tPongTimeout = 20
            [Options]
            \tDNS = no
            \tIdent = no
            \tPAM = no

            """.write(toFile: folder.path("ngircd.conf"), atomically: true, encoding: .utf8)
        if getuid() == 0 {
            for path in [folder.path, folder.path("motd"), folder.path("ngircd.conf")] {
                try FileManager.default.setAttributes([.ownerAccountName: "irc", .groupOwnerAccountName: "irc"], ofItemAtPath: path)
            }
        }
        let server = PrivateNgircd(port: port, folder: folder)
        try await server.restart(within: timeout)
        return server
    }

    /// Starts ngircd (again) and waits until a client can register.
    public func restart(within timeout: Duration = .seconds(15)) async throws {
        let process = Process()
        if !FileManager.default.fileExists(atPath: folder.path("ngircd.log")) {
            try Data().write(to: URL(fileURLWithPath: folder.path("ngircd.log")))
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.path("ngircd.log")))
        _ = try log.seekToEnd()
        let arguments = ["--nodaemon", "--config", folder.path("ngircd.conf")]
        if getuid() == 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=irc", "--regid=irc", "--init-groups", Self.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = arguments
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process.withLock { $0 = process }
        let deadline = ContinuousClock.now + timeout
        while true {
            if let probe = try? await IRCTestClient.connect(port: port, nick: IRCTestServers.uniqueNick("prb"), within: .seconds(2)) {
                probe.close()
                return
            }
            guard process.isRunning, ContinuousClock.now < deadline else {
                let tail = (try? String(contentsOfFile: folder.path("ngircd.log"), encoding: .utf8))?.suffix(2000) ?? ""
                throw IRCTestServersError("the private ngircd on 127.0.0.1:\(port) did not come up within \(timeout); its log ends: \(tail)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// `SIGKILL`s the server (no QUIT, no ERROR: every link just breaks) and waits until it is gone.
    public func kill() {
        guard let process = process.withLock({ value -> Process? in
            defer { value = nil }
            return value
        }) else { return }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Kills the server and removes its folder.
    public func stop() {
        kill()
        folder.remove()
    }

    /// A port nothing listens on now (the kernel's choice for port 0).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw IRCTestServersError("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw IRCTestServersError("could not find a free port on 127.0.0.1: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
