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
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).makeIterator()
        guard let first = lines.next(), first.trimmingSuffixCR() == "---" else { return nil }
        while let raw = lines.next() {
            let line = raw.trimmingSuffixCR()
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

extension Substring {
    fileprivate func trimmingSuffixCR() -> Substring { hasSuffix("\r") ? dropLast() : self }
}
