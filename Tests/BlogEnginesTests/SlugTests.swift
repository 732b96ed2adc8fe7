import Testing

@testable import BlogEngines

struct SlugTests {
    @Test(arguments: [
        ("Deploy Friday!", "deploy-friday"),
        ("Crème brûlée à la Straße", "creme-brulee-a-la-strasse"),
        ("Æsir øl in Łódź", "aesir-ol-in-lodz"),
        ("Привет мир", "privet-mir"),
        // Han, Kana and Hangul have no table without ICU (SlugTransliteration): the fallback slug.
        ("日本語", "conversation"),
        ("Ελληνικά γράμματα", "ellinika-grammata"),
        ("Київ і Львів", "kiyiv-i-lviv"),  // Russian-style romanisation for every Cyrillic language
        ("🎉🎉", "conversation"),
        ("", "conversation"),
        ("   ---   ", "conversation"),
        ("Don't panic: it’s fine", "dont-panic-its-fine"),
        ("C++ & Rust: a/b testing (v2.0)", "c-rust-a-b-testing-v2-0"),
        ("   Leading and trailing   ", "leading-and-trailing"),
        ("snake_case_name", "snake-case-name"),
        ("Deploy 🚀 day", "deploy-day"),
        ("ＦＵＬＬ width", "full-width"),
        (
            "The quick brown fox jumps over the lazy dog and keeps running far away",
            "the-quick-brown-fox-jumps-over-the-lazy-dog-and-keeps"
        ),
        (String(repeating: "a", count: 70), String(repeating: "a", count: 60)),
        ("<script>alert(1)</script>", "script-alert-1-script"),
        ("{{ site.title }}", "site-title"),
    ])
    func makesSlugs(title: String, expected: String) {
        let slug = Slug.make(title)
        #expect(slug == expected)
        #expect(slug.count <= Slug.maximumLength)
        #expect(Slug.isWellFormed(slug))
    }

    @Test func cutsAtAWordBoundary() {
        let slug = Slug.make(String(repeating: "word ", count: 30))
        #expect(slug.count <= 60)
        #expect(!slug.hasSuffix("-"))
        #expect(slug.split(separator: "-").allSatisfy { $0 == "word" })
    }
}
