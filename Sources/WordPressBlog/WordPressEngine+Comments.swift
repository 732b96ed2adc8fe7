import BlogEngines
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import JSON
import ThreadpressModel

extension WordPressEngine {
    /// How far before the cursor a poll asks from: `after=` is exclusive at one-second resolution, so
    /// one second (the last second is asked again; the ledger removes repeats). WordPress compares
    /// `after` with the comment's *local* time, so when the site's time zone falls back within an hour
    /// of the cursor (local times repeat) the margin is an hour and a second, once a year.
    static func cursorMargin(at cursor: Date, siteZone: IANATimeZone?) -> TimeInterval {
        guard let siteZone,
              let transition = siteZone.nextOffsetChange(after: cursor.addingTimeInterval(-3600)),
              transition <= cursor.addingTimeInterval(3600)
        else { return 1 }
        return 3601
    }

    /// Comments per page; a full page asks for the next one (at most ``maximumPages`` per call).
    static let pageSize = 100
    static let maximumPages = 10
    static let commentFields = "id,post,parent,author_name,author_url,date_gmt,content,link,status,type,_links,_embedded"

    /// Comments, pingbacks and trackbacks newer than `cursor` in ONE request when nothing is new:
    /// `GET /wp/v2/comments?after=…&status=all&type=all&orderby=date_gmt&order=asc&per_page=100&_embed=up`.
    ///
    /// `status=all` returns approved and held comments (never spam or trash); `type=all` is the one
    /// value that returns comments, pingbacks and trackbacks together (`type[]=` arrays are refused
    /// with 400); other comment types (e.g. shop order notes) are dropped here. `_embed=up` brings the
    /// post titles. The cursor is the newest `date_gmt` seen (`2026-12-01T09:00:00`, UTC).
    public func comments(after cursor: String?, scope: CommentScope) async throws -> CommentPage {
        var postFilter: Set<String>?
        var query: [(String, String)] = [
            ("status", "all"), ("type", "all"), ("orderby", "date_gmt"), ("order", "asc"),
            ("per_page", String(Self.pageSize)), ("context", "edit"), ("_embed", "up"), ("_fields", Self.commentFields),
        ]
        if case .posts(let references) = scope {
            let ids = Set(references.map(\.remoteID))
            guard !ids.isEmpty else { return CommentPage(comments: [], cursor: cursor) }
            postFilter = ids
            // A long list would make a long URL: then ask for everything and filter here.
            if ids.count <= 100 { query.append(("post", ids.sorted().joined(separator: ","))) }
        }
        var oldestWanted: Date?
        if let cursor {
            guard let date = Self.parseGMT(cursor) else {
                throw BlogEngineError("comment cursor \"\(WordPressFailure.oneLine(cursor, limit: 40))\" is not a WordPress date_gmt", kind: .permanent)
            }
            oldestWanted = date.addingTimeInterval(-1)
            let margin = Self.cursorMargin(at: date, siteZone: try await siteZone())
            query.append(("after", Self.gmtString(date.addingTimeInterval(-margin)) + "Z"))
        }
        var comments: [BlogComment] = []
        var newest = cursor
        for page in 1...Self.maximumPages {
            let answer = try await client.perform(
                .get, "/wp/v2/comments", query: query + (page > 1 ? [("page", String(page))] : []), body: nil,
                operation: "list comments")
            let items = answer.json.array ?? []
            for item in items {
                if let date = item["date_gmt"]?.string, newest == nil || date > newest! { newest = date }
                guard let comment = comment(from: item) else { continue }
                if let oldestWanted, comment.date < oldestWanted { continue }
                if let postFilter, !postFilter.contains(comment.postID) { continue }
                comments.append(comment)
            }
            if items.count < Self.pageSize { break }
        }
        return CommentPage(comments: comments, cursor: newest)
    }

    /// The site's time zone (`timezone_string` of the API root), asked once per engine; `nil` for a
    /// fixed UTC offset (no daylight saving).
    func siteZone() async throws -> IANATimeZone? {
        if let known = zoneCache.value.withLock({ $0 }) { return known }
        let index = try await client.get("/", query: [("_fields", "timezone_string,gmt_offset")], operation: "read the site's time zone")
        let zone = (index["timezone_string"]?.string).flatMap { $0.isEmpty ? nil : IANATimeZone(identifier: $0) }
        zoneCache.value.withLock { $0 = .some(zone) }
        return zone
    }

    /// The current state of these comments, in one request per 100 ids (`include=`). Spam, trash and
    /// deleted comments are not returned.
    public func comments(ids: [String]) async throws -> [BlogComment] {
        let numeric = Array(Set(ids.filter { Int64($0) != nil })).sorted()
        var result: [BlogComment] = []
        var start = 0
        while start < numeric.count {
            let chunk = numeric[start..<min(start + Self.pageSize, numeric.count)]
            start += Self.pageSize
            let items = try await client.get("/wp/v2/comments", query: [
                ("include", chunk.joined(separator: ",")), ("status", "all"), ("type", "all"),
                ("per_page", String(Self.pageSize)), ("context", "edit"), ("_embed", "up"), ("_fields", Self.commentFields),
            ], operation: "re-check \(chunk.count) comments")
            result += (items.array ?? []).compactMap(comment(from:))
        }
        return result
    }

    /// `approve` → `approved`, `spam` → `spam`, `trash` → `trash`, one POST.
    public func moderate(commentID: String, to action: CommentModeration) async throws {
        guard Int64(commentID) != nil else {
            throw BlogEngineError("comment id \"\(WordPressFailure.oneLine(commentID, limit: 20))\" is not a WordPress comment id", kind: .permanent)
        }
        let status = switch action {
        case .approve: "approved"
        case .spam: "spam"
        case .trash: "trash"
        }
        _ = try await client.post(
            "/wp/v2/comments/\(commentID)", body: .object(JSONObject([("status", .string(status))])),
            query: [("_fields", "id,status")], operation: "\(action.rawValue) comment \(commentID)")
    }

    /// Posts `text` (escaped: chat text never becomes live HTML) as a reply to `toCommentID`, as the
    /// configured user, on the same post.
    public func reply(toCommentID: String, text: String) async throws -> BlogComment {
        guard Int64(toCommentID) != nil else {
            throw BlogEngineError("comment id \"\(WordPressFailure.oneLine(toCommentID, limit: 20))\" is not a WordPress comment id", kind: .permanent)
        }
        let parent = try await client.get(
            "/wp/v2/comments/\(toCommentID)", query: [("context", "edit"), ("_fields", "id,post")],
            operation: "read comment \(toCommentID) to reply to it")
        guard let post = parent["post"]?.int64 else {
            throw WordPressFailure.unreadable(operation: "read comment \(toCommentID)", settings: settings, status: 200)
        }
        let content = WordPressPostRenderer.escapeMultiline(text)
        let created = try await client.post("/wp/v2/comments", body: .object(JSONObject([
            ("post", .integer(post)), ("parent", .integer(Int64(toCommentID)!)), ("content", .string(content)),
        ])), query: [("context", "edit"), ("_embed", "up"), ("_fields", Self.commentFields)],
            operation: "reply to comment \(toCommentID)")
        guard let comment = comment(from: created) else {
            throw WordPressFailure.unreadable(operation: "reply to comment \(toCommentID)", settings: settings, status: 201)
        }
        return comment
    }

    /// A REST comment as a ``BlogComment``; `nil` for types other than comment, pingback, trackback
    /// and statuses other than approved and held.
    func comment(from item: JSONValue) -> BlogComment? {
        guard let id = item["id"]?.identifier, let dateText = item["date_gmt"]?.string,
              let date = Self.parseGMT(dateText)
        else { return nil }
        let kind: BlogComment.Kind
        switch item["type"]?.string ?? "comment" {
        case "comment", "": kind = .comment
        case "pingback": kind = .pingback
        case "trackback": kind = .trackback
        default: return nil
        }
        let status: BlogComment.Status
        switch item["status"]?.string {
        case "approved"?, "approve"?: status = .approved
        case "hold"?, "unapproved"?: status = .held
        default: return nil
        }
        let limit = settings.commentExcerptLimit
        let html = item["content"]?["raw"]?.string ?? item["content"]?["rendered"]?.string ?? ""
        var comment = BlogComment(
            id: id, kind: kind, status: status,
            authorName: CommentText.plain(fromHTML: item["author_name"]?.string ?? "", limit: 80),
            authorURL: item["author_url"]?.string.flatMap { Self.safeURL($0) },
            text: CommentText.plain(fromHTML: html, limit: limit), date: date)
        comment.postID = item["post"]?.identifier ?? ""
        if let title = item["_embedded"]?["up"]?.array?.first?["title"]?["rendered"]?.string {
            comment.postTitle = CommentText.plain(fromHTML: title, limit: 200)
        }
        comment.link = item["link"]?.string.flatMap { Self.safeURL($0) }
        return comment
    }

    /// An http(s) URL without spaces or controls (anything else is dropped: it would reach chat).
    static func safeURL(_ text: String) -> String? {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://"), text.utf8.count <= 2000,
              !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) })
        else { return nil }
        return text
    }
}
