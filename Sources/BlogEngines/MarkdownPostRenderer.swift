#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Renders a ``PostDraft`` as the text of a Jekyll post: YAML front matter, the draft's
/// ``PostDraft/intro`` (if any) as a plain paragraph, then the conversation as a block quote with one
/// paragraph per chat line.
///
/// ```
/// ---
/// title: "Deploy Friday"
/// date: 2026-11-27 09:14:00 +0100
/// layout: post
/// tags: ["ops"]
/// authors: ["alice", "bob"]
/// threadpress_id: "tp-1"
/// render_with_liquid: false
/// ---
///
/// > **alice** (09:14): shall we deploy?
/// >
/// > _\* bob hides_
/// ```
///
/// Everything taken from chat (nicks, text and the intro) goes through ``MarkdownEscaping``; front matter
/// values through ``MarkdownEscaping/frontMatterValue(_:)``. Times are shown in the draft's time
/// zone as `HH:MM`; when the conversation crosses midnight, the first line of each new day shows
/// `YYYY-MM-DD HH:MM`. Lines that are not conversation (joins, notices) are left out.
public struct MarkdownPostRenderer: Sendable {
    public init() {}

    /// The whole file: front matter dated `date` (creation time for a draft, publish time for a
    /// post), a blank line, and the body. Ends with a newline.
    public func render(_ draft: PostDraft, date: Date) -> String {
        render(draft, frontMatterDate: JekyllDate.frontMatter(date, in: draft.timeZone))
    }

    /// The whole file with `frontMatterDate` written as the `date:` value as it is (a rewrite keeps
    /// the date line of the file it replaces, byte for byte). It must be one line.
    func render(_ draft: PostDraft, frontMatterDate: String) -> String {
        frontMatter(draft, frontMatterDate: frontMatterDate) + "\n" + body(draft)
    }

    /// The front matter block, both `---` lines included.
    public func frontMatter(_ draft: PostDraft, date: Date) -> String {
        frontMatter(draft, frontMatterDate: JekyllDate.frontMatter(date, in: draft.timeZone))
    }

    private func frontMatter(_ draft: PostDraft, frontMatterDate: String) -> String {
        let tags = draft.tags.map(MarkdownEscaping.frontMatterValue).joined(separator: ", ")
        let authors = draft.authors.map(MarkdownEscaping.frontMatterValue).joined(separator: ", ")
        return """
            ---
            title: \(MarkdownEscaping.frontMatterValue(draft.title))
            date: \(frontMatterDate)
            layout: post
            tags: [\(tags)]
            authors: [\(authors)]
            threadpress_id: \(MarkdownEscaping.yamlQuoted(draft.key))
            render_with_liquid: false
            ---

            """
    }

    /// The intro paragraph (when the draft has one with visible text), a blank line, then the
    /// conversation as a block quote, paragraphs separated by blank `>` lines.
    ///
    /// The intro is untrusted chat text like the lines: escaped with
    /// ``MarkdownEscaping/multiline(_:)`` (its line breaks become `<br>`), so it stays one paragraph
    /// and can never become HTML, Liquid, a heading, a list or a quote.
    public func body(_ draft: PostDraft) -> String {
        let quotes = conversation(draft)
        guard let intro = draft.intro.map(MarkdownEscaping.multiline), !intro.isEmpty else { return quotes }
        return intro + "\n" + (quotes.isEmpty ? "" : "\n" + quotes)
    }

    /// The conversation as a block quote, paragraphs separated by blank `>` lines.
    private func conversation(_ draft: PostDraft) -> String {
        var paragraphs: [String] = []
        var previousDay: Int?
        let conversation = draft.lines.filter(\.isConversation)
        let spansDays = Set(conversation.map { draft.timeZone.localTime(of: $0.time).dayNumber }).count > 1
        for line in conversation {
            let day = draft.timeZone.localTime(of: line.time).dayNumber
            let showDay = spansDays && day != previousDay
            previousDay = day
            let time = showDay
                ? JekyllDate.day(line.time, in: draft.timeZone) + " " + JekyllDate.clock(line.time, in: draft.timeZone)
                : JekyllDate.clock(line.time, in: draft.timeZone)
            let nick = MarkdownEscaping.inline(line.sender.nick)
            let text = MarkdownEscaping.multiline(line.text)
            switch line.kind {
            case .action:
                let content = text.isEmpty ? nick : nick + " " + text
                paragraphs.append("> _\\* \(content)_ (\(time))")
            default:
                paragraphs.append(text.isEmpty ? "> **\(nick)** (\(time)):" : "> **\(nick)** (\(time)): \(text)")
            }
        }
        return paragraphs.joined(separator: "\n>\n") + (paragraphs.isEmpty ? "" : "\n")
    }
}

/// Date formats Jekyll expects, computed by hand so no locale can change them.
enum JekyllDate {
    private static func components(_ date: Date, in zone: IANATimeZone) -> LocalDateTime {
        zone.localTime(of: date)
    }

    private static func two(_ value: Int?) -> String {
        let value = value ?? 0
        return value < 10 ? "0\(value)" : "\(value)"
    }

    private static func four(_ value: Int?) -> String {
        let text = String(value ?? 0)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    /// `YYYY-MM-DD`, as in post file names.
    static func day(_ date: Date, in zone: IANATimeZone) -> String {
        let c = components(date, in: zone)
        return "\(four(c.year))-\(two(c.month))-\(two(c.day))"
    }

    /// `YYYY/MM/DD`, as in Jekyll's default permalink.
    static func permalinkDay(_ date: Date, in zone: IANATimeZone) -> String {
        day(date, in: zone).replacing("-", with: "/")
    }

    /// `HH:MM`.
    static func clock(_ date: Date, in zone: IANATimeZone) -> String {
        let c = components(date, in: zone)
        return "\(two(c.hour)):\(two(c.minute))"
    }

    /// Midnight of `day` (`YYYY-MM-DD`) in `zone`.
    static func date(ofDay day: String, in zone: IANATimeZone) -> Date? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return zone.date(from: LocalDateTime(year: parts[0], month: parts[1], day: parts[2], hour: 0, minute: 0, second: 0))
    }

    /// `YYYY-MM-DD HH:MM:SS +ZZZZ`.
    static func frontMatter(_ date: Date, in zone: IANATimeZone) -> String {
        let c = components(date, in: zone)
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return "\(day(date, in: zone)) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) \(sign)\(two(minutes / 60))\(two(minutes % 60))"
    }
}
