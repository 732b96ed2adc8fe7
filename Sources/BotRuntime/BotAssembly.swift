import BlogEngines
import ChatTransports
import Configuration
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel
import IRCTransport
import SQLiteStorage
import WebhookTransport
import WordPressBlog
import Workflow

/// Builds a ``ThreadpressBot`` from a validated configuration: picks the transport and engine for
/// their `kind`, opens the store. New transports and engines get a case here and nothing else.
public enum BotAssembly {
    public static func makeBot(
        _ configuration: ThreadpressConfiguration, version: String = "0", answerOldCommands: Bool = false,
        output: @escaping @Sendable (String) -> Void = StandardOutput.writeLine
    ) throws -> ThreadpressBot {
        let logger = BotLogger(level: LogSeverity(configuration.logging.level))
        let transport: any ChatTransport
        let timeZone: IANATimeZone
        switch configuration.chat {
        case .logfile(let logfile):
            timeZone = logfile.timeZone
            transport = LogFileTransport(
                path: logfile.path, format: logfile.format, channel: logfile.channel, timeZone: logfile.timeZone,
                botNick: configuration.bot.nick, replyPath: logfile.replyPath,
                pollInterval: .milliseconds(logfile.pollMilliseconds), output: output)
        case .webhook(let webhook):
            timeZone = configuration.bot.timeZone
            transport = try WebhookChatTransport(
                settings: webhook.settings, channel: webhook.channel, botNick: configuration.bot.nick,
                log: { logger.warning($0) })
        case .irc(let irc):
            // Server time is absolute; times in posts and replies are shown in bot.timezone.
            timeZone = configuration.bot.timeZone
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
        let (engine, tags) = makeEngine(configuration, version: version, logger: logger)
        let store = try SQLiteStore(path: configuration.store.path)
        var settings = WorkflowSettings(
            prefix: configuration.commands.prefix,
            conversationGap: TimeInterval(configuration.conversation.gapMinutes * 60),
            maximumMessages: configuration.conversation.maximumMessages,
            approvers: Set(configuration.roles.approvers), botNick: configuration.bot.nick,
            trustsNicks: transport.capabilities.trustsNicks, timeZone: timeZone)
        settings.repliers = Set(configuration.roles.repliers.map { $0.lowercased() })
        settings.admins = Set(configuration.roles.admins.map { $0.lowercased() })
        settings.consentPolicy = ConsentPolicy(rawValue: configuration.consent.policy.rawValue) ?? .open
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

    /// The blog engine a configuration names, with the tags every post gets.
    public static func makeEngine(
        _ configuration: ThreadpressConfiguration, version: String = "0", logger: BotLogger = BotLogger()
    ) -> (engine: any BlogEngine, tags: [String]) {
        switch configuration.blog {
        case .markdown(let markdown):
            return (
                MarkdownFolderEngine(
                    directory: markdown.directory, baseURL: markdown.baseURL, onWarning: logger.warningOncePerProcess()),
                markdown.tags
            )
        case .wordpress(var wordpress):
            wordpress.userAgent = "threadpress/\(version)"
            wordpress.commentExcerptLimit = min(max(configuration.comments.excerptCharacters, 20), 2000)
            return (WordPressEngine(settings: wordpress), ["chat"])
        }
    }

    /// One line saying what a configuration wires together, for `check-config`.
    public static func summary(of configuration: ThreadpressConfiguration) -> String {
        let chat: String
        switch configuration.chat {
        case .logfile(let logfile): chat = "\(logfile.format.rawValue) log \(logfile.path) as \(logfile.channel)"
        case .webhook(let webhook):
            chat = "\(webhook.settings.flavor.rawValue) webhooks on \(webhook.settings.listen) as \(webhook.channel)"
        case .irc(let irc):
            chat = "IRC \(irc.host):\(irc.port)\(irc.tls ? " (TLS)" : "") as \(irc.nick ?? configuration.bot.nick) in \(irc.channels.map(\.name).joined(separator: ", "))"
        }
        let blog: String
        switch configuration.blog {
        case .markdown(let markdown): blog = "Markdown folder \(markdown.directory)"
        case .wordpress(let wordpress): blog = "WordPress \(wordpress.siteURL.absoluteString) as \(wordpress.username)"
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
