import BlogEngines
import ConfigurationReading
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
        let kinds = [
            ConfigurationObjectReader.Kind(
                name: "markdown", hint: "add \"markdown\": { \"directory\": … }",
                read: { MarkdownBlogConfiguration(reading: $0).map(BlogConfiguration.markdown) }),
        ]
        guard let result = reader.selectKind("blog engine", available: kinds, planned: Self.plannedKinds) else {
            return nil
        }
        self = result
    }
}
