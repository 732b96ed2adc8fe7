import ConfigurationReading
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension WordPressSettings {
    /// Reads the `blog.wordpress` section, reporting every problem with its JSON path (and never
    /// quoting the application password):
    ///
    /// ```json
    /// "wordpress": { "url": "https://blog.example.com", "username": "author",
    ///                "app_password_env": "THREADPRESS_WP_APP_PASSWORD" }
    /// ```
    /// `app_password` may also be given as `app_password_file` or (not recommended) `app_password`.
    /// `userAgent` is not read: the executable sets it to `threadpress/<version>`. Which posts' comments
    /// are mirrored and how much of each is shown are the general `comments.scope` and
    /// `comments.excerpt_characters` settings.
    public init?(reading reader: ConfigurationObjectReader) {
        let urlText = reader.string("url", required: true, hint: "give the blog's address, e.g. \"https://blog.example.com\"")
        var siteURL: URL?
        if let urlText {
            let candidate = URL(string: urlText)
            let scheme = candidate?.scheme?.lowercased()
            if let candidate, scheme == "http" || scheme == "https", !(candidate.host ?? "").isEmpty,
               !UntrustedText.containsControlCharacters(urlText), !urlText.contains(where: \.isWhitespace)
            {
                siteURL = candidate
            } else {
                reader.report("url", "expected an http(s) URL such as \"https://blog.example.com\", got \(UntrustedText.quoted(urlText))")
            }
        }
        let username = reader.string("username", required: true, hint: "give the WordPress login the bot writes as")
        let password = reader.secret("app_password", required: true)
        let timeout = reader.int("request_timeout_seconds", range: 1...300) ?? 30
        // Mirroring is the same for every engine: these belong to the `comments` section.
        for (key, general) in [("comment_scope", "comments.scope"), ("comment_excerpt_characters", "comments.excerpt_characters")]
        where reader.isPresent(key) {
            reader.allow(key)
            reader.report(key, "not a WordPress setting; use \(general), which applies to every blog engine")
        }
        guard let siteURL, let username, let password else {
            reader.finish()
            return nil
        }
        self.init(
            siteURL: siteURL, username: username, applicationPassword: password.value, requestTimeout: .seconds(timeout),
            commentScope: .everyPost, commentExcerptLimit: 300)
        // What the types above cannot say (a query in the URL, a blank user name…), on the same paths.
        for problem in validationProblems() {
            let key = String(problem.prefix { $0 != ":" })
            let message = problem.dropFirst(key.count + 1).trimmingSpaces()
            reader.report(key, message)
        }
        reader.finish()
        if !validationProblems().isEmpty { return nil }
    }
}
