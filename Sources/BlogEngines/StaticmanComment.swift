import Foundation
import ThreadpressModel

/// Reads one Staticman comment file (JSON) into a ``BlogComment``.
///
/// Fields: `name`, `message` (required), `date` (required: unix seconds or milliseconds, as a
/// number or a digit string, or ISO 8601), `url` (optional, kept only when http/https), `_id`
/// (optional), `type` (optional: `pingback`/`trackback`; anything else is a comment). `email` and
/// any other field are ignored. Staticman only writes a file once the comment is merged, so every
/// comment is ``BlogComment/Status/approved``.
///
/// The id is `_id` when present, otherwise `<slug>/<file name without .json>`: stable when the file
/// is touched or rewritten, and unique across posts (a bare file name such as `1.json` could repeat
/// under another post and be taken for a comment already mirrored).
enum StaticmanComment {
    struct Problem: Error, Equatable {
        var reason: String
    }

    static func parse(_ data: Data, fileStem: String, slug: String) -> Result<BlogComment, Problem> {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            return .failure(Problem(reason: "not valid JSON"))
        }
        guard let fields = object as? [String: Any] else {
            return .failure(Problem(reason: "expected a JSON object"))
        }
        guard let rawMessage = fields["message"] as? String else {
            return .failure(Problem(reason: "no \"message\" string"))
        }
        guard let rawDate = fields["date"] else {
            return .failure(Problem(reason: "no \"date\""))
        }
        guard let date = parseDate(rawDate) else {
            return .failure(Problem(reason: "\"date\" is neither unix seconds nor ISO 8601: \(rawDate)"))
        }
        let name = (fields["name"] as? String).map(PlainText.fromHTML) ?? ""
        let id: String
        switch fields["_id"] {
        case let text as String where !text.isEmpty: id = text
        case let number as NSNumber where !isBoolean(number): id = number.stringValue
        default: id = "\(slug)/\(fileStem)"
        }
        let kind: BlogComment.Kind
        switch (fields["type"] as? String)?.lowercased() {
        case "pingback": kind = .pingback
        case "trackback": kind = .trackback
        default: kind = .comment
        }
        var url: String?
        if let text = (fields["url"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines),
            let scheme = URL(string: text)?.scheme?.lowercased(), scheme == "http" || scheme == "https"
        {
            url = text
        }
        return .success(
            BlogComment(
                id: id, kind: kind, status: .approved, authorName: name.isEmpty ? "anonymous" : name,
                authorURL: url, text: PlainText.fromHTML(rawMessage), date: date))
    }

    /// Whether JSON gave `true`/`false` (`is Bool` also matches the numbers 0 and 1 on Linux).
    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    /// Unix seconds (or milliseconds, for values past the year 5000) as a number or digit string,
    /// or ISO 8601 with or without fractional seconds.
    static func parseDate(_ value: Any) -> Date? {
        func fromEpoch(_ number: Double) -> Date? {
            guard number.isFinite, number >= 0 else { return nil }
            return Date(timeIntervalSince1970: number >= 1e11 ? number / 1000 : number)
        }
        switch value {
        case let number as NSNumber where !isBoolean(number):
            return fromEpoch(number.doubleValue)
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let number = Double(trimmed)
            {
                return fromEpoch(number)
            }
            if let date = try? Date(trimmed, strategy: .iso8601) { return date }
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            return formatter.date(from: trimmed)
        default:
            return nil
        }
    }
}

/// Turns HTML (or text that may hold some) into plain text: tags removed, `<script>`/`<style>`
/// content dropped, `<br>` and block ends as line breaks, entities decoded.
enum PlainText {
    static func fromHTML(_ html: String) -> String {
        let scalars = Array(html.unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        var skippingUntil: String?  // inside <script> or <style>
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "<", let tag = tagAt(scalars, index) {
                index = tag.end
                if let closing = skippingUntil {
                    if tag.isClosing && tag.name == closing { skippingUntil = nil }
                    continue
                }
                if !tag.isClosing && (tag.name == "script" || tag.name == "style") {
                    skippingUntil = tag.name
                } else if tag.name == "br" || (tag.isClosing && ["p", "div", "li", "blockquote"].contains(tag.name)) {
                    out.append("\n")
                }
                continue
            }
            index += 1
            if skippingUntil == nil { out.append(scalar) }
        }
        let decoded = decodeEntities(String(out))
        // Trim each line's end and collapse runs of blank lines.
        var lines: [Substring] = []
        for line in decoded.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.replacingOccurrences(of: "\r", with: "")[...]
            let cut = trimmed.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
            let value = Substring(String(cut))
            if value.isEmpty, lines.last?.isEmpty == true { continue }
            lines.append(value)
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private struct Tag {
        var name: String
        var isClosing: Bool
        var end: Int
    }

    /// A tag (`<b>`, `</p>`, `<br/>`, `<!-- … -->`, `<!doctype …>`) starting at `start`, or `nil`
    /// when the `<` is just text (`a < b`).
    private static func tagAt(_ scalars: [Unicode.Scalar], _ start: Int) -> Tag? {
        var index = start + 1
        guard index < scalars.count else { return nil }
        if scalars[index] == "!" {
            // Comment or declaration: up to "-->" or ">".
            let isComment = index + 2 < scalars.count && scalars[index + 1] == "-" && scalars[index + 2] == "-"
            var cursor = index + 1
            while cursor < scalars.count {
                if isComment {
                    if cursor + 2 < scalars.count, scalars[cursor] == "-", scalars[cursor + 1] == "-", scalars[cursor + 2] == ">" {
                        return Tag(name: "!", isClosing: false, end: cursor + 3)
                    }
                } else if scalars[cursor] == ">" {
                    return Tag(name: "!", isClosing: false, end: cursor + 1)
                }
                cursor += 1
            }
            return Tag(name: "!", isClosing: false, end: scalars.count)
        }
        let isClosing = scalars[index] == "/"
        if isClosing { index += 1 }
        guard index < scalars.count, scalars[index].properties.isAlphabetic, scalars[index].isASCII else { return nil }
        var name = ""
        while index < scalars.count, scalars[index].isASCII,
            scalars[index].properties.isAlphabetic || ("0"..."9").contains(scalars[index])
        {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        // Skip attributes, honouring quotes, up to '>'.
        var quote: Unicode.Scalar?
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if let open = quote {
                if scalar == open { quote = nil }
            } else if scalar == "\"" || scalar == "'" {
                quote = scalar
            } else if scalar == ">" {
                return Tag(name: name.lowercased(), isClosing: isClosing, end: index)
            }
        }
        return nil  // never closed: treat the '<' as text
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "#39": "'",
        "hellip": "…", "mdash": "—", "ndash": "–", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
        "copy": "©", "reg": "®", "trade": "™",
    ]

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = text[...]
        while let ampersand = rest.firstIndex(of: "&") {
            out += rest[..<ampersand]
            let after = rest[rest.index(after: ampersand)...]
            if let semicolon = after.prefix(12).firstIndex(of: ";") {
                let entity = after[..<semicolon]
                if let value = decodeEntity(entity) {
                    out += value
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            out += "&"
            rest = after
        }
        return out + rest
    }

    private static func decodeEntity(_ entity: Substring) -> String? {
        if let value = named[String(entity)] { return value }
        guard entity.hasPrefix("#") else { return nil }
        let digits = entity.dropFirst()
        let number: UInt32?
        if digits.hasPrefix("x") || digits.hasPrefix("X") {
            number = UInt32(digits.dropFirst(), radix: 16)
        } else {
            number = UInt32(digits, radix: 10)
        }
        guard let number, number != 0, let scalar = Unicode.Scalar(number) else { return nil }
        return String(Character(scalar))
    }
}
