import ThreadpressModel

/// Makes bot text inert on the platform: nothing in a reply (a reader's comment, a post title) can
/// ping a channel or smuggle a link.
///
/// - Every flavour: `@here`, `@channel`, `@all`, `@everyone` get a WORD JOINER (U+2060) after the
///   `@`, so the text still reads the same but is no mention.
/// - Slack: `&`, `<` and `>` are escaped as Slack documents
///   (https://api.slack.com/reference/surfaces/formatting#escaping), which disarms `<!channel>`,
///   `<!here>`, `<@U123>` and `<https://evil|harmless text>`.
///
/// Control characters are already gone: the text is ``ChatReply/wireSafe`` first.
public enum WebhookMarkup {
    static let broadcastNames = ["here", "channel", "all", "everyone"]

    public static func neutralize(_ text: String, flavor: WebhookFlavor) -> String {
        var output = ChatReply.oneLine(text)
        if flavor == .slack {
            output = output.replacing("&", with: "&amp;").replacing("<", with: "&lt;")
                .replacing(">", with: "&gt;")
        }
        return disarmBroadcasts(output)
    }

    static func disarmBroadcasts(_ text: String) -> String {
        guard text.contains("@") else { return text }
        var result = ""
        var rest = Substring(text)
        while let at = rest.firstIndex(where: { $0 == "@" || $0 == "＠" }) {
            result += rest[..<at]
            result.append(rest[at])
            let after = rest[rest.index(after: at)...]
            let word = after.prefix { $0.isLetter }
            if broadcastNames.contains(word.lowercased()) { result += "\u{2060}" }
            rest = after
        }
        return result + rest
    }
}
