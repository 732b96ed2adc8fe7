#if canImport(Glibc)
import Glibc
#endif

/// Why a listener could not start. The message names the address and what to change.
public struct HTTPListenerError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The `listen` text is not `address:port`.
        case invalidAddress
        /// A non-loopback address without authentication configured.
        case refusedAddress
        /// `socket`/`bind`/`listen` failed (address in use, permission).
        case socket
    }

    public var kind: Kind
    public var message: String
    /// The `errno` of a failed system call.
    public var systemError: Int32?

    public init(_ kind: Kind, _ message: String, systemError: Int32? = nil) {
        self.kind = kind
        self.message = message
        self.systemError = systemError
    }

    public var description: String { message }

    /// Whether the port is taken (another process, or a listener still closing).
    public var isAddressInUse: Bool { kind == .socket && systemError == EADDRINUSE }
}
