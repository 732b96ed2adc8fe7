import BlogEngines
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import Synchronization
import ThreadpressModel

/// A WordPress site as a blog engine, over its REST API with an application password. Works on a
/// stock WordPress (5.6 or later): no plugin needed.
///
/// ```swift
/// let engine = WordPressEngine(settings: WordPressSettings(
///     siteURL: URL(string: "https://blog.example.com")!, username: "author", applicationPassword: secret))
/// let reference = try await engine.createDraft(draft)         // status=draft, edit link in editLocation
/// _ = try await engine.publish(draft, reference: reference, at: Date())
/// ```
/// - Idempotency: the content carries `<!-- threadpress:KEY -->`; ``find(key:)`` finds it with
///   `search=threadpress:KEY` over every status (WordPress searches post content, comments included).
/// - A person's work wins: ``publish(_:reference:at:)`` reads the post first and sends only `status`
///   and `date_gmt`, never content; a post a person already published, scheduled, made private or
///   trashed is a ``BlogEngineError/Kind/conflict``.
/// - Edits from chat: ``update(_:reference:)`` rewrites title, content and tags only while the post's
///   `modified_gmt` is still the one the bot last wrote (``PostReference/modified``); a post a person
///   changed since is a ``BlogEngineError/Kind/conflict`` naming its wp-admin edit link.
/// - Comments: one request per poll for the whole site (see ``comments(after:scope:)``).
public struct WordPressEngine: BlogEngine {
    public let client: WordPressClient
    public var settings: WordPressSettings { client.settings }
    let renderer = WordPressPostRenderer()
    let now: @Sendable () -> Date
    /// The site's time zone once known (`.some(nil)`: a fixed offset).
    let zoneCache = SiteZoneCache()

    /// `wordpress:<site url>`.
    public var identifier: String { "wordpress:" + settings.siteURL.absoluteString }

    /// An engine with its own HTTP client.
    public init(settings: WordPressSettings) {
        self.init(client: WordPressClient(settings: settings))
    }

    /// An engine over `client`; `now` is the clock that decides between publishing and scheduling.
    public init(client: WordPressClient, now: @escaping @Sendable () -> Date = { Date() }) {
        self.client = client
        self.now = now
    }

    // MARK: Posts

    public func find(key: String) async throws -> PostReference? {
        let term = WordPressPostRenderer.searchTerm(forKey: key)
        let marker = WordPressPostRenderer.marker(forKey: key)
        let posts = try await client.get("/wp/v2/posts", query: [
            ("search", term), ("status", "draft,pending,private,publish,future,trash"), ("context", "edit"),
            ("per_page", "100"), ("_fields", Self.postFields),
        ], operation: "look for the post of draft key \(key)")
        // search= matches substrings (tp-1 inside tp-12): keep only the exact marker.
        let match = posts.array?.first { $0["content"]?["raw"]?.string?.contains(marker) == true }
        return match.flatMap(reference(from:))
    }

    public func createDraft(_ draft: PostDraft) async throws -> PostReference {
        let tagIDs = try await tagIDs(for: draft.tags)
        let body = JSONValue.object(JSONObject([
            ("title", .string(renderer.title(for: draft))),
            ("content", .string(renderer.content(for: draft))),
            ("status", .string("draft")),
            ("tags", .array(tagIDs.map { .integer($0) })),
        ]))
        let post = try await client.post(
            "/wp/v2/posts", body: body, query: [("context", "edit")], operation: "create the draft for draft \(draft.number)")
        guard let reference = reference(from: post) else {
            throw WordPressFailure.unreadable(operation: "create the draft", settings: settings, status: 201)
        }
        return reference
    }

    public func publish(_ draft: PostDraft, reference: PostReference, at date: Date) async throws -> PostReference {
        let id = reference.remoteID
        let current = try await client.get(
            "/wp/v2/posts/\(id)", query: [("context", "edit"), ("_fields", Self.postFields + ",title.raw")],
            operation: "read post \(id) before publishing it")
        let status = current["status"]?.string ?? ""
        let wanted = Self.gmtString(date)
        let scheduled = date.timeIntervalSince(now()) > 1
        switch status {
        case "draft", "pending", "auto-draft":
            break
        case "publish" where current["date_gmt"]?.string == wanted, "future" where current["date_gmt"]?.string == wanted:
            // An earlier attempt with the same date did it and its answer was lost (a date under a
            // minute ahead is published at once, and cron publishes a scheduled post when due).
            // Callers must pass the same date on every attempt (the approval's, not the attempt's).
            guard var published = self.reference(from: current) else { return reference }
            if let known = reference.modified, !Self.isUnchanged(current, since: known), !holdsRendering(of: draft, current) {
                // Not the bot's text (a person edited it before that attempt): keep the old stamp,
                // so a later rewrite from chat still refuses.
                published.modified = known
            }
            return published
        case "publish", "private":
            throw BlogEngineError(
                "post \(id) is already published in WordPress (by a person, or by an attempt whose answer was lost): left as it is",
                kind: .conflict)
        case "future":
            throw BlogEngineError(
                "post \(id) is already scheduled in WordPress for \(current["date_gmt"]?.string ?? "?") UTC by a person: left as it is",
                kind: .conflict)
        case "trash":
            throw BlogEngineError("post \(id) was moved to the trash in WordPress: not published", kind: .conflict)
        default:
            throw BlogEngineError("post \(id) has status \"\(WordPressFailure.oneLine(status, limit: 30))\" in WordPress: not published", kind: .conflict)
        }
        // Status and date only: content a person edited in WordPress stays as they left it.
        let body = JSONValue.object(JSONObject([
            ("status", .string(scheduled ? "future" : "publish")),
            ("date_gmt", .string(wanted)),
        ]))
        let post = try await client.post(
            "/wp/v2/posts/\(id)", body: body, query: [("context", "edit"), ("_fields", Self.postFields)],
            operation: scheduled ? "schedule post \(id)" : "publish post \(id)")
        guard var published = self.reference(from: post) else { return reference }
        if let known = reference.modified, !Self.isUnchanged(current, since: known), !holdsRendering(of: draft, current) {
            // A person edited the post before it was published: keep the stamp the bot last wrote,
            // so a later rewrite from chat still sees their edit and refuses.
            published.modified = known
        }
        return published
    }

    /// Rewrites title, content and tags from `draft`, leaving status and date as they are, after
    /// checking that nobody changed the post since the bot last wrote it.
    ///
    /// - The post's `modified_gmt` differs from `reference.modified`: a ``BlogEngineError/Kind/conflict``
    ///   naming the wp-admin edit link, nothing sent. One exception: when the post already holds
    ///   exactly the title and content this draft renders to, an earlier attempt did the rewrite
    ///   and its answer was lost; that is success, not a person's edit.
    /// - A reference without a stamp is rewritten (nothing to compare with).
    /// - A post trashed or deleted in WordPress is a conflict too.
    /// - `modified_gmt` has one-second resolution: an edit in the same second as the bot's own
    ///   write cannot be seen.
    public func update(_ draft: PostDraft, reference: PostReference) async throws -> PostReference {
        let id = reference.remoteID
        let editLink = settings.siteRoot + "wp-admin/post.php?post=\(id)&action=edit"
        let current: JSONValue
        do {
            current = try await client.get(
                "/wp/v2/posts/\(id)", query: [("context", "edit"), ("_fields", Self.postFields + ",title.raw")],
                operation: "read post \(id) before rewriting it")
        } catch let error as BlogEngineError where error.kind == .conflict && (error.httpStatus == 404 || error.httpStatus == 410) {
            throw BlogEngineError(
                "post \(id) is gone from WordPress (deleted by hand), so I did not rewrite it", kind: .conflict,
                httpStatus: error.httpStatus)
        }
        if current["status"]?.string == "trash" {
            throw BlogEngineError(
                "post \(id) was moved to the trash in WordPress, so I did not rewrite it: restore it at \(editLink) to edit it there",
                kind: .conflict)
        }
        let title = renderer.title(for: draft)
        let content = renderer.content(for: draft)
        if let known = reference.modified, !Self.isUnchanged(current, since: known) {
            if holdsRendering(of: draft, current) {
                return self.reference(from: current) ?? reference
            }
            throw BlogEngineError(
                "post \(id) was changed in WordPress since I last wrote it, so I did not rewrite it: edit it at \(editLink)",
                kind: .conflict)
        }
        let tagIDs = try await tagIDs(for: draft.tags)
        let body = JSONValue.object(JSONObject([
            ("title", .string(title)),
            ("content", .string(content)),
            ("tags", .array(tagIDs.map { .integer($0) })),
        ]))
        let post = try await client.post(
            "/wp/v2/posts/\(id)", body: body, query: [("context", "edit"), ("_fields", Self.postFields)],
            operation: "rewrite post \(id) for draft \(draft.number)")
        guard let updated = self.reference(from: post) else {
            throw WordPressFailure.unreadable(operation: "rewrite post \(id)", settings: settings, status: 200)
        }
        return updated
    }

    public func checkAccess() async throws -> String {
        let name = try await client.checkCredentials()
        return "\(identifier): signed in as \(name)"
    }

    /// Whether a person changed the post in WordPress since the bot wrote or last saw it: its
    /// `modified_gmt` differs from `reference.modified` (one-second resolution: an edit within the
    /// same second as the bot's write is not seen). `false` when the reference has no stamp.
    /// ``publish(_:reference:at:)`` keeps such edits anyway; this lets the bot say so in chat.
    public func isEditedInWordPress(_ reference: PostReference) async throws -> Bool {
        guard let known = reference.modified else { return false }
        let current = try await client.get(
            "/wp/v2/posts/\(reference.remoteID)", query: [("context", "edit"), ("_fields", "id,modified_gmt,content.raw")],
            operation: "read post \(reference.remoteID)")
        return !Self.isUnchanged(current, since: known)
    }

    public func discard(_ reference: PostReference) async throws {
        let id = reference.remoteID
        let current: JSONValue
        do {
            current = try await client.get(
                "/wp/v2/posts/\(id)", query: [("context", "edit"), ("_fields", "id,status")],
                operation: "read post \(id) before trashing it")
        } catch let error as BlogEngineError where error.kind == .conflict && (error.httpStatus == 404 || error.httpStatus == 410) {
            return  // already gone
        }
        switch current["status"]?.string {
        case "trash"?:
            return
        case "publish"?, "future"?, "private"?:
            throw BlogEngineError(
                "post \(id) was published or scheduled in WordPress meanwhile: not moved to the trash", kind: .conflict)
        default:
            do {
                _ = try await client.delete("/wp/v2/posts/\(id)", query: [("_fields", "id,status")], operation: "trash post \(id)")
            } catch let error as BlogEngineError where error.kind == .conflict && (error.httpStatus == 404 || error.httpStatus == 410) {
                return
            }
        }
    }

    /// Whether `post` (read with `content.raw` and `title.raw`) holds exactly the title and content
    /// the bot writes for `draft`: the bot's own text, whatever its `modified_gmt`.
    func holdsRendering(of draft: PostDraft, _ post: JSONValue) -> Bool {
        post["title"]?["raw"]?.string == renderer.title(for: draft)
            && post["content"]?["raw"]?.string == renderer.content(for: draft)
    }

    // MARK: Tags

    /// The ids of tags named `names`, created when missing (matched by name, case-insensitively).
    func tagIDs(for names: [String]) async throws -> [Int64] {
        var ids: [Int64] = []
        for raw in names {
            let name = CommentText.plain(fromText: raw, limit: 100)
            guard !name.isEmpty else { continue }
            var id = try await existingTagID(named: name)
            if id == nil {
                do {
                    let created = try await client.post(
                        "/wp/v2/tags", body: .object(JSONObject([("name", .string(name))])), query: [("_fields", "id")],
                        operation: "create tag \"\(name)\"")
                    id = created["id"]?.int64
                } catch let error as BlogEngineError where error.httpStatus == 400 {
                    // term_exists: made meanwhile, or a name WordPress considers the same.
                    guard let existing = try await existingTagID(named: name) else { throw error }
                    id = existing
                }
            }
            if let id, !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    private func existingTagID(named name: String) async throws -> Int64? {
        let found = try await client.get(
            "/wp/v2/tags", query: [("search", name), ("per_page", "100"), ("_fields", "id,name")],
            operation: "look up tag \"\(name)\"")
        return found.array?.first {
            CommentText.decodeEntities($0["name"]?.string ?? "").lowercased() == name.lowercased()
        }?["id"]?.int64
    }

    // MARK: JSON → model

    static let postFields = "id,status,link,slug,generated_slug,modified_gmt,date_gmt,content.raw"

    func reference(from post: JSONValue) -> PostReference? {
        guard let id = post["id"]?.identifier else { return nil }
        let status: PostReference.Status = switch post["status"]?.string {
        case "publish"?, "private"?: .published
        case "future"?: .scheduled
        default: .draft
        }
        let slug = post["slug"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? post["generated_slug"]?.string ?? ""
        var reference = PostReference(
            remoteID: id, location: post["link"]?.string ?? settings.siteRoot + "?p=\(id)", slug: slug, status: status)
        reference.editLocation = settings.siteRoot + "wp-admin/post.php?post=\(id)&action=edit"
        reference.modified = Self.stamp(of: post)
        return reference
    }

    /// What ``PostReference/modified`` holds for a post: its `modified_gmt` and, when the answer
    /// carried the raw content, a fingerprint of it (`2026-12-02T08:44:10 sha256:…`). `modified_gmt`
    /// has one-second resolution; the fingerprint also catches a person's edit made in the same
    /// second as the bot's write.
    static func stamp(of post: JSONValue) -> String? {
        guard let modified = post["modified_gmt"]?.string else { return nil }
        guard let raw = post["content"]?["raw"]?.string else { return modified }
        return modified + " " + ContentFingerprint.of(raw)
    }

    /// Whether `post` (read with `modified_gmt` and `content.raw`) is as it was when `known` was
    /// taken. A stamp without a fingerprint (written by an earlier release) compares the date only.
    static func isUnchanged(_ post: JSONValue, since known: String) -> Bool {
        let parts = known.split(separator: " ", maxSplits: 1).map(String.init)
        guard let modified = post["modified_gmt"]?.string, modified == parts.first else { return false }
        guard parts.count == 2, let raw = post["content"]?["raw"]?.string else { return true }
        return ContentFingerprint.of(raw) == parts[1]
    }

    /// WordPress's `date_gmt` format: `2026-12-01T09:00:00`, UTC, whole seconds.
    static func gmtString(_ date: Date) -> String {
        let c = IANATimeZone.utc.localTime(of: date)
        func two(_ value: Int) -> String { String(value).leftPadded(to: 2) }
        return "\(String(c.year).leftPadded(to: 4))-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    /// Parses `date_gmt` (`2026-12-01T09:00:00`, UTC).
    static func parseGMT(_ text: String) -> Date? {
        let parts = text.split(whereSeparator: { "-T:".contains($0) }).compactMap { Int($0) }
        guard parts.count == 6 else { return nil }
        return IANATimeZone.utc.date(from: LocalDateTime(
            year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4], second: parts[5]))
    }
}

/// The site's time zone, shared by copies of an engine and asked for once.
final class SiteZoneCache: Sendable {
    let value = Mutex<IANATimeZone??>(nil)
}
