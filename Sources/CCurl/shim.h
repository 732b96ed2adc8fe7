// CCurl: typed entry points into libcurl for Swift.
//
// libcurl is not linked: CurlHTTP loads it with dlopen on first use (CurlLibrary), so a bot that
// never makes an HTTP request or a TLS connection never maps libcurl and its TLS libraries. This
// header therefore references no libcurl symbol: it declares the function pointer types that
// CurlLibrary fills from dlsym, and wrappers that call through such a pointer.
//
// curl_easy_setopt and curl_easy_getinfo are variadic, so Swift cannot call them; each wrapper
// below takes the dlsym'd function and fixes the argument type for one kind of option. Macro
// constants Swift cannot import are re-exported as static inline functions (no variables are
// defined in this header). Only the CurlHTTP module imports this.
#ifndef CCURL_SHIM_H
#define CCURL_SHIM_H

// The type-checking macros in <curl/typecheck-gcc.h> wrap curl_easy_setopt/getinfo; they add
// nothing here (every wrapper is already typed) and only cost compile time.
#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK
#endif
#include <curl/curl.h>

// MARK: - The non-variadic functions, as pointer types for dlsym (typeof takes no address at run time)

typedef __typeof__(&curl_global_init) CCurl_global_init_function;
typedef __typeof__(&curl_easy_init) CCurl_easy_init_function;
typedef __typeof__(&curl_easy_cleanup) CCurl_easy_cleanup_function;
typedef __typeof__(&curl_easy_reset) CCurl_easy_reset_function;
typedef __typeof__(&curl_easy_perform) CCurl_easy_perform_function;
typedef __typeof__(&curl_easy_send) CCurl_easy_send_function;
typedef __typeof__(&curl_easy_recv) CCurl_easy_recv_function;
typedef __typeof__(&curl_easy_strerror) CCurl_easy_strerror_function;
typedef __typeof__(&curl_slist_append) CCurl_slist_append_function;
typedef __typeof__(&curl_slist_free_all) CCurl_slist_free_all_function;

/// `curl_easy_setopt` and `curl_easy_getinfo` as dlsym returns them (called only below).
typedef CURLcode (*CCurl_easy_variadic_function)(CURL *, int, ...);

// MARK: - curl_easy_setopt, one wrapper per argument type

static inline CURLcode CCurl_easy_setopt_long(void *_Nonnull setopt, CURL *_Nonnull handle, CURLoption option, long value) {
    return ((CCurl_easy_variadic_function)setopt)(handle, (int)option, value);
}

/// The string is copied by libcurl (true for every string option since 7.17.0).
static inline CURLcode CCurl_easy_setopt_string(void *_Nonnull setopt, CURL *_Nonnull handle, CURLoption option, const char *_Nullable value) {
    return ((CCurl_easy_variadic_function)setopt)(handle, (int)option, value);
}

static inline CURLcode CCurl_easy_setopt_pointer(void *_Nonnull setopt, CURL *_Nonnull handle, CURLoption option, void *_Nullable value) {
    return ((CCurl_easy_variadic_function)setopt)(handle, (int)option, value);
}

static inline CURLcode CCurl_easy_setopt_slist(void *_Nonnull setopt, CURL *_Nonnull handle, CURLoption option, struct curl_slist *_Nullable value) {
    return ((CCurl_easy_variadic_function)setopt)(handle, (int)option, value);
}

static inline CURLcode CCurl_easy_setopt_off_t(void *_Nonnull setopt, CURL *_Nonnull handle, CURLoption option, curl_off_t value) {
    return ((CCurl_easy_variadic_function)setopt)(handle, (int)option, value);
}

// MARK: - Callbacks (one per kind; userdata goes through CURLOPT_*DATA as a pointer)

/// CURLOPT_WRITEFUNCTION: receives response body bytes.
static inline CURLcode CCurl_easy_setopt_write_function(void *_Nonnull setopt, CURL *_Nonnull handle, curl_write_callback _Nullable callback) {
    return ((CCurl_easy_variadic_function)setopt)(handle, (int)CURLOPT_WRITEFUNCTION, callback);
}

/// CURLOPT_HEADERFUNCTION: receives each response header line (status lines included).
static inline CURLcode CCurl_easy_setopt_header_function(void *_Nonnull setopt, CURL *_Nonnull handle, curl_write_callback _Nullable callback) {
    return ((CCurl_easy_variadic_function)setopt)(handle, (int)CURLOPT_HEADERFUNCTION, callback);
}

/// CURLOPT_READFUNCTION: supplies request body bytes for streamed uploads.
static inline CURLcode CCurl_easy_setopt_read_function(void *_Nonnull setopt, CURL *_Nonnull handle, curl_read_callback _Nullable callback) {
    return ((CCurl_easy_variadic_function)setopt)(handle, (int)CURLOPT_READFUNCTION, callback);
}

/// CURLOPT_XFERINFOFUNCTION: progress; a non-zero return aborts the transfer (used for cancellation).
static inline CURLcode CCurl_easy_setopt_xferinfo_function(void *_Nonnull setopt, CURL *_Nonnull handle, curl_xferinfo_callback _Nullable callback) {
    return ((CCurl_easy_variadic_function)setopt)(handle, (int)CURLOPT_XFERINFOFUNCTION, callback);
}

// MARK: - curl_easy_getinfo, one wrapper per result type

static inline CURLcode CCurl_easy_getinfo_long(void *_Nonnull getinfo, CURL *_Nonnull handle, CURLINFO info, long *_Nonnull value) {
    return ((CCurl_easy_variadic_function)getinfo)(handle, (int)info, value);
}

/// The string belongs to the handle and is valid until the next transfer or cleanup.
static inline CURLcode CCurl_easy_getinfo_string(void *_Nonnull getinfo, CURL *_Nonnull handle, CURLINFO info, const char *_Nullable *_Nonnull value) {
    return ((CCurl_easy_variadic_function)getinfo)(handle, (int)info, value);
}

/// For CURLINFO_ACTIVESOCKET (connect-only handles: poll() the socket, then curl_easy_recv/send).
/// curl_easy_send and curl_easy_recv are not variadic: Swift calls them directly (CurlEasyHandle+Stream).
static inline CURLcode CCurl_easy_getinfo_socket(void *_Nonnull getinfo, CURL *_Nonnull handle, CURLINFO info, curl_socket_t *_Nonnull value) {
    return ((CCurl_easy_variadic_function)getinfo)(handle, (int)info, value);
}

// MARK: - Macro constants Swift cannot import

static inline long CCurl_GLOBAL_ALL(void) { return CURL_GLOBAL_ALL; }
static inline long CCurl_GLOBAL_DEFAULT(void) { return CURL_GLOBAL_DEFAULT; }
static inline CURLversion CCurl_VERSION_NOW(void) { return CURLVERSION_NOW; }
static inline size_t CCurl_ERROR_SIZE(void) { return CURL_ERROR_SIZE; }
static inline size_t CCurl_WRITEFUNC_ERROR(void) { return CURL_WRITEFUNC_ERROR; }
static inline size_t CCurl_READFUNC_ABORT(void) { return CURL_READFUNC_ABORT; }
static inline size_t CCurl_READFUNC_PAUSE(void) { return CURL_READFUNC_PAUSE; }
static inline curl_socket_t CCurl_SOCKET_BAD(void) { return CURL_SOCKET_BAD; }

#endif // CCURL_SHIM_H
