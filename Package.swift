// swift-tools-version:6.0
// threadpress: turns a team's chat conversations into blog posts and mirrors the comments back.
// No package dependencies: libcurl and SQLite come in through system library targets.
import PackageDescription

let package = Package(
    name: "threadpress",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "threadpress", targets: ["threadpress"]),
        .executable(name: "threadpress-bench", targets: ["threadpress-bench"]),
    ],
    dependencies: [],
    targets: [
        // C plumbing: only the Swift wrapper next to each imports it.
        // CCurl has headers only: CurlHTTP loads libcurl with dlopen when first needed (no pkgConfig,
        // which would link it; the headers are on the default include path of Debian's libcurl4-openssl-dev).
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Dedicated POSIX threads and a condition lock for blocking I/O (Foundation's Thread and
        // NSCondition without Foundation, whose import links ICU).
        .target(name: "Threads"),
        // Shared vocabulary: messages, identities, drafts, posts, comments.
        .target(name: "ThreadpressModel"),
        // A strict JSON parser (line:column errors, key order kept) and writer, for untrusted JSON.
        .target(name: "JSON"),
        // HTTP/1.1 server: the sans-I/O request parser and a poll() listener on POSIX sockets.
        .target(name: "HTTPServer", dependencies: ["Threads"]),
        // SHA-256, HMAC-SHA256 and constant-time comparison (webhook tokens and signatures).
        .target(name: "MessageAuthentication"),
        // Sans-I/O IRC protocol core: messages, framing, session state machine, pacing. No dependencies.
        .target(name: "IRCProtocol"),
        // HTTP client over libcurl.
        .target(name: "CurlHTTP", dependencies: ["CCurl", "Threads"]),
        // Mattermost / Rocket.Chat / Slack channels: inbound webhooks through the listener, replies through curl.
        .target(name: "WebhookTransport", dependencies: [
            "HTTPServer", "MessageAuthentication", "CurlHTTP", "JSON", "ChatTransports", "ThreadpressModel",
            "ConfigurationReading",
        ]),
        // SQLite connection wrapper, migrations and the durable store.
        .target(name: "SQLiteStorage", dependencies: ["CSQLite", "ThreadpressModel", "Threads"]),
        // Sans-I/O core: command parsing, conversation selection, the draft workflow.
        .target(name: "Workflow", dependencies: ["ThreadpressModel"]),
        // Reading configuration sections: a JSON-path-tracking reader, problems, secrets. Every
        // adapter reads its own section with it.
        .target(name: "ConfigurationReading", dependencies: ["JSON", "ThreadpressModel"]),
        // Chat transports: the ChatTransport protocol and the log-file tailer with its formats.
        .target(name: "ChatTransports", dependencies: ["ThreadpressModel", "ConfigurationReading", "JSON", "Threads"]),
        // Blog engines: the BlogEngine protocol and the Markdown (Jekyll) folder engine (SHA-256 stamps its files).
        .target(name: "BlogEngines", dependencies: [
            "ThreadpressModel", "ConfigurationReading", "JSON", "Threads", "MessageAuthentication",
        ]),
        // The WordPress blog engine: REST client, post renderer, comment mirror queries, its config section.
        .target(name: "WordPressBlog", dependencies: [
            "BlogEngines", "ConfigurationReading", "CurlHTTP", "JSON", "ThreadpressModel",
        ]),
        // The IRC chat transport: drives the IRCProtocol session over a CurlStreamConnection.
        .target(name: "IRCTransport", dependencies: [
            "IRCProtocol", "CurlHTTP", "ChatTransports", "ConfigurationReading", "ThreadpressModel", "JSON",
        ]),
        // The configuration file: loads it and dispatches each section's `kind` to its adapter.
        .target(name: "Configuration", dependencies: [
            "ThreadpressModel", "ConfigurationReading", "ChatTransports", "IRCTransport", "BlogEngines", "JSON",
            "WebhookTransport", "WordPressBlog",
        ]),
        // The long-running bot: wires transport, store, workflow and engine together.
        .target(name: "BotRuntime", dependencies: [
            "ThreadpressModel", "SQLiteStorage", "Workflow", "ChatTransports", "IRCTransport", "BlogEngines", "Configuration",
            "WebhookTransport", "WordPressBlog",
        ]),
        .executableTarget(
            name: "threadpress", dependencies: ["BotRuntime", "Configuration", "CurlHTTP", "ThreadpressModel"],
            // Release on Linux: lld with packed relative relocations (DT_RELR, glibc 2.36+). The relocation
            // table is read whole at start-up, so it is resident memory: packed, it shrinks from ~0.9 MiB
            // to 8 KiB (docs/BENCHMARKS.md, footprint).
            // The functions a start-up and an idle minute on IRC execute (Scripts/symbol-order, from a
            // callgrind run) are placed together, so the pages the kernel maps around each executed
            // page hold code that runs rather than its neighbours; names that no longer exist are skipped.
            linkerSettings: [.unsafeFlags(
                ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                 "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Scripts/threadpress.symbol-order",
                 "-Xlinker", "--no-warn-symbol-ordering", "-Xlinker", "--no-export-dynamic"],
                .when(platforms: [.linux], configuration: .release))]),
        // Benchmarks, built and run in release mode (numbers never come from unit tests).
        .executableTarget(name: "threadpress-bench", dependencies: [
            "BlogEngines", "CurlHTTP", "WordPressBlog",
            "BotRuntime", "ChatTransports", "IRCProtocol", "SQLiteStorage", "ThreadpressModel", "Workflow",
            "HTTPServer", "JSON", "WebhookTransport", "IRCTransport", "ThreadpressTesting",
        ]),
        // Test support shared by the test targets: temporary folders, fault-injecting peers.
        .target(name: "ThreadpressTesting", dependencies: ["ThreadpressModel", "ChatTransports", "BlogEngines"]),

        .testTarget(name: "ThreadpressModelTests", dependencies: ["ThreadpressModel"]),
        .testTarget(name: "ThreadsTests", dependencies: ["Threads"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "CurlHTTP", "ThreadpressTesting"]),
        .testTarget(name: "MessageAuthenticationTests", dependencies: ["MessageAuthentication"]),
        .testTarget(name: "WebhookTransportTests", dependencies: [
            "WebhookTransport", "HTTPServer", "MessageAuthentication", "CurlHTTP", "JSON", "ChatTransports",
            "ThreadpressModel", "BotRuntime", "BlogEngines", "SQLiteStorage", "Workflow", "ThreadpressTesting",
            "ConfigurationReading",
        ]),
        .testTarget(name: "CurlHTTPTests", dependencies: ["CurlHTTP", "ThreadpressTesting"]),
        .testTarget(name: "SQLiteStorageTests", dependencies: ["SQLiteStorage", "ThreadpressTesting"]),
        .testTarget(name: "WorkflowTests", dependencies: ["Workflow", "ThreadpressModel"]),
        .testTarget(name: "ChatTransportsTests", dependencies: ["ChatTransports", "ThreadpressTesting"]),
        .testTarget(name: "BlogEnginesTests", dependencies: ["BlogEngines", "ThreadpressTesting"]),
        .testTarget(name: "WordPressBlogTests", dependencies: [
            "WordPressBlog", "BlogEngines", "ConfigurationReading", "CurlHTTP", "JSON", "ThreadpressModel", "ThreadpressTesting",
            "BotRuntime", "ChatTransports", "SQLiteStorage", "Workflow",
        ]),
        .testTarget(name: "ConfigurationTests", dependencies: [
            "Configuration", "ConfigurationReading", "ChatTransports", "BlogEngines", "JSON", "ThreadpressTesting",
            "ThreadpressModel",
        ]),
        .testTarget(name: "BotRuntimeTests", dependencies: [
            "BotRuntime", "ThreadpressTesting", "SQLiteStorage", "Workflow", "Configuration", "BlogEngines",
        ]),
        .testTarget(name: "IRCProtocolTests", dependencies: ["IRCProtocol"]),
        // Integration tests against the real IRC servers of Scripts/irc-test-servers.
        .testTarget(name: "IRCTransportTests", dependencies: [
            "IRCTransport", "IRCProtocol", "ChatTransports", "Configuration", "ConfigurationReading", "BotRuntime",
            "BlogEngines", "SQLiteStorage", "Workflow", "ThreadpressModel", "ThreadpressTesting",
        ]),
        .testTarget(name: "CommandLineTests", dependencies: ["ThreadpressTesting"]),
    ],
    swiftLanguageModes: [.v6]
)
