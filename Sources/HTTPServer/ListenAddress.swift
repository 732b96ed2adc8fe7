#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address and port to listen on, parsed from `host:port` (`127.0.0.1:8088`, `[::1]:8088`,
/// `0.0.0.0:8088`). Host names are not resolved: a listener binds to an address the operator wrote.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable { case ipv4, ipv6 }
    public var family: Family
    /// The address in network byte order (4 or 16 bytes).
    public var bytes: [UInt8]
    public var port: UInt16

    /// Parses `host:port`; `nil` when it is not an IPv4 or bracketed IPv6 literal with a port.
    public init?(_ text: String) {
        let host: String
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
            family = .ipv6
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = String(text[..<colon])
            portText = text[text.index(after: colon)...]
            family = .ipv4
        }
        guard !portText.isEmpty, portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), portText.count <= 5,
            let port = UInt16(portText) else { return nil }
        self.port = port
        let domain = family == .ipv4 ? AF_INET : AF_INET6
        var storage = [UInt8](repeating: 0, count: family == .ipv4 ? 4 : 16)
        let converted = storage.withUnsafeMutableBytes { raw in
            inet_pton(domain, host, raw.baseAddress)
        }
        guard converted == 1 else { return nil }
        bytes = storage
    }

    /// Whether only this machine can reach the address (127.0.0.0/8, ::1, or ::ffff:127.x.y.z).
    public var isLoopback: Bool {
        switch family {
        case .ipv4: return bytes[0] == 127
        case .ipv6:
            if bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
            return bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
        }
    }

    public var description: String {
        switch family {
        case .ipv4: return bytes.map(String.init).joined(separator: ".") + ":\(port)"
        case .ipv6:
            let groups = stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            return "[" + groups.joined(separator: ":") + "]:\(port)"
        }
    }
}
