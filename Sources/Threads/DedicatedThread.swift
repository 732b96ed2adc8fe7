#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A detached POSIX thread for blocking work (`poll`, `accept`, `curl_easy_perform`, file reads),
/// kept off Swift's cooperative pool; Foundation's `Thread` without Foundation.
///
/// ```swift
/// DedicatedThread.start(name: "HTTPListener") { loop.run() }
/// ```
public enum DedicatedThread {
    /// Starts `body` on a new detached thread named `name` (cut to the 15 bytes Linux keeps).
    /// Traps if the system cannot create a thread, as Foundation's `Thread.start()` does.
    public static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(ThreadBody(name: name, body: body))
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        // Reviewed unsafe use: the retained box is the thread's only argument; the thread takes
        // it back (takeRetainedValue) exactly once, so it is released when the body returns.
        let result = pthread_create(&thread, &attributes, { argument in
            #if canImport(Glibc)
            let body = Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue()
            #else
            let body = Unmanaged<ThreadBody>.fromOpaque(argument).takeRetainedValue()
            #endif
            body.run()
            return nil
        }, box.toOpaque())
        pthread_attr_destroy(&attributes)
        if result != 0 {
            box.release()
            fatalError("DedicatedThread: pthread_create for \"\(name)\" failed (\(String(cString: strerror(result))))")
        }
    }
}

private final class ThreadBody {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }

    func run() {
        // Linux keeps 15 bytes of a thread name; cut on a UTF-8 boundary.
        var bytes = Array(name.utf8.prefix(15))
        while !bytes.isEmpty, String(validating: bytes, as: UTF8.self) == nil { bytes.removeLast() }
        #if canImport(Glibc)
        if let setName = Self.setName {
            _ = String(decoding: bytes, as: UTF8.self).withCString { setName(pthread_self(), $0) }
        }
        #else
        _ = String(decoding: bytes, as: UTF8.self).withCString { pthread_setname_np($0) }
        #endif
        body()
    }

    #if canImport(Glibc)
    /// glibc's `pthread_setname_np`, which its Swift module does not show (it needs `_GNU_SOURCE`).
    private static let setName: (@convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32)? = {
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "pthread_setname_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32).self)
    }()
    #endif
}
