/// Which blog engine threadpress publishes to, with its settings (`blog.kind` in the file).
///
/// Only the Markdown folder engine exists in this version; `"wordpress"` is recognised and
/// rejected with a message saying so.
public enum BlogConfiguration: Sendable {
    /// Write Markdown files with front matter into a folder (`"kind": "markdown"`).
    case markdown(MarkdownBlogConfiguration)
}

extension BlogConfiguration {
    static let availableKinds = ["markdown"]
    static let plannedKinds = ["wordpress"]

    init?(reading reader: ConfigurationObjectReader) {
        let kind = reader.string("kind", required: true, hint: "set it to \"markdown\"")
        reader.allow(contentsOf: Self.availableKinds + Self.plannedKinds)
        var result: BlogConfiguration?
        switch kind {
        case nil:
            break
        case "markdown":
            result = reader.object("markdown", required: true, hint: "add \"markdown\": { \"directory\": … }")
                .flatMap(MarkdownBlogConfiguration.init(reading:))
                .map(BlogConfiguration.markdown)
        case let kind? where Self.plannedKinds.contains(kind):
            reader.report("kind", "the \"\(kind)\" blog engine is not available yet; use \"markdown\"")
        case let kind?:
            reader.report(
                "kind",
                "unknown blog engine \(UntrustedText.quoted(kind)); this version supports \"markdown\""
                    + UntrustedText.didYouMean(
                        ClosestMatch.suggestion(for: kind, among: Self.availableKinds + Self.plannedKinds)))
        }
        for planned in Self.plannedKinds where planned != kind {
            reader.ignoreObject(planned)
        }
        reader.finish()
        guard let result else { return nil }
        self = result
    }
}
