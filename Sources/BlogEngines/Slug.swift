#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Makes the URL slug of a post from its title: ASCII, lowercase, words joined by `-`.
///
/// Latin, Greek and Cyrillic letters are transliterated (`Crème brûlée` → `creme-brulee`,
/// `Привет мир` → `privet-mir`; see ``SlugTransliteration``; other scripts are dropped), apostrophes vanish (`don't` → `dont`), anything else that is not
/// a letter or digit separates words, and the result is cut at a word boundary to at most
/// ``maximumLength`` characters. A title with nothing usable (emoji only) gives ``fallback``.
///
/// ```swift
/// Slug.make("Deploy Friday!")   // "deploy-friday"
/// Slug.make("🎉🎉")             // "conversation"
/// ```
public enum Slug {
    /// The longest slug ``make(_:maximumLength:)`` returns by default.
    public static let maximumLength = 60
    /// The slug of a title with no usable characters.
    public static let fallback = "conversation"

    /// The slug for `title`.
    public static func make(_ title: String, maximumLength: Int = Slug.maximumLength) -> String {
        let latin = SlugTransliteration.ascii(title)
        var words: [String] = []
        var current = ""
        for scalar in latin.unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9":
                current.unicodeScalars.append(scalar)
            case "A"..."Z":
                current.unicodeScalars.append(Unicode.Scalar(scalar.value + 32)!)
            case "'", "\u{2019}", "\u{2018}", "\u{02BC}":
                continue  // "don't" is one word
            default:
                if !current.isEmpty { words.append(current) }
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }

        var slug = ""
        for word in words {
            let candidate = slug.isEmpty ? word : slug + "-" + word
            if candidate.count <= maximumLength {
                slug = candidate
            } else {
                // A single over-long first word is cut hard; otherwise stop at the last boundary.
                if slug.isEmpty { slug = String(word.prefix(maximumLength)) }
                break
            }
        }
        return slug.isEmpty ? fallback : slug
    }

    /// Whether `slug` is something ``make(_:maximumLength:)`` (plus a `-N` suffix) could have
    /// produced: safe to use as a file name and a URL path segment.
    static func isWellFormed(_ slug: String) -> Bool {
        !slug.isEmpty && slug.count <= 200 && !slug.hasPrefix("-") && !slug.hasSuffix("-")
            && slug.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
