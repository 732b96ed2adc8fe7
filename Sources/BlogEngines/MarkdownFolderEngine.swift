#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import ThreadpressModel

/// The embedded default blog: a Jekyll site folder written as Markdown files.
///
/// - Drafts go to `<directory>/_drafts/<slug>.md`, published posts to
///   `<directory>/_posts/YYYY-MM-DD-<slug>.md` (rendered by ``MarkdownPostRenderer``). Every file
///   is written to a hidden temporary file and renamed into place.
/// - Each file carries `threadpress_id: "<draft key>"` in its front matter. Every operation first
///   looks for that key in `_drafts` and `_posts`, so a retry finds what an earlier attempt did.
/// - Slugs come from ``Slug``; when another post already owns a slug, `-2`, `-3`, … are added.
/// - Comments are read from Staticman's JSON files, `<directory>/_data/comments/<slug>/*.json`
///   (see ``comments(after:scope:)``).
///
/// ```swift
/// let blog = MarkdownFolderEngine(directory: "/srv/blog", baseURL: "https://blog.example")
/// let draft = try await blog.createDraft(postDraft)        // _drafts/deploy-friday.md
/// let post = try await blog.publish(postDraft, reference: draft, at: .now)
/// post.location  // https://blog.example/2026/11/27/deploy-friday.html
/// ```
///
/// A person's edits are never written over. Every file the engine writes (``createDraft(_:)``,
/// ``publish(_:reference:at:)``, ``update(_:reference:)``) is stamped in the returned
/// ``PostReference/modified`` with ``ContentFingerprint`` (`sha256:` of the exact bytes written).
/// ``update(_:reference:)`` reads the file first and rewrites it only while its bytes still give that
/// stamp; otherwise it writes nothing and throws a ``BlogEngineError/Kind/conflict`` that names the
/// file to edit by hand. ``publish(_:reference:at:)`` of a draft a person edited moves their text as
/// it is (only its `date:` line changes) and keeps the old stamp, so later rewrites still refuse.
///
/// File-system failures throw a transient ``BlogEngineError`` that names the path and the fix;
/// requests that can never succeed (an empty key, a reference outside `_drafts`) throw a permanent
/// one. Blocking file I/O runs on the engine's own serial queue, never on Swift's cooperative
/// pool; the queue also keeps two calls for the same key from racing within the process.
public final class MarkdownFolderEngine: BlogEngine {
    /// The site folder, absolute and without a trailing slash.
    public let directory: String
    /// The site's public address without a trailing slash, if known.
    public let baseURL: String?

    private let onWarning: @Sendable (String) -> Void
    private let commentFiles: StaticmanCommentFiles
    private let renderer = MarkdownPostRenderer()
    /// What the last scan found, valid while `_drafts` and `_posts` keep the modification stamps
    /// they had then: finding a key costs one `stat` per folder, not a read of every post, so a
    /// blog with 10,000 posts writes its next draft as fast as its first.
    private let index = Mutex<FolderIndex?>(nil)

    /// The files of `_drafts` and `_posts`, looked up by path, by key and by slug in constant time.
    struct FolderIndex {
        var stamps: [FolderStamp]
        private(set) var byPath: [String: PostFile] = [:]
        private var pathsByKey: [String: Set<String>] = [:]
        /// Lower-cased slug → the keys of the files using it (`""` for files without a key).
        private var keysBySlug: [String: [String: Int]] = [:]

        init(stamps: [FolderStamp], files: [PostFile]) {
            self.stamps = stamps
            for file in files { insert(file) }
        }

        var files: [PostFile] { Array(byPath.values) }

        func files(withKey key: String) -> [PostFile] {
            (pathsByKey[key] ?? []).compactMap { byPath[$0] }.sorted { $0.relativePath < $1.relativePath }
        }

        /// Whether a file of another key uses `slug` (compared case-insensitively).
        func isSlugTaken(_ slug: String, byOtherThan key: String) -> Bool {
            (keysBySlug[slug.lowercased()] ?? [:]).keys.contains { $0 != key }
        }

        mutating func insert(_ file: PostFile) {
            remove(path: file.relativePath)
            byPath[file.relativePath] = file
            pathsByKey[file.key ?? "", default: []].insert(file.relativePath)
            keysBySlug[file.slug.lowercased(), default: [:]][file.key ?? "", default: 0] += 1
        }

        mutating func remove(path: String) {
            guard let old = byPath.removeValue(forKey: path) else { return }
            let key = old.key ?? ""
            pathsByKey[key]?.remove(path)
            if pathsByKey[key]?.isEmpty == true { pathsByKey[key] = nil }
            let slug = old.slug.lowercased()
            keysBySlug[slug]?[key]? -= 1
            if keysBySlug[slug]?[key] == 0 { keysBySlug[slug]?[key] = nil }
            if keysBySlug[slug]?.isEmpty == true { keysBySlug[slug] = nil }
        }
    }

    struct FolderStamp: Equatable {
        var device: UInt64
        var inode: UInt64
        var seconds: Int
        var nanoseconds: Int
    }
    private let queue = DispatchQueue(label: "threadpress.markdown-folder-engine")

    /// - Parameters:
    ///   - directory: the Jekyll site folder; a relative path is taken from the current directory.
    ///   - baseURL: the site's address (`https://blog.example`), used to build post URLs with
    ///     Jekyll's default permalink `/YYYY/MM/DD/<slug>.html`. Without it, locations are paths.
    ///   - onWarning: told about comment files that were skipped (malformed JSON, missing fields).
    public init(directory: String, baseURL: String? = nil, onWarning: @escaping @Sendable (String) -> Void = { _ in }) {
        let absolute = directory.hasPrefix("/")
            ? directory
            : FileManager.default.currentDirectoryPath + "/" + directory
        var standardized = PathText.standardized(absolute)
        while standardized.count > 1, standardized.hasSuffix("/") { standardized.removeLast() }
        self.directory = standardized
        var base = baseURL?.trimmingSpaces()
        while base?.hasSuffix("/") == true { base?.removeLast() }
        self.baseURL = base?.isEmpty == true ? nil : base
        self.onWarning = onWarning
        self.commentFiles = StaticmanCommentFiles(directory: standardized, onWarning: onWarning)
    }

    public var identifier: String { "markdown:" + directory }

    // MARK: - BlogEngine

    /// The file of `key` (the published post when there is one), stamped with its current bytes.
    public func find(key: String) async throws -> PostReference? {
        try await perform {
            let mine = try self.currentIndex().files(withKey: key)
            guard let file = mine.first(where: { $0.folder == .posts }) ?? mine.first else { return nil }
            return try self.stampedReference(for: file)
        }
    }

    public func createDraft(_ draft: PostDraft) async throws -> PostReference {
        try await perform { try self.createDraftNow(draft) }
    }

    public func publish(_ draft: PostDraft, reference: PostReference, at date: Date) async throws -> PostReference {
        try await perform { try self.publishNow(draft, reference: reference, at: date) }
    }

    /// Rewrites the post's file from `draft` in place: a draft stays in `_drafts`, a published
    /// post in `_posts` with its file name (date and slug) and its front matter `date:` line kept
    /// byte for byte.
    ///
    /// - When the file's bytes no longer match `reference.modified` (someone edited it since the
    ///   bot wrote it), or the file is gone (moved, renamed or deleted, or its `threadpress_id`
    ///   removed), nothing is written and a ``BlogEngineError/Kind/conflict`` names the file.
    /// - A reference without a stamp (made before stamps existed) cannot tell a person's edit
    ///   from the bot's own text: the file is rewritten, and stamped from then on.
    /// - Rewriting the same text again writes nothing and returns the same stamp.
    public func update(_ draft: PostDraft, reference: PostReference) async throws -> PostReference {
        try await perform { try self.updateNow(draft, reference: reference) }
    }

    public func discard(_ reference: PostReference) async throws {
        try await perform { try self.discardNow(reference) }
    }

    /// All comment files of the posts in scope (every published post in `_posts` for
    /// ``CommentScope/everyPost``), oldest first (then by id).
    ///
    /// `cursor` is not used to filter: Staticman comments arrive as merged pull requests, so a
    /// comment can appear later than a newer one and must not be missed. The mirror ledger removes
    /// repeats. The returned cursor is the newest comment's date (ISO 8601), for information.
    public func comments(after cursor: String?, scope: CommentScope) async throws -> CommentPage {
        try await perform {
            let posts: [PostReference]
            switch scope {
            case .everyPost:
                posts = try self.scan().filter { $0.folder == .posts }
                    .sorted { $0.relativePath < $1.relativePath }.map { self.reference(for: $0) }
            case .posts(let references): posts = references
            }
            var comments: [BlogComment] = []
            for post in posts { comments += try self.commentsNow(on: post) }
            comments.sort { ($0.date, $0.id) < ($1.date, $1.id) }
            return CommentPage(comments: comments, cursor: comments.last.map { $0.date.formatted(.iso8601) })
        }
    }

    /// Staticman comments are approved by merging them, so a folder holds no held comments to
    /// re-check: every id asked about is answered as gone.
    public func comments(ids: [String]) async throws -> [BlogComment] { [] }

    // MARK: - Work on the queue

    private func perform<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    continuation.resume(returning: try work())
                } catch let failure as FolderIOFailure {
                    continuation.resume(throwing: failure.engineError)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private func createDraftNow(_ draft: PostDraft) throws -> PostReference {
        try validate(draft)
        let index = try currentIndex()
        let mine = index.files(withKey: draft.key)
        if let existing = mine.first(where: { $0.folder == .posts }) ?? mine.first {
            return try stampedReference(for: existing)
        }
        let slug = allocateSlug(Slug.make(draft.title), for: draft.key, in: index)
        let file = PostFile(folder: .drafts, name: "\(slug).md", slug: slug, day: nil, key: draft.key)
        let contents = renderer.render(draft, date: draft.created)
        try FolderIO.writeAtomically(path(file), contents)
        noteChange(adding: file, removing: [])
        return reference(for: file, modified: ContentFingerprint.of(contents))
    }

    private func publishNow(_ draft: PostDraft, reference: PostReference, at date: Date) throws -> PostReference {
        try validate(draft)
        let index = try currentIndex()
        let mine = index.files(withKey: draft.key)
        let drafts = mine.filter { $0.folder == .drafts }
        if let post = mine.first(where: { $0.folder == .posts }) {
            // Published already (an earlier attempt whose answer was lost, or a person by hand).
            for file in drafts { try FolderIO.remove(path(file)) }
            noteChange(adding: nil, removing: drafts)
            let bytes = try FolderIO.read(path(post))
            var published = self.reference(for: post, modified: ContentFingerprint.of(bytes))
            if let known = reference.modified, published.modified != known, !isRendering(of: draft, bytes) {
                // Not the bot's text (a person-edited draft was published): keep the old stamp, so
                // a later rewrite from chat still refuses.
                published.modified = known
            }
            return published
        }
        let preferred = drafts.first?.slug
            ?? (Slug.isWellFormed(reference.slug) ? reference.slug : Slug.make(draft.title))
        let slug = allocateSlug(preferred, for: draft.key, in: index)
        let day = JekyllDate.day(date, in: draft.timeZone)
        let post = PostFile(folder: .posts, name: "\(day)-\(slug).md", slug: slug, day: day, key: draft.key)
        let dateValue = JekyllDate.frontMatter(date, in: draft.timeZone)
        var contents = Array(renderer.render(draft, frontMatterDate: dateValue).utf8)
        var stamp = ContentFingerprint.of(contents)
        if let source = drafts.first, let known = reference.modified {
            let bytes = try FolderIO.read(path(source))
            if ContentFingerprint.of(bytes) != known {
                // A person edited the draft: publish their text, changing only its date (bytes that
                // are not UTF-8 move as they are). The old stamp stays, so a later rewrite from
                // chat still sees their edit and refuses.
                contents = String(bytes: bytes, encoding: .utf8)
                    .flatMap { FrontMatter.replacingDate(in: $0, with: dateValue) }
                    .map { Array($0.utf8) } ?? bytes
                stamp = known
            }
        }
        try FolderIO.writeAtomically(path(post), bytes: contents)
        for file in drafts { try FolderIO.remove(path(file)) }
        noteChange(adding: post, removing: drafts)
        var published = self.reference(for: post, modified: stamp)
        // Jekyll leaves a post dated in the future out of the site until a build after that date.
        if date > Date() { published.status = .scheduled }
        return published
    }

    private func updateNow(_ draft: PostDraft, reference: PostReference) throws -> PostReference {
        try validate(draft)
        let mine = try currentIndex().files(withKey: draft.key)
        guard let file = mine.first(where: { $0.folder == .posts }) ?? mine.first else {
            let known = "\(directory)/\(reference.remoteID)"
            if isSafeRelativePath(reference.remoteID), FolderIO.isRegularFile(known) {
                throw BlogEngineError(
                    "\(known) was changed by hand (its threadpress_id is gone), so I did not rewrite it: edit it there",
                    kind: .conflict)
            }
            throw BlogEngineError(
                "\(known) is gone (moved, renamed or deleted by hand), so I did not rewrite it", kind: .conflict)
        }
        let filePath = path(file)
        let bytes = try FolderIO.read(filePath)
        let current = ContentFingerprint.of(bytes)
        let dateValue = FrontMatter.dateValue(in: String(decoding: bytes, as: UTF8.self)).map(String.init)
            ?? JekyllDate.frontMatter(
                file.day.flatMap { JekyllDate.date(ofDay: $0, in: draft.timeZone) } ?? draft.created,
                in: draft.timeZone)
        let contents = renderer.render(draft, frontMatterDate: dateValue)
        let stamp = ContentFingerprint.of(contents)
        // A file that already holds exactly this rewrite is the bot's own (an earlier attempt whose
        // answer was lost), whatever the stamp says.
        if let known = reference.modified, known != current, stamp != current {
            throw BlogEngineError(
                "\(filePath) was changed by hand since I last wrote it, so I did not rewrite it: edit it there",
                kind: .conflict)
        }
        if stamp != current {
            try FolderIO.writeAtomically(filePath, contents)
            noteChange(adding: file, removing: [])
        }
        var updated = self.reference(for: file, modified: stamp)
        if file.folder == .posts, reference.status == .scheduled { updated.status = .scheduled }
        return updated
    }

    /// Whether `bytes` are exactly what the bot writes for `draft`, with the date line they have.
    private func isRendering(of draft: PostDraft, _ bytes: [UInt8]) -> Bool {
        guard let text = String(bytes: bytes, encoding: .utf8), let date = FrontMatter.dateValue(in: text) else {
            return false
        }
        return Array(renderer.render(draft, frontMatterDate: String(date)).utf8) == bytes
    }

    /// `_drafts/<name>` or `_posts/<name>`, nothing that could leave the folder.
    private func isSafeRelativePath(_ relativePath: String) -> Bool {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let name = parts.last, isSafeName(name) else { return false }
        return parts[0] == Folder.drafts.rawValue || parts[0] == Folder.posts.rawValue
    }

    private func discardNow(_ reference: PostReference) throws {
        let parts = reference.remoteID.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let name = parts.last, isSafeName(name) else {
            throw BlogEngineError(
                "cannot discard \(reference.remoteID): not a draft of \(identifier) (expected _drafts/<slug>.md)",
                isTransient: false)
        }
        guard parts[0] == Folder.drafts.rawValue else {
            throw BlogEngineError(
                "refusing to discard \(directory)/\(reference.remoteID): it is published, not a draft (remove it by hand if it must go)",
                isTransient: false)
        }
        try FolderIO.remove("\(directory)/\(reference.remoteID)")
        index.withLock { $0 = nil }
    }

    // MARK: - Files and keys

    enum Folder: String {
        case drafts = "_drafts"
        case posts = "_posts"
    }

    /// A post or draft file found in the folder.
    struct PostFile {
        var folder: Folder
        var name: String
        var slug: String
        /// `YYYY-MM-DD` from a post's file name.
        var day: String?
        /// `threadpress_id` from the front matter, if any.
        var key: String?

        var relativePath: String { "\(folder.rawValue)/\(name)" }
    }

    private func path(_ file: PostFile) -> String { "\(directory)/\(file.relativePath)" }

    private func validate(_ draft: PostDraft) throws {
        if draft.key.trimmingWhitespace().isEmpty {
            throw BlogEngineError("cannot write draft #\(draft.number) to \(directory): it has no threadpress_id key", isTransient: false)
        }
    }

    private func isSafeName(_ name: Substring) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\0")
    }

    /// Every `.md`/`.markdown` file directly in `_drafts` and `_posts` (posts only when named
    /// `YYYY-MM-DD-<slug>`), with the key from its front matter.
    func scan() throws(FolderIOFailure) -> [PostFile] { try currentIndex().files }

    /// The index, re-read from disk only when a folder's modification stamp changed.
    private func currentIndex() throws(FolderIOFailure) -> FolderIndex {
        let stamps = folderStamps()
        if let cached = index.withLock({ $0 }), cached.stamps == stamps { return cached }
        let fresh = FolderIndex(stamps: stamps, files: try scanFolders())
        index.withLock { $0 = fresh }
        return fresh
    }

    /// Records this engine's own change to the folders, so the next ``scan()`` needs no re-read.
    private func noteChange(adding added: PostFile?, removing removed: [PostFile]) {
        index.withLock { index in
            guard var current = index else { return }
            for file in removed { current.remove(path: file.relativePath) }
            if let added { current.insert(added) }
            current.stamps = folderStamps()
            index = current
        }
    }

    private func folderStamps() -> [FolderStamp] {
        [Folder.drafts, .posts].map { folder in
            var info = stat()
            guard stat("\(directory)/\(folder.rawValue)", &info) == 0 else {
                return FolderStamp(device: 0, inode: 0, seconds: 0, nanoseconds: 0)
            }
            return FolderStamp(
                device: UInt64(info.st_dev), inode: UInt64(info.st_ino), seconds: info.st_mtim.tv_sec,
                nanoseconds: info.st_mtim.tv_nsec)
        }
    }

    /// Reads every post's front matter.
    private func scanFolders() throws(FolderIOFailure) -> [PostFile] {
        var files: [PostFile] = []
        for folder in [Folder.drafts, .posts] {
            let folderPath = "\(directory)/\(folder.rawValue)"
            for name in try FolderIO.list(folderPath) ?? [] {
                guard let stem = Self.markdownStem(name) else { continue }
                var slug = stem
                var day: String?
                if folder == .posts {
                    guard let parsed = Self.splitPostName(stem) else { continue }
                    (day, slug) = parsed
                }
                let filePath = "\(folderPath)/\(name)"
                guard FolderIO.isRegularFile(filePath) else { continue }
                let key = FrontMatter.threadpressID(in: try FolderIO.readPrefix(filePath, until: FrontMatter.isClosed))
                files.append(PostFile(folder: folder, name: name, slug: slug, day: day, key: key))
            }
        }
        return files
    }

    static func markdownStem(_ name: String) -> String? {
        for suffix in [".md", ".markdown"] where name.hasSuffix(suffix) && name.count > suffix.count {
            return String(name.dropLast(suffix.count))
        }
        return nil
    }

    /// `2026-11-27-deploy-friday` → (`2026-11-27`, `deploy-friday`).
    static func splitPostName(_ stem: String) -> (day: String, slug: String)? {
        let scalars = Array(stem.unicodeScalars)
        guard scalars.count > 11, scalars[10] == "-" else { return nil }
        for (index, scalar) in scalars[0..<10].enumerated() {
            let isDigit = ("0"..."9").contains(scalar)
            if (index == 4 || index == 7) ? scalar != "-" : !isDigit { return nil }
        }
        return (String(stem.prefix(10)), String(stem.dropFirst(11)))
    }

    /// `preferred`, or `preferred-2`, `-3`, … : the first slug no file of another key uses, in
    /// `_drafts` or `_posts` (compared case-insensitively, for case-insensitive file systems).
    private func allocateSlug(_ preferred: String, for key: String, in index: FolderIndex) -> String {
        var candidate = preferred
        var number = 2
        while index.isSlugTaken(candidate, byOtherThan: key) {
            candidate = "\(preferred)-\(number)"
            number += 1
        }
        return candidate
    }

    private func reference(for file: PostFile, modified: String? = nil) -> PostReference {
        var location = file.relativePath
        if let baseURL, file.folder == .posts, let day = file.day {
            location = "\(baseURL)/\(day.replacing("-", with: "/"))/\(file.slug).html"
        }
        return PostReference(
            remoteID: file.relativePath, location: location, slug: file.slug,
            status: file.folder == .posts ? .published : .draft, modified: modified)
    }

    /// The reference of a file found on disk (an earlier attempt wrote it), stamped with its bytes.
    private func stampedReference(for file: PostFile) throws -> PostReference {
        reference(for: file, modified: ContentFingerprint.of(try FolderIO.read(path(file))))
    }

    // MARK: - Comments

    private func commentsNow(on post: PostReference) throws -> [BlogComment] {
        let slug = post.slug.isEmpty ? Self.slug(fromRemoteID: post.remoteID) : post.slug
        guard let slug, isSafeName(Substring(slug)) else {
            throw BlogEngineError(
                "cannot read comments for \(post.remoteID) in \(directory): it has no usable slug", isTransient: false)
        }
        var comments: [BlogComment] = []
        for var comment in try commentFiles.comments(slug: slug) {
            comment.postID = post.remoteID
            comments.append(comment)
        }
        return comments
    }

    static func slug(fromRemoteID remoteID: String) -> String? {
        guard let name = remoteID.split(separator: "/").last, let stem = markdownStem(String(name)) else { return nil }
        return splitPostName(stem)?.slug ?? stem
    }
}
