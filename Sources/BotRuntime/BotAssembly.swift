import BlogEngines
import ChatTransports
import Configuration
import Foundation
import IRCTransport
import SQLiteStorage
import Workflow

/// Builds a ``ThreadpressBot`` from a validated configuration: picks the transport and engine for
/// their `kind`, opens the store. New transports and engines get a case here and nothing else.
public enum BotAssembly {
    public static func makeBot(
        _ configuration: ThreadpressConfiguration, answerOldCommands: Bool = false,
        output: @escaping @Sendable (String) -> Void = StandardOutput.writeLine
    ) throws -> ThreadpressBot {
        let logger = BotLogger(level: LogSeverity(configuration.logging.level))
        let transport: any ChatTransport
        let timeZone: TimeZone
        switch configuration.chat {
        case .logfile(let logfile):
            timeZone = logfile.timeZone
            transport = LogFileTransport(
                path: logfile.path, format: logfile.format, channel: logfile.channel, timeZone: logfile.timeZone,
                botNick: configuration.bot.nick, replyPath: logfile.replyPath,
                pollInterval: .milliseconds(logfile.pollMilliseconds), output: output)
        case .irc(let irc):
            // Server time is absolute; dates in posts use the system's zone.
            timeZone = .current
            let irc = IRCChatTransport(configuration: irc, botNick: configuration.bot.nick) { level, line in
                switch level {
                case .warning: logger.warning(line)
                case .info: logger.info(line)
                case .debug: logger.debug(line)
                }
            }
            irc.warnAboutConfiguration()
            transport = irc
        }
        let engine: any BlogEngine
        let tags: [String]
        switch configuration.blog {
        case .markdown(let markdown):
            tags = markdown.tags
            engine = MarkdownFolderEngine(
                directory: markdown.directory, baseURL: markdown.baseURL, onWarning: logger.warningOncePerProcess())
        }
        let store = try SQLiteStore(path: configuration.store.path)
        let settings = WorkflowSettings(
            prefix: configuration.commands.prefix,
            conversationGap: TimeInterval(configuration.conversation.gapMinutes * 60),
            maximumMessages: configuration.conversation.maximumMessages,
            approvers: Set(configuration.roles.approvers), botNick: configuration.bot.nick,
            trustsNicks: transport.capabilities.trustsNicks, timeZone: timeZone)
        var options = ThreadpressBot.Options(
            commentPollInterval: .seconds(configuration.comments.pollSeconds),
            excerptLength: configuration.comments.excerptCharacters, tags: tags)
        options.commentScope = configuration.comments.scope == .all ? .everyPost : .threadpressPosts
        options.announcementLimit = configuration.comments.announcePerPoll
        let age = configuration.commands.maximumAgeMinutes
        options.commandMaximumAge = answerOldCommands || age == 0 ? nil : TimeInterval(age * 60)
        options.rateLimit = CommandRateLimiter(
            burst: configuration.commands.perPersonBurst, perMinute: configuration.commands.perPersonPerMinute)
        return ThreadpressBot(
            transport: transport, engine: engine, store: store, settings: settings, options: options, logger: logger)
    }

    /// One line saying what a configuration wires together, for `check-config`.
    public static func summary(of configuration: ThreadpressConfiguration) -> String {
        let chat: String
        switch configuration.chat {
        case .logfile(let logfile): chat = "\(logfile.format.rawValue) log \(logfile.path) as \(logfile.channel)"
        case .irc(let irc):
            chat = "IRC \(irc.host):\(irc.port)\(irc.tls ? " (TLS)" : "") as \(irc.nick ?? configuration.bot.nick) in \(irc.channels.map(\.name).joined(separator: ", "))"
        }
        let blog: String
        switch configuration.blog {
        case .markdown(let markdown): blog = "Markdown folder \(markdown.directory)"
        }
        return "\(chat) → \(blog); store \(configuration.store.path)"
    }
}

extension LogSeverity {
    init(_ level: Configuration.LogLevel) {
        switch level {
        case .error: self = .error
        case .warning: self = .warning
        case .info: self = .info
        case .debug: self = .debug
        }
    }
}
