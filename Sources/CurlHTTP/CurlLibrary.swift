#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CCurl

/// libcurl, loaded with `dlopen` the first time something needs it (an HTTP request, a TLS
/// stream), not linked: a bot on plain-TCP IRC with a Markdown blog never maps libcurl and the
/// TLS, Kerberos, LDAP and SSH libraries it pulls in (about 6 MiB resident just for being
/// linked, measured on Debian 12; see docs/BENCHMARKS.md).
///
/// Every libcurl function CurlHTTP calls is a field here, filled from `dlsym` once.
struct CurlLibrary: @unchecked Sendable {
    let globalInit: CCurl_global_init_function
    let easyInit: CCurl_easy_init_function
    let easyCleanup: CCurl_easy_cleanup_function
    let easyReset: CCurl_easy_reset_function
    let easyPerform: CCurl_easy_perform_function
    let easySend: CCurl_easy_send_function
    let easyRecv: CCurl_easy_recv_function
    let easyStrerror: CCurl_easy_strerror_function
    let slistAppend: CCurl_slist_append_function
    let slistFreeAll: CCurl_slist_free_all_function
    /// `curl_easy_setopt` / `curl_easy_getinfo`: variadic, so only the shim's typed wrappers call them.
    let easySetopt: UnsafeMutableRawPointer
    let easyGetinfo: UnsafeMutableRawPointer

    /// The file names tried, in order: the runtime package's soname first (Debian's `libcurl4`).
    static let candidates = ["libcurl.so.4", "libcurl.so", "libcurl-gnutls.so.4", "libcurl.4.dylib", "libcurl.dylib"]

    /// Loaded once, thread-safely (Swift runs a global's initialiser once).
    private static let loaded: Result<CurlLibrary, CurlError> = load(candidates)

    /// The library, loading it on first use; throws a ``CurlError`` that says what to install.
    static func shared() throws(CurlError) -> CurlLibrary {
        try loaded.get()
    }

    /// The library if it was loaded successfully (for error texts and clean-up, which only run
    /// after something was created through it).
    static var ifLoaded: CurlLibrary? { try? loaded.get() }

    static func load(_ names: [String]) -> Result<CurlLibrary, CurlError> {
        var reasons: [String] = []
        for name in names {
            guard let library = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                reasons.append(dlerror().map { String(cString: $0) } ?? "\(name): not found")
                continue
            }
            do {
                return .success(try CurlLibrary(library))
            } catch {
                reasons.append(error.message)
                dlclose(library)
            }
        }
        let summary = "libcurl could not be loaded"
        return .failure(CurlError(
            code: CurlError.rawCode(CURLE_FAILED_INIT),
            message: "\(summary); install libcurl (Debian: apt install libcurl4) [\(reasons.joined(separator: "; "))]",
            summary: summary, detail: reasons.joined(separator: "; ")))
    }

    private init(_ library: UnsafeMutableRawPointer) throws(CurlError) {
        func symbol(_ name: String) throws(CurlError) -> UnsafeMutableRawPointer {
            guard let address = dlsym(library, name) else {
                throw CurlError(code: CurlError.rawCode(CURLE_FAILED_INIT), message: "libcurl has no \(name)",
                                summary: "libcurl has no \(name)")
            }
            return address
        }
        // Reviewed unsafe use: each address is the named libcurl function, whose C prototype the
        // shim's typedef was taken from (__typeof__), so the casts are exact.
        globalInit = unsafeBitCast(try symbol("curl_global_init"), to: CCurl_global_init_function.self)
        easyInit = unsafeBitCast(try symbol("curl_easy_init"), to: CCurl_easy_init_function.self)
        easyCleanup = unsafeBitCast(try symbol("curl_easy_cleanup"), to: CCurl_easy_cleanup_function.self)
        easyReset = unsafeBitCast(try symbol("curl_easy_reset"), to: CCurl_easy_reset_function.self)
        easyPerform = unsafeBitCast(try symbol("curl_easy_perform"), to: CCurl_easy_perform_function.self)
        easySend = unsafeBitCast(try symbol("curl_easy_send"), to: CCurl_easy_send_function.self)
        easyRecv = unsafeBitCast(try symbol("curl_easy_recv"), to: CCurl_easy_recv_function.self)
        easyStrerror = unsafeBitCast(try symbol("curl_easy_strerror"), to: CCurl_easy_strerror_function.self)
        slistAppend = unsafeBitCast(try symbol("curl_slist_append"), to: CCurl_slist_append_function.self)
        slistFreeAll = unsafeBitCast(try symbol("curl_slist_free_all"), to: CCurl_slist_free_all_function.self)
        easySetopt = try symbol("curl_easy_setopt")
        easyGetinfo = try symbol("curl_easy_getinfo")
    }
}
