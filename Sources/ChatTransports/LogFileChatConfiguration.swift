import ConfigurationReading
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Settings of the log-file transport (`chat.logfile`): which file to tail, how to read it, and
/// where replies go.
///
/// ```json
/// "logfile": { "path": "logs/team.log", "format": "weechat", "channel": "#team",
///              "timezone": "Europe/Paris", "reply_path": "replies.log" }
/// ```
public struct LogFileChatConfiguration: Sendable {
    /// Absolute path of the log file (`path`, required; must exist when the configuration loads).
    public var path: String
    /// The log's format (`format`, default `weechat`).
    public var format: ChatLogFormat
    /// The channel the log belongs to (`channel`, required), e.g. `#team`.
    public var channel: String
    /// The zone the log's timestamps are written in (`timezone`, an IANA name; default the
    /// system's zone).
    public var timeZone: IANATimeZone
    /// Absolute path of a file the bot appends its replies to (`reply_path`, optional; its folder
    /// must exist). Without it replies go to standard output.
    public var replyPath: String?
    /// How often the file is checked for new lines (`poll_milliseconds`, default 250, 10…60000).
    public var pollMilliseconds: Int

    public init(
        path: String, format: ChatLogFormat = .weechat, channel: String, timeZone: IANATimeZone = .current,
        replyPath: String? = nil, pollMilliseconds: Int = 250
    ) {
        self.path = path
        self.format = format
        self.channel = channel
        self.timeZone = timeZone
        self.replyPath = replyPath
        self.pollMilliseconds = pollMilliseconds
    }
}

extension LogFileChatConfiguration {
    static let pollMillisecondsRange = 10...60_000

    public init?(reading reader: ConfigurationObjectReader) {
        let context = reader.context
        let path = reader.filePath("path", required: true, hint: "give the log file, e.g. \"logs/team.log\"")
        if let path { context.checkReadableFile(path, at: reader.path(for: "path")) }
        let format = reader.choice("format", as: ChatLogFormat.self) ?? .weechat
        var channel = reader.string("channel", required: true, hint: "give the channel's name, e.g. \"#team\"")
        if let name = channel, name.isEmpty || name.contains(where: \.isWhitespace)
            || UntrustedText.containsControlCharacters(name)
        {
            reader.report("channel", "expected a channel name without spaces, such as \"#team\", got \(UntrustedText.quoted(name))")
            channel = nil
        }
        let timeZone = Self.readTimeZone(reader) ?? .current
        let replyPath = reader.filePath("reply_path")
        if let replyPath { context.checkParentFolderExists(replyPath, at: reader.path(for: "reply_path")) }
        let poll = reader.int("poll_milliseconds", range: Self.pollMillisecondsRange) ?? 250
        reader.finish()
        guard let path, let channel else { return nil }
        self.init(
            path: path, format: format, channel: channel, timeZone: timeZone, replyPath: replyPath,
            pollMilliseconds: poll)
    }

    private static func readTimeZone(_ reader: ConfigurationObjectReader) -> IANATimeZone? {
        guard let name = reader.string("timezone") else { return nil }
        if !name.isEmpty, !UntrustedText.containsControlCharacters(name), let zone = IANATimeZone(identifier: name) {
            return zone
        }
        let suggestion = ClosestMatch.suggestion(for: name, among: IANATimeZone.knownIdentifiers)
        reader.report(
            "timezone",
            "unknown time zone \(UntrustedText.quoted(name)); use an IANA name such as \"Europe/Paris\" or \"UTC\""
                + UntrustedText.didYouMean(suggestion))
        return nil
    }
}
