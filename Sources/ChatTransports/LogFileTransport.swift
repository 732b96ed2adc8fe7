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
import ThreadpressModel

/// A ``ChatTransport`` that tails a chat client's log file; replies go to standard output and,
/// optionally, a reply file.
///
/// The file is read by a ``LogFileReader`` on a dedicated thread (never on Swift's cooperative
/// pool) and events reach the stream in batches with backpressure. A log file is written by the
/// team's own client, so nicks are trusted; replies never reach the channel.
///
/// - `untilCaughtUp: true`: reads to the current end, yields ``ChatEvent/caughtUp`` and finishes.
///   A missing file is an error (`chat log not found: /path (check chat.logfile.path)`).
/// - `untilCaughtUp: false`: follows the file like `tail -F` (truncation, rotation, a missing file
///   are waited out) and yields ``ChatEvent/caughtUp`` each time a burst of new lines has been
///   delivered and the end is reached again (at least once, even for an empty or still missing
///   file). It never repeats `.caughtUp` while idle. Cancel the consuming task to stop; the thread stops with it.
///
/// ```swift
/// let transport = LogFileTransport(path: "/var/log/weechat/team.log", format: .weechat,
///                                  channel: "#team", timeZone: .current, replyPath: "replies.log")
/// for try await event in transport.events(resumingAfter: saved, untilCaughtUp: false) { … }
/// ```
///
/// Positions are those of ``LogFileReader`` (`device:inode:offset:line[:state]`).
public final class LogFileTransport: ChatTransport {
    /// `logfile:` followed by the absolute path of the log.
    public let identifier: String
    public let channel: String
    public let capabilities: ChatTransportCapabilities
    public let botNick: String
    /// The absolute path of the log.
    public let path: String
    public let format: ChatLogFormat
    public let timeZone: IANATimeZone
    /// Where replies are appended, one per line, besides `output`.
    public let replyPath: String?
    public let pollInterval: Duration
    private let output: @Sendable (String) -> Void

    public init(
        path: String, format: ChatLogFormat, channel: String, timeZone: IANATimeZone, botNick: String = "threadpress",
        replyPath: String? = nil, pollInterval: Duration = .milliseconds(250),
        output: @escaping @Sendable (String) -> Void = { print($0) }
    ) {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        self.path = PathText.standardized(absolute)
        self.identifier = "logfile:\(self.path)"
        self.format = format
        self.channel = channel
        self.timeZone = timeZone
        self.botNick = botNick
        self.replyPath = replyPath
        self.pollInterval = pollInterval
        self.output = output
        self.capabilities = ChatTransportCapabilities(trustsNicks: true, repliesReachChannel: false, maximumReplyBytes: 4096)
    }

    public func events(resumingAfter position: String?, untilCaughtUp: Bool) -> AsyncThrowingStream<ChatEvent, Error> {
        let path = path, format = format, channel = channel, timeZone = timeZone, pollInterval = pollInterval
        return ThreadedStream.make(name: "threadpress.logfile") { sink in
            let reader = try LogFileReader(
                path: path, format: format, channel: channel, timeZone: timeZone, resumingAfter: position)
            var deliveredSinceCaughtUp = true
            while true {
                let status = try reader.readAvailable { event in
                    deliveredSinceCaughtUp = true
                    try sink.yield(event)
                }
                switch status {
                case .fileMissing where untilCaughtUp:
                    throw LogFileTransportError(
                        .fileNotFound, path: path, "chat log not found: \(path) (check chat.logfile.path)")
                case .fileMissing, .caughtUp:
                    if deliveredSinceCaughtUp {
                        deliveredSinceCaughtUp = false
                        try sink.yield(.caughtUp)
                    }
                    if untilCaughtUp { return }
                }
                try sink.flush()
                try sink.pause(pollInterval)
            }
        }
    }

    /// Writes `[#team] threadpress: text` (the text made one line by ``ChatReply/wireSafe``) to
    /// `output` and appends it to the reply file, creating the file if needed.
    ///
    /// A log file has no private messages (`capabilities.privateReplies` is false, so the bot
    /// shortens long output instead); a reply that names a ``ChatReply/recipient`` anyway is
    /// written like any other, marked `[#team] threadpress (to alice): text`.
    public func send(_ reply: ChatReply) async throws {
        let addressee = reply.recipient.map { " (to \(ChatReply.oneLine($0)))" } ?? ""
        let line = "[\(ChatReply.oneLine(reply.channel))] \(ChatReply.oneLine(botNick))\(addressee): \(reply.wireSafe)"
        guard let replyPath else {
            output(line)
            return
        }
        // The file first: if it cannot be written the reply is retried later, and standard output
        // must not show it twice.
        let fd = open(replyPath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw LogFileTransportError(.replyNotWritten, path: replyPath, errno: errno, "cannot open reply file \(replyPath)")
        }
        defer { close(fd) }
        // One write(2) with O_APPEND: concurrent replies never interleave within a line.
        let bytes = Array((line + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw LogFileTransportError(.replyNotWritten, path: replyPath, errno: errno, "cannot write reply file \(replyPath)")
            }
            written += result
        }
        output(line)
    }
}
