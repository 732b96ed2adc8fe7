import ThreadpressModel

/// Shapes untrusted chat text for the places the workflow puts it (titles, excerpts).
public enum ChatTextNormalizer {
    /// One line, no control characters, at most `maximumLength` characters (cut at a word
    /// boundary when one is near, with "…").
    public static func title(_ text: String, maximumLength: Int) -> String {
        excerpt(text, maximumLength: maximumLength)
    }

    /// One line of plain text of at most `maximumLength` characters, ending in "…" when cut.
    public static func excerpt(_ text: String, maximumLength: Int) -> String {
        let line = ChatReply.oneLine(text)
        guard line.count > maximumLength else { return line }
        var cut = String(line.prefix(maximumLength - 1))
        if let space = cut.lastIndex(of: " "), cut.distance(from: space, to: cut.endIndex) < 20 {
            cut = String(cut[..<space])
        }
        return cut + "…"
    }
}
