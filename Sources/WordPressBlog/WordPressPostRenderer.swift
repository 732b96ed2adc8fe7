import BlogEngines
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Renders a draft as block-editor HTML for WordPress: one quote block per run of lines by the same
/// speaker (its paragraphs are the lines, its citation the speaker and the time), preceded by the
/// idempotency marker `<!-- threadpress:KEY -->` in a Custom HTML block and by the draft's
/// ``PostDraft/intro``, if any, as a paragraph block.
///
/// ```html
/// <!-- wp:html -->
/// <!-- threadpress:tp-3f9c -->
/// <!-- /wp:html -->
///
/// <!-- wp:quote -->
/// <blockquote class="wp-block-quote"><!-- wp:paragraph -->
/// <p>shall we ship &lt;b&gt;it&lt;/b&gt;?</p>
/// <!-- /wp:paragraph --><cite>alice, 09:14</cite></blockquote>
/// <!-- /wp:quote -->
/// ```
/// Every piece of chat text (the intro too) is HTML-escaped (`& < > " '`) and stripped of control characters, so a
/// line of chat never becomes live HTML, a script or a block delimiter: an administrator's post keeps
/// `<script>` verbatim, so escaping is the bot's job. Lines spanning several days show the date too.
public struct WordPressPostRenderer: Sendable {
    public init() {}

    /// The marker that ``WordPressEngine/find(key:)`` searches for.
    public static func marker(forKey key: String) -> String { "<!-- \(searchTerm(forKey: key)) -->" }

    /// The text searched for with `search=`: `threadpress:KEY`, the key limited to `[A-Za-z0-9._-]`
    /// (anything else percent-encoded) so it cannot end the comment or split the search term.
    public static func searchTerm(forKey key: String) -> String {
        var safe = ""
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"):
                safe.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "-") where !safe.isEmpty:  // a leading '-' would make a search exclusion
                safe.append("-")
            default:
                safe += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return "threadpress:" + safe
    }

    /// The post title, escaped (WordPress shows titles as HTML).
    public func title(for draft: PostDraft) -> String {
        Self.escape(CommentText.plain(fromText: draft.title, limit: 200))
    }

    /// The post content: the marker, the intro paragraph (when it has visible text), then one quote
    /// block per speaker run.
    public func content(for draft: PostDraft) -> String {
        var blocks = ["<!-- wp:html -->\n\(Self.marker(forKey: draft.key))\n<!-- /wp:html -->"]
        if let intro = draft.intro.map(Self.introParagraph), !intro.isEmpty {
            blocks.append("<!-- wp:paragraph -->\n<p>\(intro)</p>\n<!-- /wp:paragraph -->")
        }
        let zone = draft.timeZone
        let conversation = draft.lines.filter(\.isConversation)
        let spansDays = Set(conversation.map { zone.localTime(of: $0.time).dayNumber }).count > 1
        var index = 0
        while index < conversation.count {
            let speaker = conversation[index].sender.nick
            var end = index
            while end < conversation.count, conversation[end].sender.nick == speaker { end += 1 }
            let run = conversation[index..<end]
            let paragraphs = run.map { line -> String in
                let text = Self.escapeMultiline(line.text)
                let inner = line.kind == .action
                    ? "<em>* \(Self.escape(Self.clean(speaker)))\(text.isEmpty ? "" : " " + text)</em>" : text
                return "<!-- wp:paragraph -->\n<p>\(inner)</p>\n<!-- /wp:paragraph -->"
            }
            let first = run.first!.time
            let time = spansDays ? Self.day(first, zone) + " " + Self.clock(first, zone) : Self.clock(first, zone)
            blocks.append(
                "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\">"
                    + paragraphs.joined(separator: "\n\n")
                    + "<cite>\(Self.escape(Self.clean(speaker))), \(time)</cite></blockquote>\n<!-- /wp:quote -->")
            index = end
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// Escapes the five characters that matter in HTML text and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#039;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The intro's text for its paragraph: like a chat line, with blank lines at either end dropped;
    /// empty when nothing visible is left.
    static func introParagraph(_ intro: String) -> String {
        let normalized = intro.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
            .map { escape(clean(String($0))).trimmingSpaces() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        return lines.joined(separator: "<br>")
    }

    /// A chat line with its own line breaks kept as `<br>`, everything else escaped and cleaned.
    static func escapeMultiline(_ text: String) -> String {
        let normalized = text.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
        return normalized.split(separator: "\n", omittingEmptySubsequences: false)
            .map { escape(clean(String($0))) }
            .joined(separator: "<br>")
    }

    /// One line without control characters or IRC formatting (never cut: a post keeps every word).
    static func clean(_ text: String) -> String {
        CommentText.plain(fromText: text, limit: Int.max)
    }

    private static func clock(_ date: Date, _ zone: IANATimeZone) -> String {
        let parts = zone.localTime(of: date)
        return String(parts.hour).leftPadded(to: 2) + ":" + String(parts.minute).leftPadded(to: 2)
    }

    private static func day(_ date: Date, _ zone: IANATimeZone) -> String {
        let parts = zone.localTime(of: date)
        return String(parts.year).leftPadded(to: 4) + "-" + String(parts.month).leftPadded(to: 2) + "-"
            + String(parts.day).leftPadded(to: 2)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
