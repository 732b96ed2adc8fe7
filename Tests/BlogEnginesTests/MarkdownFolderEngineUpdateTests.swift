import Foundation
import Testing
import ThreadpressModel
import ThreadpressTesting
@testable import BlogEngines

/// `update` (edits from chat) and the stamps that keep it from overwriting a person's edit, on a
/// real temporary folder.
struct MarkdownFolderEngineUpdateTests {
    /// The SHA-256 of a file as `sha256sum` (not the engine) computes it, as a stamp.
    static func stampOfFile(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return "sha256:" + String(decoding: data, as: UTF8.self).prefix(64)
    }

    static func inode(_ path: String) throws -> UInt64 {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64)
    }

    /// `makeDraft()` after edits from chat: a new title and tag, an intro, bob's line dropped.
    static func editedDraft() -> PostDraft {
        var draft = makeDraft()
        draft.title = "Deploy Friday, revisited"
        draft.tags = ["ops", "friday"]
        draft.intro = "Why we *never* deploy <on> Fridays"
        draft.lines.removeLast()
        return draft
    }

    /// `editedDraft()` rendered, written out by hand.
    static func editedPost(date: String) -> String {
        """
        ---
        title: "Deploy Friday, revisited"
        date: \(date)
        layout: post
        tags: ["ops", "friday"]
        authors: ["alice", "bob"]
        threadpress_id: "tp-1"
        render_with_liquid: false
        ---

        Why we \\*never\\* deploy &lt;on&gt; Fridays

        > **alice** (09:14): shall we deploy?

        """
    }

    @Test func theStampIsSHA256OfTheBytes() {
        #expect(ContentFingerprint.of("abc") == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentFingerprint.of("") == "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func everyWriteIsStampedWithTheBytesOnDisk() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let created = try await engine.createDraft(makeDraft())
        #expect(created.modified == (try Self.stampOfFile(folder.path(created.remoteID))))
        #expect(try await engine.find(key: "tp-1")?.modified == created.modified)
        #expect(try await engine.createDraft(makeDraft()).modified == created.modified)  // a retry finds it

        let updated = try await engine.update(Self.editedDraft(), reference: created)
        #expect(updated.modified == (try Self.stampOfFile(folder.path(updated.remoteID))))
        #expect(updated.modified != created.modified)

        let published = try await engine.publish(Self.editedDraft(), reference: updated, at: utc("2026-11-28T10:00:00Z"))
        #expect(published.modified == (try Self.stampOfFile(folder.path(published.remoteID))))
        // A publish whose answer was lost, asked again: the post as it is.
        #expect(try await engine.publish(Self.editedDraft(), reference: updated, at: utc("2026-11-28T10:00:00Z")) == published)
    }

    @Test func updateRewritesTheDraftInPlaceKeepingItsDateAndSlug() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let created = try await engine.createDraft(makeDraft())

        let updated = try await engine.update(Self.editedDraft(), reference: created)

        #expect(updated.remoteID == "_drafts/deploy-friday.md")  // the title changed, the slug did not
        #expect(updated.slug == "deploy-friday")
        #expect(updated.status == .draft)
        #expect(folder.list("_drafts") == ["deploy-friday.md"])
        #expect(folder.list("_posts") == [])
        #expect(try folder.read("_drafts/deploy-friday.md") == Self.editedPost(date: "2026-11-27 09:14:00 +0100"))
    }

    @Test func updateOfAPublishedPostKeepsItsFileNameDateAndStatus() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path, baseURL: "https://blog.example")
        let draft = makeDraft()
        let published = try await engine.publish(
            draft, reference: try await engine.createDraft(draft), at: utc("2026-11-28T23:30:00Z"))

        let updated = try await engine.update(Self.editedDraft(), reference: published)

        #expect(updated.remoteID == "_posts/2026-11-29-deploy-friday.md")
        #expect(updated.location == "https://blog.example/2026/11/29/deploy-friday.html")
        #expect(updated.status == .published)
        #expect(folder.list("_posts") == ["2026-11-29-deploy-friday.md"])
        #expect(folder.list("_drafts") == [])
        #expect(try folder.read(updated.remoteID) == Self.editedPost(date: "2026-11-29 00:30:00 +0100"))
        // And again: the rewrite of a rewrite.
        var again = Self.editedDraft()
        again.intro = nil
        let second = try await engine.update(again, reference: updated)
        #expect(try folder.read(second.remoteID).contains("---\n\n> **alice** (09:14): shall we deploy?\n"))
        #expect(try folder.read(second.remoteID).contains("\ndate: 2026-11-29 00:30:00 +0100\n"))
    }

    @Test func aScheduledPostStaysScheduled() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let draft = makeDraft()
        let scheduled = try await engine.publish(
            draft, reference: try await engine.createDraft(draft), at: utc("2099-01-02T10:00:00Z"))
        #expect(scheduled.status == .scheduled)
        let updated = try await engine.update(Self.editedDraft(), reference: scheduled)
        #expect(updated.status == .scheduled)
        #expect(try folder.read("_posts/2099-01-02-deploy-friday.md") == Self.editedPost(date: "2099-01-02 11:00:00 +0100"))
    }

    @Test(arguments: [
        "appended a paragraph",
        "changed one byte",
        "converted to CRLF",
    ])
    func aPersonsEditIsRefusedAndTheFileIsByteForByteUnchanged(edit: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let created = try await engine.createDraft(makeDraft())
        let original = try folder.read(created.remoteID)
        let theirs = switch edit {
        case "appended a paragraph": original + "\nA paragraph I wrote myself.\n"
        case "changed one byte": original.replacingOccurrences(of: "shall we deploy?", with: "shall we deploy!")
        default: original.replacingOccurrences(of: "\n", with: "\r\n")
        }
        try folder.write(created.remoteID, theirs)

        for _ in 0..<2 {  // the outbox may retry: still refused, still untouched
            let error = await #expect(throws: BlogEngineError.self) {
                try await engine.update(Self.editedDraft(), reference: created)
            }
            #expect(error?.kind == .conflict)
            #expect(error?.message == "\(folder.path)/_drafts/deploy-friday.md was changed by hand since I last wrote it, so I did not rewrite it: edit it there")
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path(created.remoteID))) == Data(theirs.utf8))
        }
        #expect(folder.list("_drafts") == ["deploy-friday.md"])
    }

    @Test func aPersonsEditOfAPublishedPostIsRefused() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let draft = makeDraft()
        let published = try await engine.publish(
            draft, reference: try await engine.createDraft(draft), at: utc("2026-11-28T10:00:00Z"))
        let theirs = try folder.read(published.remoteID).replacingOccurrences(of: "title: \"Deploy Friday\"", with: "title: \"Friday deploys, explained\"")
        try folder.write(published.remoteID, theirs)

        let error = await #expect(throws: BlogEngineError.self) {
            try await engine.update(Self.editedDraft(), reference: published)
        }
        #expect(error?.kind == .conflict)
        #expect(error?.message == "\(folder.path)/_posts/2026-11-28-deploy-friday.md was changed by hand since I last wrote it, so I did not rewrite it: edit it there")
        #expect(try folder.read(published.remoteID) == theirs)
    }

    @Test func aDeletedFileIsAConflictAndNothingIsWritten() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let created = try await engine.createDraft(makeDraft())
        try FileManager.default.removeItem(atPath: folder.path(created.remoteID))

        let error = await #expect(throws: BlogEngineError.self) {
            try await engine.update(Self.editedDraft(), reference: created)
        }
        #expect(error?.kind == .conflict)
        #expect(error?.message == "\(folder.path)/_drafts/deploy-friday.md is gone (moved, renamed or deleted by hand), so I did not rewrite it")
        #expect(folder.list("_drafts") == [])
        #expect(folder.list("_posts") == [])
    }

    @Test func aFileWhoseKeyAPersonRemovedIsAConflictNamingIt() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let created = try await engine.createDraft(makeDraft())
        let theirs = try folder.read(created.remoteID).replacingOccurrences(of: "threadpress_id: \"tp-1\"\n", with: "")
        try folder.write(created.remoteID, theirs)

        // After a restart (the in-memory index of keys is new): the key is nowhere, the file is there.
        let error = await #expect(throws: BlogEngineError.self) {
            try await MarkdownFolderEngine(directory: folder.path).update(Self.editedDraft(), reference: created)
        }
        #expect(error?.kind == .conflict)
        #expect(error?.message == "\(folder.path)/_drafts/deploy-friday.md was changed by hand (its threadpress_id is gone), so I did not rewrite it: edit it there")
        #expect(try folder.read(created.remoteID) == theirs)
    }

    @Test func aFileAPersonMovedIntoPostsUnchangedIsRewrittenWhereItIsNow() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let created = try await engine.createDraft(makeDraft())
        _ = try await engine.find(key: "tp-1")  // the index knows the old place
        try FileManager.default.createDirectory(atPath: folder.path("_posts"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            atPath: folder.path("_drafts/deploy-friday.md"), toPath: folder.path("_posts/2026-11-30-deploy-friday.md"))

        let updated = try await engine.update(Self.editedDraft(), reference: created)

        #expect(updated.remoteID == "_posts/2026-11-30-deploy-friday.md")
        #expect(updated.status == .published)
        #expect(try folder.read(updated.remoteID) == Self.editedPost(date: "2026-11-27 09:14:00 +0100"))
    }

    @Test func aFileAPersonSavedWithCRLFLineEndsKeepsItsKey() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let created = try await MarkdownFolderEngine(directory: folder.path).createDraft(makeDraft())
        let theirs = try folder.read(created.remoteID).replacingOccurrences(of: "\n", with: "\r\n")
        try folder.write(created.remoteID, theirs)

        let restarted = MarkdownFolderEngine(directory: folder.path)
        #expect(try await restarted.find(key: "tp-1")?.remoteID == created.remoteID)
        let error = await #expect(throws: BlogEngineError.self) {
            try await restarted.update(Self.editedDraft(), reference: created)
        }
        #expect(error?.message == "\(folder.path)/_drafts/deploy-friday.md was changed by hand since I last wrote it, so I did not rewrite it: edit it there")
        #expect(try folder.read(created.remoteID) == theirs)
    }

    @Test func aReferenceWithoutAStampIsRewrittenAndStampedFromThen() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        var legacy = try await engine.createDraft(makeDraft())
        legacy.modified = nil  // a reference stored before stamps existed

        let updated = try await engine.update(Self.editedDraft(), reference: legacy)

        #expect(try folder.read(updated.remoteID) == Self.editedPost(date: "2026-11-27 09:14:00 +0100"))
        #expect(updated.modified == (try Self.stampOfFile(folder.path(updated.remoteID))))
    }

    @Test func rewritingTheSameTextWritesNothing() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let updated = try await engine.update(Self.editedDraft(), reference: try await engine.createDraft(makeDraft()))
        let inode = try Self.inode(folder.path(updated.remoteID))

        let again = try await engine.update(Self.editedDraft(), reference: updated)

        #expect(again == updated)
        #expect(try Self.inode(folder.path(updated.remoteID)) == inode)  // an atomic write would be a new file
    }

    @Test func anUpdateWhoseAnswerWasLostIsRecognisedOnRetry() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let created = try await engine.createDraft(makeDraft())
        let faulty = FaultInjectingBlogEngine(wrapping: engine)
        faulty.inject(.failAfter, on: .update)
        await #expect(throws: BlogEngineError.self) { try await faulty.update(Self.editedDraft(), reference: created) }

        // The answer was lost: the outbox asks again with the stamp it still has.
        let again = try await faulty.update(Self.editedDraft(), reference: created)

        #expect(faulty.calls(.update) == 2)
        #expect(again.modified == (try Self.stampOfFile(folder.path(created.remoteID))))
        #expect(try folder.read(created.remoteID) == Self.editedPost(date: "2026-11-27 09:14:00 +0100"))
        // A different rewrite with the old stamp, though, is refused: the file is not what it was.
        var other = Self.editedDraft()
        other.title = "Yet another title"
        let error = await #expect(throws: BlogEngineError.self) { try await engine.update(other, reference: created) }
        #expect(error?.kind == .conflict)
    }

    @Test func publishingADraftAPersonEditedKeepsTheirTextAndLaterRewritesRefuse() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let engine = MarkdownFolderEngine(directory: folder.path)
        let draft = makeDraft()
        let created = try await engine.createDraft(draft)
        let theirs = try folder.read(created.remoteID) + "\nMy own closing words.\n"
        try folder.write(created.remoteID, theirs)

        let published = try await engine.publish(draft, reference: created, at: utc("2026-11-28T10:00:00Z"))

        #expect(published.remoteID == "_posts/2026-11-28-deploy-friday.md")
        #expect(folder.list("_drafts") == [])
        // Their text, with only the date changed to the publish date.
        #expect(try folder.read(published.remoteID) == theirs.replacingOccurrences(
            of: "\ndate: 2026-11-27 09:14:00 +0100\n", with: "\ndate: 2026-11-28 11:00:00 +0100\n"))
        #expect(published.modified == created.modified)
        // The publish asked again (its answer was lost): still their text, still the old stamp.
        #expect(try await engine.publish(draft, reference: created, at: utc("2026-11-28T10:00:00Z")).modified == created.modified)
        let error = await #expect(throws: BlogEngineError.self) {
            try await engine.update(Self.editedDraft(), reference: published)
        }
        #expect(error?.kind == .conflict)
        #expect(try folder.read(published.remoteID).hasSuffix("\nMy own closing words.\n"))
    }

    @Test(arguments: [
        ("---\ndate: 2026-11-27 09:14:00 +0100\n---\n", "2026-11-27 09:14:00 +0100", "---\ndate: X\n---\n"),
        ("---\r\ntitle: a\r\ndate:   2026-11-27  \r\n---\r\nbody\r\n", "2026-11-27", "---\r\ntitle: a\r\ndate: X\r\n---\r\nbody\r\n"),
        ("---\ntitle: a\n---\ndate: 2026-11-27\n", nil, nil),  // after the front matter: body text
        ("date: 2026-11-27\n", nil, nil),  // no front matter at all
        ("---\ndate:\n---\n", nil, "---\ndate: X\n---\n"),
    ] as [(String, String?, String?)])
    func readsAndReplacesTheFrontMatterDate(text: String, value: String?, replaced: String?) {
        #expect(FrontMatter.dateValue(in: text).map(String.init) == value)
        #expect(FrontMatter.replacingDate(in: text, with: "X") == replaced)
    }
}
