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

    /// The JSON body: the neutralised text and, when the reply belongs to a thread, the flavour's
    /// thread field (Mattermost `root_id`, Rocket.Chat `tmid`, Slack `thread_ts`).
    public func body(for reply: ChatReply) -> String {
        var members: [(String, JSONValue)] = []
        if settings.flavor == .slack, nonEmpty(settings.botToken), let channel = settings.channelID {
            members.append(("channel", .string(channel)))
        }
        members.append(("text", .string(WebhookMarkup.neutralize(reply.text, flavor: settings.flavor))))
        if let root = reply.threadRoot, !root.isEmpty {
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
