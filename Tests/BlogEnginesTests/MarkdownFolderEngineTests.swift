import BlogEngines
import Foundation
import Testing
import ThreadpressModel
import ThreadpressTesting

#if canImport(Glibc)
import Glibc
#endif

struct MarkdownFolderEngineTests {
    /// The file `makeDraft()` becomes, written out by hand (times in Berlin).
    static func post(date: String) -> String {
        """
        ---
        title: "Deploy Friday"
        date: \(date)
        layout: post
        tags: ["ops"]
        authors: ["alice", "bob"]
        threadpress_id: "tp-1"
        render_with_liquid: false
        ---

        > **alice** (09:14): shall we deploy?
        >
        > _\\* bob hides_ (09:15)

        """
    }

    @Test func createsTheDraftAtomicallyInDrafts() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let draft = makeDraft()

        let reference = try await engine.createDraft(draft)

        #expect(reference == PostReference(
            remoteID: "_drafts/deploy-friday.md", location: "_drafts/deploy-friday.md", slug: "deploy-friday",
            status: .draft, modified: try MarkdownFolderEngineUpdateTests.stampOfFile(folder.path("_drafts/deploy-friday.md"))))
        #expect(folder.list("_drafts") == ["deploy-friday.md"])  // no temporary file left behind
        #expect(try folder.read("_drafts/deploy-friday.md") == Self.post(date: "2026-11-27 09:14:00 +0100"))
    }

    @Test func recreatingTheSameKeyReturnsTheSameFile() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)

        let first = try await engine.createDraft(makeDraft())
        let before = try folder.read(first.remoteID)
        let again = try await engine.createDraft(makeDraft(title: "A different title now"))

        #expect(again == first)
        #expect(folder.list("_drafts") == ["deploy-friday.md"])
        #expect(try folder.read(first.remoteID) == before)
    }

    @Test func draftsWithTheSameTitleGetNumberedSlugs() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)

        let a = try await engine.createDraft(makeDraft(key: "tp-a"))
        let b = try await engine.createDraft(makeDraft(key: "tp-b"))
        let c = try await engine.createDraft(makeDraft(key: "tp-c"))
        let bAgain = try await engine.createDraft(makeDraft(key: "tp-b"))

        #expect([a.slug, b.slug, c.slug] == ["deploy-friday", "deploy-friday-2", "deploy-friday-3"])
        #expect(bAgain == b)
        #expect(folder.list("_drafts") == ["deploy-friday-2.md", "deploy-friday-3.md", "deploy-friday.md"])
    }

    @Test func postsOfOtherKeysAndForeignFilesTakeTheirSlug() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("_posts/2025-01-01-deploy-friday.md", "---\ntitle: old\nthreadpress_id: \"tp-old\"\n---\nold\n")
        try folder.write("_posts/2025-02-01-deploy-friday-2.md", "no front matter at all\n")
        try folder.write("_posts/2025-03-01-big-deploy-friday-3.md", "---\ntitle: unrelated\n---\n")
        let engine = MarkdownFolderEngine(directory: folder.path)

        let reference = try await engine.createDraft(makeDraft(key: "tp-new"))

        // "-3" is free: `big-deploy-friday-3` only ends with it.
        #expect(reference.remoteID == "_drafts/deploy-friday-3.md")
    }

    @Test func publishMovesTheDraftIntoPostsDatedAtPublishTime() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path, baseURL: "https://blog.example/")
        let draft = makeDraft()
        let drafted = try await engine.createDraft(draft)
        let publishedAt = utc("2026-11-28T23:30:00Z")  // already the 29th in Berlin

        let post = try await engine.publish(draft, reference: drafted, at: publishedAt)

        #expect(post == PostReference(
            remoteID: "_posts/2026-11-29-deploy-friday.md",
            location: "https://blog.example/2026/11/29/deploy-friday.html", slug: "deploy-friday", status: .published,
            modified: try MarkdownFolderEngineUpdateTests.stampOfFile(folder.path("_posts/2026-11-29-deploy-friday.md"))))
        #expect(folder.list("_drafts") == [])
        #expect(folder.list("_posts") == ["2026-11-29-deploy-friday.md"])
        let text = try folder.read(post.remoteID)
        #expect(text == Self.post(date: "2026-11-29 00:30:00 +0100"))
        #expect(text.contains("\ndate: 2026-11-29 00:30:00 +0100\n"))
    }

    @Test func publishIsIdempotent() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let draft = makeDraft()
        let drafted = try await engine.createDraft(draft)
        let first = try await engine.publish(draft, reference: drafted, at: utc("2026-11-28T10:00:00Z"))
        let contents = try folder.read(first.remoteID)

        let second = try await engine.publish(draft, reference: drafted, at: utc("2026-12-05T10:00:00Z"))
        let recreated = try await engine.createDraft(draft)

        #expect(second == first)
        #expect(recreated == first)
        #expect(first.location == "_posts/2026-11-28-deploy-friday.md")
        #expect(folder.list("_posts") == ["2026-11-28-deploy-friday.md"])
        #expect(folder.list("_drafts") == [])
        #expect(try folder.read(first.remoteID) == contents)
    }

    @Test func findSeesWhatAPersonChangedInTheFolderSinceTheLastScan() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let drafted = try await engine.createDraft(makeDraft())
        #expect(try await engine.find(key: "tp-1") == drafted)
        #expect(try await engine.find(key: "tp-9") == nil)
        // A person publishes by hand: moves the draft to _posts, and adds a post of their own.
        try FileManager.default.createDirectory(atPath: folder.path("_posts"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            atPath: folder.path("_drafts/deploy-friday.md"), toPath: folder.path("_posts/2026-11-30-deploy-friday.md"))
        try folder.write("_posts/2026-11-30-mine.md", "---\ntitle: Mine\nthreadpress_id: \"tp-9\"\n---\nhello\n")
        #expect(try await engine.find(key: "tp-1")?.remoteID == "_posts/2026-11-30-deploy-friday.md")
        #expect(try await engine.find(key: "tp-9")?.remoteID == "_posts/2026-11-30-mine.md")
    }

    @Test func publishRetryAfterACrashRemovesTheLeftoverDraft() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let draft = makeDraft()
        let drafted = try await engine.createDraft(draft)
        let draftText = try folder.read(drafted.remoteID)
        let post = try await engine.publish(draft, reference: drafted, at: utc("2026-11-28T10:00:00Z"))
        try folder.write(drafted.remoteID, draftText)  // as if we crashed before removing it

        let retried = try await engine.publish(draft, reference: drafted, at: utc("2026-11-28T10:05:00Z"))

        #expect(retried == post)
        #expect(folder.list("_drafts") == [])
    }

    @Test func publishWithoutADraftFileStillPublishes() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let draft = makeDraft()
        let reference = PostReference(remoteID: "_drafts/deploy-friday.md", location: "", slug: "deploy-friday", status: .draft)

        let post = try await engine.publish(draft, reference: reference, at: utc("2026-11-28T10:00:00Z"))

        #expect(post.remoteID == "_posts/2026-11-28-deploy-friday.md")
    }

    @Test func discardRemovesTheDraftAndToleratesAMissingOne() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let keep = try await engine.createDraft(makeDraft(key: "tp-keep", title: "Keep me"))
        let drop = try await engine.createDraft(makeDraft(key: "tp-drop"))

        try await engine.discard(drop)
        try await engine.discard(drop)

        #expect(folder.list("_drafts") == ["keep-me.md"])
        #expect(keep.remoteID == "_drafts/keep-me.md")
    }

    @Test(arguments: [
        "_posts/2026-11-28-deploy-friday.md", "../outside.md", "_drafts/../../etc/passwd", "_drafts/.hidden.md",
        "deploy-friday.md", "",
    ])
    func discardRefusesAnythingButADraft(remoteID: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let reference = PostReference(remoteID: remoteID, location: "", slug: "x", status: .draft)

        let error = await #expect(throws: BlogEngineError.self) { try await engine.discard(reference) }
        #expect(error?.isTransient == false)
    }

    @Test func rejectsADraftWithoutAKeyPermanently() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)

        let error = await #expect(throws: BlogEngineError.self) { try await engine.createDraft(makeDraft(key: " ")) }
        #expect(error?.isTransient == false)
        #expect(folder.list("_drafts") == [])
    }

    @Test func writeFailureUnderARegularFileIsTransientAndNamesThePath() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("blocker", "a regular file where a folder should be\n")
        let engine = MarkdownFolderEngine(directory: folder.path("blocker/blog"))

        let error = await #expect(throws: BlogEngineError.self) { try await engine.createDraft(makeDraft()) }
        #expect(error?.isTransient == true)
        #expect(error?.message.contains(folder.path("blocker")) == true)
        #expect(error?.message.contains("blog.markdown.directory") == true)
    }

    @Test func writeFailureInProcIsTransient() async throws {
        let engine = MarkdownFolderEngine(directory: "/proc/threadpress-no-such-blog")

        let error = await #expect(throws: BlogEngineError.self) { try await engine.createDraft(makeDraft()) }
        #expect(error?.isTransient == true)
        #expect(error?.message.hasPrefix("cannot ") == true)
        #expect(error?.message.contains("/proc/threadpress-no-such-blog") == true)
    }

    @Test(.enabled(if: geteuid() != 0, "root ignores file permissions"))
    func readOnlyFolderGivesPermissionDenied() async throws {
        let folder = try TemporaryDirectory()
        defer {
            chmod(folder.path("_drafts"), 0o755)
            folder.remove()
        }
        try FileManager.default.createDirectory(atPath: folder.path("_drafts"), withIntermediateDirectories: true)
        chmod(folder.path("_drafts"), 0o555)
        let engine = MarkdownFolderEngine(directory: folder.path)

        let error = await #expect(throws: BlogEngineError.self) { try await engine.createDraft(makeDraft()) }
        #expect(error?.isTransient == true)
        #expect(error?.message.contains("permission denied (make blog.markdown.directory writable by the bot)") == true)
    }

    @Test func identifierIsTheAbsoluteFolder() {
        #expect(MarkdownFolderEngine(directory: "/srv/blog/").identifier == "markdown:/srv/blog")
        #expect(MarkdownFolderEngine(directory: "/srv/./blog").identifier == "markdown:/srv/blog")
        let relative = MarkdownFolderEngine(directory: "site")
        #expect(relative.directory == FileManager.default.currentDirectoryPath + "/site")
        #expect(MarkdownFolderEngine(directory: "/b", baseURL: "https://x.example//").baseURL == "https://x.example")
    }

    @Test func concurrentCreatesOfOneKeyWriteOneFile() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)

        let references = try await withThrowingTaskGroup(of: PostReference.self) { group in
            for _ in 0..<8 { group.addTask { try await engine.createDraft(makeDraft()) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(Set(references).count == 1)
        #expect(folder.list("_drafts") == ["deploy-friday.md"])
    }
}
