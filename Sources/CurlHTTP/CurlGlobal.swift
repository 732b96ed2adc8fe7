#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl

/// Process-wide libcurl set-up, done once on first use: `dlopen` (``CurlLibrary``), then
/// `curl_global_init`. Nothing of libcurl is loaded before the first handle is made.
enum CurlGlobal {
    /// Swift runs this initialiser exactly once, thread-safely.
    private static let initialized: Result<CurlLibrary, CurlError> = {
        // A peer closing a socket mid-write must not kill the process.
        signal(SIGPIPE, SIG_IGN)
        return Result { () throws(CurlError) -> CurlLibrary in
            let curl = try CurlLibrary.shared()
            let code = curl.globalInit(CCurl_GLOBAL_ALL())
            guard code == CURLE_OK else { throw CurlError.curl(code, context: "curl_global_init", detail: "") }
            return curl
        }
    }()

    /// Loads and initialises libcurl if needed; throws when either failed.
    @discardableResult
    static func ensureInitialized() throws(CurlError) -> CurlLibrary {
        try initialized.get()
    }
}
