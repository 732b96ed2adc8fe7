#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `blog.wordpress` section of the configuration: which site, as whom, and how patiently.
///
/// ```json
/// "blog": { "kind": "wordpress",
///           "wordpress": { "url": "https://blog.example.com", "username": "author",
///                          "app_password_env": "THREADPRESS_WP_APP_PASSWORD",
///                          "request_timeout_seconds": 30, "comment_scope": "every_post" } }
/// ```
/// The configuration module reads the JSON and fills this struct (the application password from the
/// secret named by `app_password_env`); ``validationProblems()`` says what is wrong with the values.
/// `description` never shows the application password.
public struct WordPressSettings: Sendable, CustomStringConvertible {
    /// Which posts' comments the mirror asks for.
    public enum CommentScope: String, Sendable, Hashable, CaseIterable {
        /// `"every_post"`: comments on every post of the site (the default).
        case everyPost = "every_post"
        /// `"threadpress_posts"`: only comments on posts threadpress made.
        case threadpressPosts = "threadpress_posts"
    }

    /// `url`: the site's address as readers see it, `http` or `https`, e.g. `https://blog.example.com`
    /// (a site in a sub-folder keeps its path: `https://example.com/blog`). The REST API root is
    /// discovered from it; requests never leave this host.
    public var siteURL: URL
    /// `username`: the WordPress user the bot writes as (its login name). Needs a role that may
    /// publish posts and moderate comments (Editor or Administrator).
    public var username: String
    /// The application password for `username` (Users → Profile → Application Passwords), read from
    /// the environment variable named by `app_password_env`. Spaces in it are allowed.
    /// WordPress accepts application passwords over plain `http` only when the site's
    /// `WP_ENVIRONMENT_TYPE` is `local`; use `https` everywhere else.
    public var applicationPassword: String
    /// `request_timeout_seconds`: the time limit of one HTTP request, connecting included
    /// (default 30, 1…300). A request that runs out is a transient failure: the operation stays queued.
    public var requestTimeout: Duration
    /// `comment_scope`: `"every_post"` (default) or `"threadpress_posts"`.
    public var commentScope: CommentScope
    /// The `User-Agent` header, e.g. `threadpress/0.1.0` (filled by the executable with its version).
    public var userAgent: String
    /// `comment_excerpt_characters`: how many characters of a comment reach the channel (default 300,
    /// 20…2000); longer text is cut and ends with `…`.
    public var commentExcerptLimit: Int

    public init(
        siteURL: URL, username: String, applicationPassword: String, requestTimeout: Duration = .seconds(30),
        commentScope: CommentScope = .everyPost, userAgent: String = "threadpress", commentExcerptLimit: Int = 300
    ) {
        self.siteURL = siteURL
        self.username = username
        self.applicationPassword = applicationPassword
        self.requestTimeout = requestTimeout
        self.commentScope = commentScope
        self.userAgent = userAgent
        self.commentExcerptLimit = commentExcerptLimit
    }

    /// One line per problem, each naming the key and the fix; empty when the settings are usable.
    public func validationProblems() -> [String] {
        var problems: [String] = []
        let scheme = siteURL.scheme?.lowercased()
        if scheme != "http" && scheme != "https" || (siteURL.host ?? "").isEmpty {
            problems.append("url: expected an http(s) URL such as https://blog.example.com")
        }
        if siteURL.query != nil || siteURL.fragment != nil {
            problems.append("url: give the site's address without ?query or #fragment")
        }
        if siteURL.user != nil || siteURL.password != nil {
            problems.append("url: put no credentials in the URL; use username and app_password_env")
        }
        if username.trimmingSpaces().isEmpty {
            problems.append("username: expected the WordPress login name the bot writes as")
        }
        if applicationPassword.filter({ !$0.isWhitespace }).isEmpty {
            problems.append("app_password_env: the application password is empty")
        }
        if requestTimeout < .seconds(1) || requestTimeout > .seconds(300) {
            problems.append("request_timeout_seconds: expected 1…300")
        }
        if !(20...2000).contains(commentExcerptLimit) {
            problems.append("comment_excerpt_characters: expected 20…2000")
        }
        return problems
    }

    /// The site address with exactly one trailing slash, for building paths under it.
    var siteRoot: String {
        var text = siteURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text + "/"
    }

    public var description: String {
        "WordPressSettings(url: \(siteURL.absoluteString), username: \(username), applicationPassword: <redacted>, "
            + "requestTimeout: \(requestTimeout), commentScope: \(commentScope.rawValue))"
    }
}
