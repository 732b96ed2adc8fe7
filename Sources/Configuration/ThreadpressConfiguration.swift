import ConfigurationReading
/// Everything threadpress needs to run, as read from the JSON configuration file.
///
/// Load it with ``ConfigurationLoader/load(path:environment:)``; only `chat`, `blog` and `store`
/// are required, every other section has defaults. Paths are absolute by the time they are here
/// (relative ones are resolved against the configuration file's folder). `docs/CONFIG.md` describes
/// every key.
///
/// ```swift
/// let configuration = try ConfigurationLoader.load(path: "config.json")
/// if case .logfile(let logfile) = configuration.chat { print(logfile.path) }
/// ```
public struct ThreadpressConfiguration: Sendable {
    /// Where conversations come from.
    public var chat: ChatConfiguration
    /// Where posts go.
    public var blog: BlogConfiguration
    /// The SQLite database.
    public var store: StoreConfiguration
    /// Who may approve drafts.
    public var roles: RolesConfiguration
    /// How the channel's lines are cut into conversations.
    public var conversation: ConversationConfiguration
    /// How commands are recognised.
    public var commands: CommandsConfiguration
    /// The bot's own identity.
    public var bot: BotConfiguration
    /// How comments are mirrored back to the chat.
    public var comments: CommentsConfiguration
    /// What the bot logs.
    public var logging: LoggingConfiguration
    /// What quoted people must agree to.
    public var consent: ConsentConfiguration

    public init(
        chat: ChatConfiguration, blog: BlogConfiguration, store: StoreConfiguration,
        roles: RolesConfiguration = RolesConfiguration(),
        conversation: ConversationConfiguration = ConversationConfiguration(),
        commands: CommandsConfiguration = CommandsConfiguration(), bot: BotConfiguration = BotConfiguration(),
        comments: CommentsConfiguration = CommentsConfiguration(), logging: LoggingConfiguration = LoggingConfiguration(),
        consent: ConsentConfiguration = ConsentConfiguration()
    ) {
        self.consent = consent
        self.chat = chat
        self.blog = blog
        self.store = store
        self.roles = roles
        self.conversation = conversation
        self.commands = commands
        self.bot = bot
        self.comments = comments
        self.logging = logging
    }
}

extension ThreadpressConfiguration {
    /// Reads the top-level object; `nil` when a required section is missing or invalid (reported).
    init?(reading reader: ConfigurationObjectReader) {
        let chat = reader.object("chat", required: true, hint: "add \"chat\": { \"kind\": \"logfile\", \"logfile\": { … } }")
            .flatMap(ChatConfiguration.init(reading:))
        let blog = reader.object("blog", required: true, hint: "add \"blog\": { \"kind\": \"markdown\", \"markdown\": { … } }")
            .flatMap(BlogConfiguration.init(reading:))
        let store = reader.object("store", required: true, hint: "add \"store\": { \"path\": \"threadpress.sqlite\" }")
            .flatMap(StoreConfiguration.init(reading:))
        let roles = reader.object("roles").map(RolesConfiguration.init(reading:)) ?? RolesConfiguration()
        let conversation =
            reader.object("conversation").map(ConversationConfiguration.init(reading:)) ?? ConversationConfiguration()
        let commands = reader.object("commands").map(CommandsConfiguration.init(reading:)) ?? CommandsConfiguration()
        let bot = reader.object("bot").map(BotConfiguration.init(reading:)) ?? BotConfiguration()
        let comments = reader.object("comments").map(CommentsConfiguration.init(reading:)) ?? CommentsConfiguration()
        let logging = reader.object("logging").map(LoggingConfiguration.init(reading:)) ?? LoggingConfiguration()
        let consent = reader.object("consent").map(ConsentConfiguration.init(reading:)) ?? ConsentConfiguration()
        reader.finish()
        guard let chat, let blog, let store else { return nil }
        self.init(
            chat: chat, blog: blog, store: store, roles: roles, conversation: conversation, commands: commands,
            bot: bot, comments: comments, logging: logging, consent: consent)
    }
}
