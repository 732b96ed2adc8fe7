/// Just enough YAML front matter reading to find the `threadpress_id` of an existing file.
enum FrontMatter {
    /// Whether `bytes` (the start of a file) already hold the whole front matter, or show there is
    /// none, so reading can stop.
    static func isClosed(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("---") else { return bytes.count >= 3 }
        return text.contains("\n---") || text.contains("\n...")
    }

    /// The `threadpress_id` in the front matter at the start of `bytes`, if any.
    static func threadpressID(in bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        // Split the scalars: "\r\n" is one Character, so a CRLF file holds no "\n" Character.
        var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
        guard let first = lines.next(), Substring(first).trimmingSuffixCR() == "---" else { return nil }
        while let raw = lines.next() {
            let line = Substring(raw).trimmingSuffixCR()
            if line == "---" || line == "..." { break }
            let prefix = "threadpress_id:"
            if line.hasPrefix(prefix) {
                let value = MarkdownEscaping.yamlScalar(line.dropFirst(prefix.count))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }
}

extension FrontMatter {
    /// The `date:` value of the front matter at the start of `text` exactly as written (spaces
    /// around it trimmed), if there is one.
    static func dateValue(in text: String) -> Substring? {
        guard let range = dateLineRange(in: text) else { return nil }
        let line = Substring(text.unicodeScalars[range]).trimmingSuffixCR()
        let value = line.dropFirst("date:".count).drop { $0 == " " || $0 == "\t" }
        var trimmed = value
        while let last = trimmed.last, last == " " || last == "\t" { trimmed.removeLast() }
        return trimmed.isEmpty ? nil : trimmed
    }

    /// `text` with its front matter's `date:` line replaced by `date: <value>` (a CR ending kept),
    /// or `nil` when it has no front matter or no `date:` line there.
    static func replacingDate(in text: String, with value: String) -> String? {
        guard let range = dateLineRange(in: text) else { return nil }
        let ending = text.unicodeScalars[range].last == "\r" ? "\r" : ""
        var result = text
        result.unicodeScalars.replaceSubrange(range, with: "date: \(value)\(ending)".unicodeScalars)
        return result
    }

    /// The range of the front matter's `date:` line, its `\n` excluded.
    private static func dateLineRange(in text: String) -> Range<String.Index>? {
        var start = text.startIndex
        var isFirst = true
        while start < text.endIndex {
            // Bytes, not characters: "\r\n" is one Character and holds no "\n" Character.
            let end = text.utf8[start...].firstIndex(of: UInt8(ascii: "\n")) ?? text.endIndex
            let line = Substring(text.unicodeScalars[start..<end]).trimmingSuffixCR()
            if isFirst {
                guard line == "---" else { return nil }
                isFirst = false
            } else if line == "---" || line == "..." {
                return nil
            } else if line.hasPrefix("date:") {
                return start..<end
            }
            guard end < text.endIndex else { return nil }
            start = text.index(after: end)
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingSuffixCR() -> Substring {
        unicodeScalars.last == "\r" ? Substring(unicodeScalars.dropLast()) : self
    }
}
