import CCurl

/// One libcurl easy handle (`CURL *`), with typed option setters that check every `CURLcode`.
///
/// A handle belongs to the thread that uses it: create it, configure it, perform and destroy it on
/// one thread (``CurlHTTPClient`` keeps one per worker thread). Failures throw ``CurlError`` with
/// `curl_easy_strerror` text plus the handle's `CURLOPT_ERRORBUFFER` text, prefixed by
/// ``errorContext``, which callers set to a redacted description of the transfer.
///
/// ```swift
/// let handle = try CurlEasyHandle()
/// handle.errorContext = "GET http://127.0.0.1:8080/"
/// try handle.setOption(CURLOPT_URL, "http://127.0.0.1:8080/")
/// try handle.perform()
/// let status = try handle.longInfo(CURLINFO_RESPONSE_CODE)
/// ```
public final class CurlEasyHandle {
    /// The `CURL *`; internal so the stream extension can call `curl_easy_send`/`curl_easy_recv`.
    let handle: UnsafeMutableRawPointer
    /// The loaded libcurl this handle was made by.
    let curl: CurlLibrary
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let errorBufferSize: Int
    /// String lists handed to libcurl, kept alive until replaced, reset or deinit.
    private var lists: [UInt32: UnsafeMutablePointer<curl_slist>] = [:]

    /// Prefix of every error message, e.g. "GET http://host/path". Never put secrets here.
    public var errorContext = ""

    /// Creates a handle with `CURLOPT_NOSIGNAL` set and an error buffer attached.
    public init() throws {
        let curl = try CurlGlobal.ensureInitialized()
        self.curl = curl
        guard let handle = curl.easyInit() else {
            throw CurlError(code: CurlError.rawCode(CURLE_FAILED_INIT), message: "curl_easy_init failed",
                            summary: "Failed initialization")
        }
        self.handle = handle
        errorBufferSize = CCurl_ERROR_SIZE()
        errorBuffer = .allocate(capacity: errorBufferSize)
        errorBuffer.initialize(repeating: 0, count: errorBufferSize)
        try applyDefaults()
    }

    deinit {
        curl.easyCleanup(handle)
        freeLists()
        errorBuffer.deallocate()
    }

    /// `curl_easy_reset`: forgets every option (live connections and caches stay), then re-applies
    /// the defaults this type guarantees (`CURLOPT_NOSIGNAL`, the error buffer).
    public func reset() throws {
        curl.easyReset(handle)
        freeLists()
        errorContext = ""
        try applyDefaults()
    }

    private func applyDefaults() throws {
        try check(CCurl_easy_setopt_pointer(curl.easySetopt, handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try setOption(CURLOPT_NOSIGNAL, 1)
    }

    private func freeLists() {
        for list in lists.values { curl.slistFreeAll(list) }
        lists.removeAll()
    }

    // MARK: Options

    /// Sets a `long` option (flags, sizes, timeouts in ms, enum values).
    public func setOption(_ option: CURLoption, _ value: Int) throws {
        try check(CCurl_easy_setopt_long(curl.easySetopt, handle, option, value))
    }

    /// Sets a string option; libcurl copies the string. `nil` restores the default.
    public func setOption(_ option: CURLoption, _ value: String?) throws {
        if let value {
            try check(value.withCString { CCurl_easy_setopt_string(curl.easySetopt, handle, option, $0) })
        } else {
            try check(CCurl_easy_setopt_string(curl.easySetopt, handle, option, nil))
        }
    }

    /// Sets a pointer option (userdata for callbacks). The caller keeps the pointee alive.
    public func setOption(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws {
        try check(CCurl_easy_setopt_pointer(curl.easySetopt, handle, option, pointer))
    }

    /// Sets a `curl_off_t` option (`*_LARGE` sizes).
    public func setOption(_ option: CURLoption, offset: Int64) throws {
        try check(CCurl_easy_setopt_off_t(curl.easySetopt, handle, option, curl_off_t(offset)))
    }

    /// Sets a `struct curl_slist *` option (e.g. `CURLOPT_HTTPHEADER`) from `lines`; the handle owns
    /// the list until the option is set again, the handle is reset, or it is deallocated.
    public func setOption(_ option: CURLoption, lines: [String]) throws {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let appended = curl.slistAppend(list, line) else {
                curl.slistFreeAll(list)
                throw CurlError(code: CurlError.rawCode(CURLE_OUT_OF_MEMORY),
                                message: "\(errorContext): curl_slist_append failed", summary: "Out of memory")
            }
            list = appended
        }
        let code = CCurl_easy_setopt_slist(curl.easySetopt, handle, option, list)
        guard code == CURLE_OK else {
            curl.slistFreeAll(list)
            throw error(code)
        }
        if let old = lists.removeValue(forKey: option.rawValue) { curl.slistFreeAll(old) }
        if let list { lists[option.rawValue] = list }
    }

    /// `CURLOPT_WRITEFUNCTION`; reach Swift state through `CURLOPT_WRITEDATA`.
    public func setWriteFunction(_ function: curl_write_callback?) throws {
        try check(CCurl_easy_setopt_write_function(curl.easySetopt, handle, function))
    }

    /// `CURLOPT_HEADERFUNCTION`; reach Swift state through `CURLOPT_HEADERDATA`.
    public func setHeaderFunction(_ function: curl_write_callback?) throws {
        try check(CCurl_easy_setopt_header_function(curl.easySetopt, handle, function))
    }

    /// `CURLOPT_READFUNCTION`; reach Swift state through `CURLOPT_READDATA`.
    public func setReadFunction(_ function: curl_read_callback?) throws {
        try check(CCurl_easy_setopt_read_function(curl.easySetopt, handle, function))
    }

    /// `CURLOPT_XFERINFOFUNCTION` (also needs `CURLOPT_NOPROGRESS` 0); non-zero return aborts.
    public func setProgressFunction(_ function: curl_xferinfo_callback?) throws {
        try check(CCurl_easy_setopt_xferinfo_function(curl.easySetopt, handle, function))
    }

    // MARK: Transfer and information

    /// Runs the transfer (`curl_easy_perform`), blocking the calling thread until it ends.
    public func perform() throws {
        errorBuffer[0] = 0
        try check(curl.easyPerform(handle))
    }

    /// Like ``perform()`` but returns the raw `CURLcode` instead of throwing, for callers that map
    /// particular codes (e.g. an abort from a callback) to their own errors.
    public func performReturningCode() -> CURLcode {
        errorBuffer[0] = 0
        return curl.easyPerform(handle)
    }

    /// A `long` info value, e.g. `CURLINFO_RESPONSE_CODE`.
    public func longInfo(_ info: CURLINFO) throws -> Int {
        var value = 0
        try check(CCurl_easy_getinfo_long(curl.easyGetinfo, handle, info, &value))
        return value
    }

    /// A string info value, e.g. `CURLINFO_CONTENT_TYPE`; `nil` when libcurl has none.
    public func stringInfo(_ info: CURLINFO) throws -> String? {
        var value: UnsafePointer<CChar>?
        try check(CCurl_easy_getinfo_string(curl.easyGetinfo, handle, info, &value))
        return value.map { String(cString: $0) }
    }

    /// The socket of the live connection (`CURLINFO_ACTIVESOCKET`), `nil` when there is none.
    public func activeSocket() throws -> Int32? {
        var socket = CCurl_SOCKET_BAD()
        try check(CCurl_easy_getinfo_socket(curl.easyGetinfo, handle, CURLINFO_ACTIVESOCKET, &socket))
        return socket == CCurl_SOCKET_BAD() ? nil : socket
    }

    // MARK: Errors

    /// The error for `code`, with this handle's context and error-buffer text.
    public func error(_ code: CURLcode) -> CurlError {
        let detail = String(cString: errorBuffer).trimmingTrailingNewlines()
        return CurlError.curl(code, context: errorContext, detail: detail)
    }

    private func check(_ code: CURLcode) throws {
        guard code == CURLE_OK else { throw error(code) }
    }
}

@available(*, unavailable, message: "a libcurl handle is used by one thread only")
extension CurlEasyHandle: Sendable {}

extension String {
    /// Drops trailing CR, LF and spaces (by scalar: "\r\n" is a single `Character`).
    func trimmingTrailingNewlines() -> String {
        var scalars = Substring(self).unicodeScalars
        while let last = scalars.last, last == "\n" || last == "\r" || last == " " || last == "\t" {
            scalars.removeLast()
        }
        return String(scalars)
    }
}
