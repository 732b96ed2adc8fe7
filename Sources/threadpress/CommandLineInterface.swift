import BotRuntime
import Configuration
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import SQLiteStorage
import ThreadpressModel

/// `threadpress`'s subcommands, usage and exit codes (sysexits: 64 usage, 78 configuration, 1 failure).
struct CommandLineInterface {
    static let version = "0.1.0"

    enum ExitCode {
        static let success: Int32 = 0
        static let failure: Int32 = 1
        static let usage: Int32 = 64
        static let configuration: Int32 = 78
    }

    static let usage = """
        usage: threadpress run --config FILE [--once] [--answer-old-commands]
               threadpress check-config --config FILE [--online]
               threadpress version
               threadpress help [COMMAND]
        """

    static let helps: [String: String] = [
        "run": """
            usage: threadpress run --config FILE [--once] [--answer-old-commands]

            Runs the bot: watches the chat configured in FILE, stores every line, answers commands,
            publishes approved drafts and mirrors new blog comments into the channel.
              --config FILE  the JSON configuration (see docs/CONFIG.md)
              --once         process everything available now (the chat up to its current end,
                             due blog operations, new comments), then exit 0
              --answer-old-commands
                             answer commands however old they are (to import a log on purpose);
                             by default a command older than commands.max_age_minutes is stored
                             but not answered
            SIGINT or SIGTERM stop it cleanly.
            """,
        "check-config": """
            usage: threadpress check-config --config FILE [--online]

            Validates FILE and prints every problem with its JSON path; exits 0 when it is valid, 78 when not.
              --online       also signs in to the blog (WordPress: the user and application password):
                             78 when it refuses them, 1 when it cannot be reached
            """,
        "version": "usage: threadpress version\n\nPrints the version.",
        "help": "usage: threadpress help [COMMAND]\n\nExplains threadpress or one of its commands.",
    ]

    var arguments: [String]

    func run() async -> Int32 {
        guard let command = arguments.first else { return usageError("no command given") }
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            return printHelp(command)
        }
        switch command {
        case "help", "--help", "-h":
            guard rest.count <= 1 else { return usageError("help takes at most one command") }
            return rest.first.map(printHelp) ?? printHelp(nil)
        case "version", "--version":
            guard rest.isEmpty else { return usageError("version takes no arguments") }
            print("threadpress \(Self.version)")
            return ExitCode.success
        case "check-config":
            guard let options = parse(rest, flags: ["--online"]) else { return ExitCode.usage }
            return await checkConfig(path: options.config, online: options.flags.contains("--online"))
        case "run":
            guard let options = parse(rest, flags: ["--once", "--answer-old-commands"]) else { return ExitCode.usage }
            return await runBot(
                path: options.config, once: options.flags.contains("--once"),
                answerOldCommands: options.flags.contains("--answer-old-commands"))
        default:
            return usageError("unknown command '\(Self.printable(command))'")
        }
    }

    private struct Options {
        var config: String
        var flags: Set<String>
    }

    private func parse(_ words: [String], flags allowed: Set<String>) -> Options? {
        var config: String?
        var flags: Set<String> = []
        var index = 0
        while index < words.count {
            let word = words[index]
            if word == "--config" {
                guard index + 1 < words.count else {
                    _ = usageError("--config needs a file")
                    return nil
                }
                config = words[index + 1]
                index += 2
            } else if word.hasPrefix("--config=") {
                config = String(word.dropFirst("--config=".count))
                index += 1
            } else if allowed.contains(word) {
                flags.insert(word)
                index += 1
            } else {
                _ = usageError("unknown option '\(Self.printable(word))'")
                return nil
            }
        }
        guard let config, !config.isEmpty else {
            _ = usageError("--config FILE is required")
            return nil
        }
        return Options(config: config, flags: flags)
    }

    private func printHelp(_ command: String?) -> Int32 {
        guard let command else {
            print("threadpress \(Self.version): turns chat conversations into blog posts and mirrors comments back.\n")
            print(Self.usage)
            print("\nIn chat: !blog [title], !blog last N, !blog since HH:MM, !drafts, !approve N, !reject N, !help")
            return ExitCode.success
        }
        guard let text = Self.helps[command] else { return usageError("unknown command '\(Self.printable(command))'") }
        print(text)
        return ExitCode.success
    }

    private func usageError(_ problem: String) -> Int32 {
        Self.standardError("threadpress: \(problem)\n\(Self.usage)")
        return ExitCode.usage
    }

    private func loadConfiguration(_ path: String) -> ThreadpressConfiguration? {
        do {
            return try ConfigurationLoader.load(path: path)
        } catch let error as ConfigurationError {
            Self.standardError(error.description)
        } catch {
            Self.standardError("\(path): \(error)")
        }
        return nil
    }

    private func checkConfig(path: String, online: Bool) async -> Int32 {
        guard let configuration = loadConfiguration(path) else { return ExitCode.configuration }
        print("\(path): valid (\(BotAssembly.summary(of: configuration)))")
        guard online else { return ExitCode.success }
        do {
            let engine = BotAssembly.makeEngine(configuration, version: Self.version).engine
            let checked = try await engine.checkAccess()
            print(checked.isEmpty ? "\(engine.identifier): nothing to check online" : checked)
            return ExitCode.success
        } catch {
            let failure = BlogEngineError.classify(error)
            Self.standardError("threadpress: blog: \(failure.message)")
            return failure.kind == .permanent ? ExitCode.configuration : ExitCode.failure
        }
    }

    private func runBot(path: String, once: Bool, answerOldCommands: Bool) async -> Int32 {
        // Watch the signals first: a SIGTERM that arrives while the bot is still starting up (loading
        // the configuration, opening the store) is remembered and stops it as soon as it runs.
        let running = Mutex<(task: Task<Void, any Error>?, stopRequested: Bool)>((nil, false))
        let signals = SignalWatcher(signals: [SIGINT, SIGTERM]) { signal in
            Self.standardError("threadpress: info: received signal \(signal); stopping")
            running.withLock { state in
                state.stopRequested = true
                state.task?.cancel()
            }
        }
        defer { signals.stop() }
        guard let configuration = loadConfiguration(path) else { return ExitCode.configuration }
        let bot: ThreadpressBot
        let lock: StoreLock
        do {
            lock = try StoreLock(storePath: configuration.store.path)
            bot = try BotAssembly.makeBot(configuration, version: Self.version, answerOldCommands: answerOldCommands)
        } catch let error as StoreError where error.code == .cannotCreate {
            Self.standardError("threadpress: \(path): store.path: \(error)")
            return ExitCode.configuration
        } catch {
            Self.standardError("threadpress: \(error)")
            return ExitCode.failure
        }
        let task = Task { try await bot.run(once: once) }
        running.withLock { state in
            state.task = task
            if state.stopRequested { task.cancel() }
        }
        defer { withExtendedLifetime(lock) {} }
        do {
            try await task.value
            return ExitCode.success
        } catch is CancellationError {
            return ExitCode.success
        } catch let error as BlogEngineError where error.kind == .permanent {
            // Rejected credentials, a disabled API: fixing the configuration (or the blog) is the cure.
            Self.standardError("threadpress: blog: \(error.message)")
            return ExitCode.configuration
        } catch {
            if task.isCancelled { return ExitCode.success }
            Self.standardError("threadpress: \(error)")
            return ExitCode.failure
        }
    }

    /// Shows untrusted words (arguments) on one line, shortened.
    static func printable(_ text: String) -> String {
        let cleaned = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
        return cleaned.count > 60 ? String(cleaned.prefix(60)) + "…" : cleaned
    }

    static func standardError(_ text: String) {
        StandardOutput.writeStandardError(text + "\n")
    }
}
