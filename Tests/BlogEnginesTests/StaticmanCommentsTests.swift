import BlogEngines
import Foundation
import Testing
import ThreadpressModel
import ThreadpressTesting

struct StaticmanCommentsTests {
    let post = PostReference(
        remoteID: "_posts/2026-11-28-deploy-friday.md", location: "_posts/2026-11-28-deploy-friday.md",
        slug: "deploy-friday", status: .published)

    /// Comment files as Staticman writes them (its `date` transform can give unix seconds,
    /// milliseconds or ISO 8601), and the date each stands for.
    @Test(arguments: [
        (#"{"_id":"a","name":"ann","message":"hi","date":1764320400}"#, "2025-11-28T09:00:00Z"),
        (#"{"_id":"a","name":"ann","message":"hi","date":"1764320400"}"#, "2025-11-28T09:00:00Z"),
        (#"{"_id":"a","name":"ann","message":"hi","date":1764320400000}"#, "2025-11-28T09:00:00Z"),
        (#"{"_id":"a","name":"ann","message":"hi","date":"2025-11-28T09:00:00Z"}"#, "2025-11-28T09:00:00Z"),
        (#"{"_id":"a","name":"ann","message":"hi","date":"2025-11-28T10:00:00+01:00"}"#, "2025-11-28T09:00:00Z"),
        (#"{"_id":"a","name":"ann","message":"hi","date":"2025-11-28T09:00:00.000Z"}"#, "2025-11-28T09:00:00Z"),
    ])
    func readsEveryStaticmanDateFormat(json: String, expected: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("_data/comments/deploy-friday/entry1.json", json)
        let engine = MarkdownFolderEngine(directory: folder.path)

        let page = try await engine.comments(on: post, after: nil)

        #expect(page.comments.map(\.date) == [utc(expected)])
        #expect(page.cursor == expected)
    }

    @Test func listsCommentsByDateThenIDWithStaticmanIDsOrFileNames() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write(
            "_data/comments/deploy-friday/entry1764320400000.json",
            #"{"_id":"5f1c-uuid","name":"ann","email":"ann@example.com","url":"https://ann.example","message":"first!","date":1764320400}"#)
        try folder.write(
            "_data/comments/deploy-friday/zz.json",
            #"{"name":"bob","message":"same second","date":"1764320400"}"#)
        try folder.write(
            "_data/comments/deploy-friday/aa.json",
            #"{"name":"cy","message":"later","date":"2025-11-29T00:00:00Z","url":"javascript:alert(1)"}"#)
        try folder.write("_data/comments/other-post/x.json", #"{"name":"dee","message":"elsewhere","date":1}"#)
        let engine = MarkdownFolderEngine(directory: folder.path)

        let page = try await engine.comments(on: post, after: nil)

        #expect(page.comments == [
            BlogComment(id: "5f1c-uuid", authorName: "ann", authorURL: "https://ann.example", text: "first!", date: utc("2025-11-28T09:00:00Z"),
                postID: "_posts/2026-11-28-deploy-friday.md"),
            BlogComment(id: "deploy-friday/zz", authorName: "bob", text: "same second", date: utc("2025-11-28T09:00:00Z"),
                postID: "_posts/2026-11-28-deploy-friday.md"),
            BlogComment(id: "deploy-friday/aa", authorName: "cy", text: "later", date: utc("2025-11-29T00:00:00Z"),
                postID: "_posts/2026-11-28-deploy-friday.md"),
        ])
        #expect(page.comments.allSatisfy { $0.kind == .comment && $0.status == .approved })
        #expect(page.cursor == "2025-11-29T00:00:00Z")
    }

    @Test func cursorDoesNotHideCommentsMergedLate() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("_data/comments/deploy-friday/old.json", #"{"name":"a","message":"m","date":100}"#)
        let engine = MarkdownFolderEngine(directory: folder.path)

        let page = try await engine.comments(on: post, after: "2030-01-01T00:00:00Z")

        #expect(page.comments.map(\.id) == ["deploy-friday/old"])
    }

    @Test func malformedFilesAreSkippedWithAWarning() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let files = [
            "broken.json": #"{"name":"a","message":"#,
            "array.json": #"["not", "an", "object"]"#,
            "nomessage.json": #"{"name":"a","date":1}"#,
            "nodate.json": #"{"name":"a","message":"m"}"#,
            "baddate.json": #"{"name":"a","message":"m","date":"last tuesday"}"#,
            "booldate.json": #"{"name":"a","message":"m","date":true}"#,
            "entry.yml": "name: a\n",
            "good.json": #"{"message":"fine","date":1}"#,
            "notes.txt": "ignored quietly",
        ]
        for (name, text) in files { try folder.write("_data/comments/deploy-friday/\(name)", text) }
        let log = WarningLog()
        let engine = MarkdownFolderEngine(directory: folder.path, onWarning: log.sink)

        let page = try await engine.comments(on: post, after: nil)

        #expect(page.comments.map(\.id) == ["deploy-friday/good"])
        #expect(page.comments.first?.authorName == "anonymous")
        #expect(log.all.count == 7)
        for name in ["broken", "array", "nomessage", "nodate", "baddate", "booldate", "entry.yml"] {
            #expect(log.all.contains { $0.contains("/_data/comments/deploy-friday/\(name)") }, "\(name)")
        }
    }

    @Test func touchingOrRewritingAFileKeepsItsID() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("_data/comments/deploy-friday/c1.json", #"{"name":"a","message":"m","date":1}"#)
        try folder.write("_data/comments/deploy-friday/c2.json", #"{"_id":"id-2","name":"b","message":"m","date":2}"#)
        let engine = MarkdownFolderEngine(directory: folder.path)
        let before = try await engine.comments(on: post, after: nil)

        try folder.write("_data/comments/deploy-friday/c1.json", "{\n  \"date\": 1, \"message\": \"m\", \"name\": \"a\"\n}\n")
        try folder.write("_data/comments/deploy-friday/c2.json", #"{"name":"b","message":"m","date":2,"_id":"id-2"}"#)
        try FileManager.default.setAttributes(
            [.modificationDate: Date()], ofItemAtPath: folder.path("_data/comments/deploy-friday/c1.json"))
        let after = try await engine.comments(on: post, after: nil)

        #expect(before.comments.map(\.id) == ["deploy-friday/c1", "id-2"])
        #expect(after == before)
    }

    @Test(arguments: [
        ("<p>Hello <b>world</b> &amp; friends</p><script>alert(1)</script><p>bye &lt;3</p>", "Hello world & friends bye <3"),
        ("a < b and c > d", "a < b and c > d"),
        ("line<br>next<br/>last", "line next last"),
        ("<a href=\"https://x.example\" title='a > b'>link</a>", "link"),
        ("<!-- hidden -->shown", "shown"),
        ("&#128512; &#x1F600; &quot;q&quot; &nbsp;x &unknown;", "😀 😀 \"q\" x &unknown;"),
        ("<style>p{}</style>**markdown stays**", "**markdown stays**"),
        ("  spaced  \n\n\n\nout  ", "spaced out"),
    ])
    /// Comment files go through the same cleaner as WordPress comments (`CommentText`): one line of
    /// plain text, tags and their line breaks folded into spaces.
    func commentHTMLBecomesPlainText(message: String, expected: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let json = try JSONSerialization.data(withJSONObject: ["name": "<i>ann</i>", "message": message, "date": 1])
        try folder.write("_data/comments/deploy-friday/c.json", String(decoding: json, as: UTF8.self))
        let engine = MarkdownFolderEngine(directory: folder.path)

        let comment = try #require(try await engine.comments(on: post, after: nil).comments.first)

        #expect(comment.text == expected)
        #expect(comment.authorName == "ann")
    }

    @Test(arguments: [("pingback", BlogComment.Kind.pingback), ("trackback", .trackback), ("comment", .comment), ("reply", .comment)])
    func honoursPingbackAndTrackbackTypes(type: String, expected: BlogComment.Kind) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("_data/comments/deploy-friday/c.json", #"{"name":"n","message":"m","date":1,"type":"\#(type)"}"#)
        let engine = MarkdownFolderEngine(directory: folder.path)

        let page = try await engine.comments(on: post, after: nil)

        #expect(page.comments.map(\.kind) == [expected])
    }

    @Test func postWithoutCommentsGivesAnEmptyPage() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)

        let page = try await engine.comments(on: post, after: nil)

        #expect(page == CommentPage(comments: [], cursor: nil))
    }

    @Test func slugFallsBackToTheRemoteIDAndMustStayInsideTheFolder() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("_data/comments/deploy-friday/c.json", #"{"name":"n","message":"m","date":1}"#)
        let engine = MarkdownFolderEngine(directory: folder.path)
        var noSlug = post
        noSlug.slug = ""
        var escaping = post
        escaping.slug = ".."

        #expect(try await engine.comments(on: noSlug, after: nil).comments.count == 1)
        let error = await #expect(throws: BlogEngineError.self) { try await engine.comments(on: escaping, after: nil) }
        #expect(error?.isTransient == false)
    }

    // MARK: - Comment files are untrusted

    @Test(arguments: ["file", "post folder", "comments folder", "data folder"])
    func aSymbolicLinkUnderDataCommentsIsNeverFollowed(linkAt: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let outside = try TemporaryDirectory(prefix: "outside")
        defer { outside.remove() }
        let secret = #"{"name":"root","message":"SECRET from outside the blog","date":1}"#
        try outside.write("data/comments/deploy-friday/secret.json", secret)
        try folder.write("blog/_posts/2026-11-28-deploy-friday.md", "---\ntitle: x\n---\n")
        let link: String
        let target: String
        switch linkAt {
        case "file":
            try folder.write("blog/_data/comments/deploy-friday/real.json", #"{"name":"ann","message":"real","date":2}"#)
            link = folder.path("blog/_data/comments/deploy-friday/secret.json")
            target = outside.path("data/comments/deploy-friday/secret.json")
        case "post folder":
            try FileManager.default.createDirectory(atPath: folder.path("blog/_data/comments"), withIntermediateDirectories: true)
            link = folder.path("blog/_data/comments/deploy-friday")
            target = outside.path("data/comments/deploy-friday")
        case "comments folder":
            try FileManager.default.createDirectory(atPath: folder.path("blog/_data"), withIntermediateDirectories: true)
            link = folder.path("blog/_data/comments")
            target = outside.path("data/comments")
        default:
            link = folder.path("blog/_data")
            target = outside.path("data")
        }
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let log = WarningLog()
        let engine = MarkdownFolderEngine(directory: folder.path("blog"), onWarning: log.sink)

        let first = try await engine.comments(on: post, after: nil)
        let second = try await engine.comments(on: post, after: nil)

        #expect(first.comments.map(\.text) == (linkAt == "file" ? ["real"] : []))
        #expect(second == first)
        #expect(log.all == ["skipped \(link): a symbolic link; "
            + (linkAt == "file" ? "comment files must be regular files" : "comment folders must be real folders")
            + " inside the blog folder"])
    }

    @Test func aCommentFileOverTheSizeLimitIsSkippedWithAWarningOnce() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let limit = 64 * 1024
        /// A comment file of exactly `size` bytes.
        func comment(_ name: String, size: Int) -> String {
            let head = #"{"name":"\#(name)","date":1,"message":""#
            return head + String(repeating: "x", count: size - head.utf8.count - 2) + #""}"#
        }
        let fits = comment("fits", size: limit)
        let tooBig = comment("big", size: limit + 1)
        #expect(fits.utf8.count == 65_536)
        #expect(tooBig.utf8.count == 65_537)
        try folder.write("_data/comments/deploy-friday/fits.json", fits)
        try folder.write("_data/comments/deploy-friday/huge.json", tooBig)
        let log = WarningLog()
        let engine = MarkdownFolderEngine(directory: folder.path, onWarning: log.sink)

        let page = try await engine.comments(on: post, after: nil)
        _ = try await engine.comments(on: post, after: nil)

        #expect(page.comments.map(\.authorName) == ["fits"])
        #expect(log.all == [
            "skipped \(folder.path("_data/comments/deploy-friday/huge.json")): 65537 bytes, more than the 64 KiB a comment file may have",
        ])
    }

    @Test func aWarningAboutACommentFileIsGivenOncePerVersionOfTheFile() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path("_data/comments/deploy-friday/broken.json")
        try folder.write("_data/comments/deploy-friday/broken.json", #"{"name":"a","message":"#)
        try folder.write("_data/comments/deploy-friday/entry.yml", "name: a\n")
        let log = WarningLog()
        let engine = MarkdownFolderEngine(directory: folder.path, onWarning: log.sink)

        for _ in 0..<3 { _ = try await engine.comments(on: post, after: nil) }
        #expect(log.all.count == 2)
        #expect(log.all.filter { $0.hasPrefix("skipped \(path): not valid JSON") }.count == 1)

        // Rewritten, still broken: a new version, warned about again, once.
        try folder.write("_data/comments/deploy-friday/broken.json", #"{"name":"a","message":"m"}"#)
        for _ in 0..<3 { _ = try await engine.comments(on: post, after: nil) }
        #expect(log.all.count == 3)
        #expect(log.all.last == "skipped \(path): no \"date\"")

        // Fixed: read; broken again later (with the first text): warned again.
        try folder.write("_data/comments/deploy-friday/broken.json", #"{"name":"a","message":"m","date":1}"#)
        let fixed = try await engine.comments(on: post, after: nil)
        #expect(fixed.comments.map(\.id) == ["deploy-friday/broken"])
        try folder.write("_data/comments/deploy-friday/broken.json", #"{"name":"a","message":"#)
        _ = try await engine.comments(on: post, after: nil)
        _ = try await engine.comments(on: post, after: nil)
        #expect(log.all.count == 4)
    }

    @Test func aFIFOInTheCommentsFolderDoesNotBlockThePoll() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("_data/comments/deploy-friday/good.json", #"{"name":"a","message":"m","date":1}"#)
        #expect(mkfifo(folder.path("_data/comments/deploy-friday/pipe.json"), 0o644) == 0)
        let engine = MarkdownFolderEngine(directory: folder.path)

        let page = try await engine.comments(on: post, after: nil)

        #expect(page.comments.map(\.id) == ["deploy-friday/good"])
    }
}
