import BlogEngines
import WordPressBlog
import ConfigurationReading
/// Which blog engine threadpress publishes to, with its settings (`blog.kind` in the file).
///
/// `"markdown"` (a Jekyll folder, the embedded default) or `"wordpress"` (REST API).
public enum BlogConfiguration: Sendable {
    /// Write Markdown files with front matter into a folder (`"kind": "markdown"`).
    case markdown(MarkdownBlogConfiguration)
    /// Publish through a WordPress site's REST API with an application password (`"kind": "wordpress"`).
    case wordpress(WordPressSettings)
}

extension BlogConfiguration {
    static let availableKinds = ["markdown", "wordpress"]
    static let plannedKinds: [String] = []

    init?(reading reader: ConfigurationObjectReader) {
        let kinds = [
            ConfigurationObjectReader.Kind(
                name: "markdown", hint: "add \"markdown\": { \"directory\": … }",
                read: { MarkdownBlogConfiguration(reading: $0).map(BlogConfiguration.markdown) }),
            ConfigurationObjectReader.Kind(
                name: "wordpress",
                hint: "add \"wordpress\": { \"url\": \"https://blog.example.com\", \"username\": …, \"app_password_env\": … }",
                read: { WordPressSettings(reading: $0).map(BlogConfiguration.wordpress) }),
        ]
        guard let result = reader.selectKind("blog engine", available: kinds, planned: Self.plannedKinds) else {
            return nil
        }
        self = result
    }
}
