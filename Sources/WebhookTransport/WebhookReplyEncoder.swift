#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import ThreadpressModel

/// Builds the outbound request for one reply and judges the platform's answer, with no I/O.
public struct WebhookReplyEncoder: Sendable {
    /// The default Web API method for Slack replies with a bot token.
    public static let slackPostMessageURL = "https://slack.com/api/chat.postMessage"

    public var settings: WebhookSettings

    public init(settings: WebhookSettings) {
        self.settings = settings
    }

    /// Where replies go: `reply_url`, or Slack's `chat.postMessage` when a bot token is set.
    public var url: String? {
        if settings.flavor == .slack, nonEmpty(settings.botToken) { return settings.replyURL ?? Self.slackPostMessageURL }
        return settings.replyURL
    }

    /// Extra headers (the bot token as a bearer credential).
    public var headers: [(String, String)] {
        if settings.flavor == .slack, let token = settings.botToken, !token.isEmpty { return [("Authorization", "Bearer " + token)] }
        return []
    }

    /// Where one reply goes.
    public enum Destination: Sendable, Hashable {
        /// The webhook's own channel (every reply without a recipient, and every reply when
        /// `private_replies` is off).
        case channel
        /// A direct message to this user name: the body carries `"channel": "@name"`.
        case user(String)
        /// A private reply whose recipient is not a user name: it is not posted at all (never in
        /// the channel instead).
        case refused
    }

    /// A reply with a ``ChatReply/recipient`` goes to that user when `private_replies` is on
    /// (Mattermost, Rocket.Chat); the recipient is the sender's *user name* as the outgoing webhook
    /// delivered it (`user_name`, the bot's `nick`), with or without a leading `@`.
    public func destination(of reply: ChatReply) -> Destination {
        guard let recipient = reply.recipient, settings.privateReplies, settings.flavor != .slack else { return .channel }
        return Self.userName(recipient).map { .user($0) } ?? .refused
    }

    /// `name` (a leading `@` removed) when it can only be a user name: letters, digits, `.`, `-`,
    /// `_`, at most 64 bytes. Anything else (spaces, `#channel`, control characters) is `nil`.
    static func userName(_ name: String) -> String? {
        let bare = name.hasPrefix("@") ? String(name.dropFirst()) : name
        guard !bare.isEmpty, bare.utf8.count <= 64 else { return nil }
        let allowed = bare.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                ? (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
                : (scalar.properties.isAlphabetic || scalar.properties.numericType != nil)
        }
        return allowed ? bare : nil
    }

    /// The JSON body: the neutralised text and, when the reply belongs to a thread, the flavour's
    /// thread field (Mattermost `root_id`, Rocket.Chat `tmid`, Slack `thread_ts`). A private reply
    /// (``destination(of:)`` is ``Destination/user(_:)``) carries `"channel": "@name"` and no thread
    /// field (the thread is in the channel, not in the direct message). A ``Destination/refused``
    /// reply is not posted: ``WebhookChatTransport/send(_:)`` drops it before building a body.
    public func body(for reply: ChatReply) -> String {
        var members: [(String, JSONValue)] = []
        let destination = destination(of: reply)
        if case .user(let name) = destination {
            members.append(("channel", .string("@" + name)))
        } else if settings.flavor == .slack, nonEmpty(settings.botToken), let channel = settings.channelID {
            members.append(("channel", .string(channel)))
        }
        members.append(("text", .string(WebhookMarkup.neutralize(reply.text, flavor: settings.flavor))))
        if destination == .channel, let root = reply.threadRoot, !root.isEmpty {
            switch settings.flavor {
            case .mattermost: members.append(("root_id", .string(root)))
            case .rocketchat: members.append(("tmid", .string(root)))
            case .slack: members.append(("thread_ts", .string(root)))
            }
        }
        if settings.flavor == .slack {
            // Never expand @names or unfurl links in the bot's lines.
            members.append(("link_names", .bool(false)))
            members.append(("unfurl_links", .bool(false)))
        }
        return JSONValue.object(JSONObject(members)).serialized()
    }

    /// What the platform's answer means.
    public enum Outcome: Sendable, Hashable {
        case delivered
        /// Try again after this long (429 with `Retry-After`, a 5xx, a network failure).
        case retry(after: Duration)
        /// Will not work by retrying (a 4xx: the webhook was deleted, the token revoked).
        case failed(String)
    }

    /// Judges a response; `attempt` counts from 0 and sets the backoff (0.5 s doubling).
    public func outcome(status: Int, retryAfter: String?, body: [UInt8], attempt: Int) -> Outcome {
        let backoff = Duration.milliseconds(500 * (1 << min(attempt, 6)))
        switch status {
        case 200..<300:
            // Slack's Web API answers 200 with {"ok":false,"error":…} for its own failures.
            if settings.flavor == .slack, nonEmpty(settings.botToken), let payload = try? JSONParser.parse(body),
                payload["ok"]?.bool == false {
                let error = payload["error"]?.string ?? "unknown error"
                return error == "ratelimited" ? .retry(after: backoff) : .failed("chat.postMessage refused the reply: \(error)")
            }
            return .delivered
        case 429:
            let seconds = retryAfter.flatMap { Int($0.trimmingSpaces()) }.map { min(max($0, 0), 120) }
            return .retry(after: seconds.map { .seconds($0) } ?? backoff)
        case 500..<600, 408:
            return .retry(after: backoff)
        default:
            return .failed("the \(settings.flavor.rawValue) reply URL answered HTTP \(status); check reply_url/bot_token")
        }
    }
}
