#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl

/// Process-wide libcurl set-up, done once on first use.
enum CurlGlobal {
    /// The result of `curl_global_init`; Swift runs this initialiser exactly once, thread-safely.
    private static let initResult: Int32 = {
        // A peer closing a socket mid-write must not kill the process.
        signal(SIGPIPE, SIG_IGN)
        return CurlError.rawCode(curl_global_init(CCurl_GLOBAL_ALL()))
    }()

    /// Initialises libcurl if needed; throws when `curl_global_init` failed.
    static func ensureInitialized() throws {
        let code = initResult
        guard code == CurlError.rawCode(CURLE_OK) else {
            throw CurlError.curl(CURLcode(rawValue: UInt32(bitPattern: code)), context: "curl_global_init", detail: "")
        }
    }
}
