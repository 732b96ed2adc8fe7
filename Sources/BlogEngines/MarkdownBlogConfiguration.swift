import ConfigurationReading
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Settings of the Markdown folder engine (`blog.markdown`): where posts are written and how
/// they are tagged.
///
/// ```json
/// "markdown": { "directory": "site/_posts", "tags": ["chat"], "base_url": "https://blog.example.com" }
/// ```
public struct MarkdownBlogConfiguration: Sendable {
    /// Absolute path of the posts folder (`directory`, required). Created at run time if
    /// missing; its parent folder must exist when the configuration loads.
    public var directory: String
    /// Tags written into every post's front matter (`tags`, default `["chat"]`).
    public var tags: [String]
    /// The published site's address, used only to show links in chat (`base_url`, optional,
    /// an http(s) URL, as written).
    public var baseURL: String?

    public init(directory: String, tags: [String] = ["chat"], baseURL: String? = nil) {
        self.directory = directory
        self.tags = tags
        self.baseURL = baseURL
    }
}

extension MarkdownBlogConfiguration {
    public init?(reading reader: ConfigurationObjectReader) {
        let context = reader.context
        let directory = reader.filePath("directory", required: true, hint: "give the posts folder, e.g. \"blog/_posts\"")
        if let directory {
            switch context.kind(of: directory) {
            case .folder: break
            case .missing: context.checkParentFolderExists(directory, at: reader.path(for: "directory"))
            case .regularFile, .other: reader.report("directory", "\(directory) is not a folder")
            }
        }
        var tags = ["chat"]
        if let given = reader.strings("tags") {
            tags = given
            for (index, tag) in given.enumerated()
            where tag.trimmingSpaces().isEmpty || UntrustedText.containsControlCharacters(tag) {
                context.report(
                    reader.path(for: "tags") + "[\(index)]",
                    "expected a tag such as \"chat\", got \(UntrustedText.quoted(tag))")
            }
        }
        var baseURL = reader.string("base_url")
        if let text = baseURL, !Self.isWebURL(text) {
            reader.report("base_url", "expected an http(s) URL such as \"https://blog.example.com\", got \(UntrustedText.quoted(text))")
            baseURL = nil
        }
        reader.finish()
        guard let directory else { return nil }
        self.init(directory: directory, tags: tags, baseURL: baseURL)
    }

    static func isWebURL(_ text: String) -> Bool {
        guard !UntrustedText.containsControlCharacters(text), !text.contains(where: \.isWhitespace),
            let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return false }
        return true
    }
}
