#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Threads
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import JSON
import ThreadpressModel

/// Reads one Staticman comment file (JSON) into a ``BlogComment``.
///
/// Fields: `name`, `message` (required), `date` (required: unix seconds or milliseconds, as a
/// number or a digit string, or ISO 8601), `url` (optional, kept only when http/https), `_id`
/// (optional), `type` (optional: `pingback`/`trackback`; anything else is a comment). `email` and
/// any other field are ignored. Staticman only writes a file once the comment is merged, so every
/// comment is ``BlogComment/Status/approved``.
///
/// The id is `_id` when present, otherwise `<slug>/<file name without .json>`: stable when the file
/// is touched or rewritten, and unique across posts (a bare file name such as `1.json` could repeat
/// under another post and be taken for a comment already mirrored).
enum StaticmanComment {
    struct Problem: Error, Equatable {
        var reason: String
    }

    static func parse(_ bytes: [UInt8], fileStem: String, slug: String) -> Result<BlogComment, Problem> {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            return .failure(Problem(reason: "not valid JSON (line \(error.line), column \(error.column): \(error.message))"))
        }
        guard let fields = document.object else {
            return .failure(Problem(reason: "expected a JSON object"))
        }
        guard let rawMessage = fields["message"]?.string else {
            return .failure(Problem(reason: "no \"message\" string"))
        }
        guard let rawDate = fields["date"], !rawDate.isNull else {
            return .failure(Problem(reason: "no \"date\""))
        }
        guard let date = parseDate(rawDate) else {
            let shown = rawDate.serialized()
            return .failure(Problem(
                reason: "\"date\" is neither unix seconds nor ISO 8601: \(shown.prefix(40))\(shown.count > 40 ? "…" : "")"))
        }
        let name = fields["name"]?.string.map { CommentText.plain(fromHTML: $0, limit: 200) } ?? ""
        let id: String
        switch fields["_id"] {
        case .string(let text)? where !text.isEmpty: id = text
        case .number(let text)?: id = Int64(text).map(String.init) ?? text
        default: id = "\(slug)/\(fileStem)"
        }
        let kind: BlogComment.Kind
        switch fields["type"]?.string?.lowercased() {
        case "pingback": kind = .pingback
        case "trackback": kind = .trackback
        default: kind = .comment
        }
        var url: String?
        if let text = fields["url"]?.string?.trimmingWhitespace(),
            let scheme = URL(string: text)?.scheme?.lowercased(), scheme == "http" || scheme == "https"
        {
            url = text
        }
        return .success(
            BlogComment(
                id: id, kind: kind, status: .approved, authorName: name.isEmpty ? "anonymous" : name,
                authorURL: url, text: CommentText.plain(fromHTML: rawMessage, limit: 10_000), date: date))
    }

    /// Unix seconds (or milliseconds, for values past the year 5000) as a number or digit string,
    /// or ISO 8601 with or without fractional seconds.
    static func parseDate(_ value: JSONValue) -> Date? {
        func fromEpoch(_ number: Double) -> Date? {
            guard number.isFinite, number >= 0 else { return nil }
            return Date(timeIntervalSince1970: number >= 1e11 ? number / 1000 : number)
        }
        switch value {
        case .number(let text):
            return Double(text).flatMap(fromEpoch)
        case .string(let text):
            let trimmed = text.trimmingSpaces()
            if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                let number = Double(trimmed)
            {
                return fromEpoch(number)
            }
            if let date = try? Date(trimmed, strategy: .iso8601) { return date }
            return try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        default:
            return nil
        }
    }
}

/// Reads the Staticman comment files of a site's posts, `<site>/_data/comments/<slug>/*.json`,
/// as the untrusted input they are (anyone whose pull request was merged wrote one).
///
/// - Symbolic links are never followed under `_data/comments`: not for `_data`, `comments`, the
///   post's folder or a file (each is refused with a warning), so a link cannot make the bot read,
///   and announce in the channel, a file outside the blog folder.
/// - A file larger than `maximumFileSize` (64 KiB) is skipped with a warning without being read.
/// - A warning about a file is given once per version of that file (its inode, size and
///   modification time): the engine is polled every minute, and an unchanged broken file is not
///   news. Fixing, replacing or touching the file makes a new version, which is judged again.
///
/// Used from the engine's queue; the warning memory is locked all the same.
final class StaticmanCommentFiles: @unchecked Sendable {
    static let defaultMaximumFileSize = 64 * 1024

    /// The site folder (absolute).
    let directory: String
    let maximumFileSize: Int
    private let onWarning: @Sendable (String) -> Void
    private let lock = ConditionLock()
    /// The version of each path last warned about.
    private var warned: [String: FolderIO.EntryVersion] = [:]

    init(directory: String, maximumFileSize: Int = defaultMaximumFileSize, onWarning: @escaping @Sendable (String) -> Void) {
        self.directory = directory
        self.maximumFileSize = maximumFileSize
        self.onWarning = onWarning
    }

    /// The comments in `_data/comments/<slug>/`, in file-name order; `slug` must be one safe
    /// file name (no `/`, not starting with `.`).
    func comments(slug: String) throws(FolderIOFailure) -> [BlogComment] {
        let components = ["_data", "comments", slug]
        let folderPath = ([directory] + components).joined(separator: "/")
        let folder: Int32
        switch try FolderIO.openFolder(directory, components: components) {
        case .folder(let descriptor): folder = descriptor
        case .missing, .notAFolder: return []
        case .symbolicLink:
            // Which step was the link: warn about that one, once per version of the link.
            var path = directory
            for component in components {
                path += "/" + component
                var info = stat()
                if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
                    warnOnce(path, FolderIO.EntryVersion(info),
                             "skipped \(path): a symbolic link; comment folders must be real folders inside the blog folder")
                    break
                }
            }
            return []
        }
        defer { close(folder) }
        var comments: [BlogComment] = []
        for name in try FolderIO.list(folder, path: folderPath) {
            let path = "\(folderPath)/\(name)"
            guard let version = try FolderIO.entryVersion(name, in: folder, path: path) else { continue }
            guard name.hasSuffix(".json") else {
                if name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
                    warnOnce(path, version, "skipped \(path): only JSON comment files are read (set Staticman's format to json)")
                }
                continue
            }
            if version.isSymbolicLink {
                warnOnce(path, version, "skipped \(path): a symbolic link; comment files must be regular files inside the blog folder")
                continue
            }
            guard version.isRegularFile else { continue }
            if version.size > Int64(maximumFileSize) {
                warnOnce(path, version, Self.tooLarge(path, size: version.size, limit: maximumFileSize))
                continue
            }
            switch try FolderIO.readRegularFile(name, in: folder, path: path, limit: maximumFileSize) {
            case .bytes(let bytes):
                switch StaticmanComment.parse(bytes, fileStem: String(name.dropLast(5)), slug: slug) {
                case .success(let comment):
                    forget(path)
                    comments.append(comment)
                case .failure(let problem):
                    warnOnce(path, version, "skipped \(path): \(problem.reason)")
                }
            case .tooLarge(let size):
                warnOnce(path, version, Self.tooLarge(path, size: size, limit: maximumFileSize))
            case .symbolicLink:
                warnOnce(path, version, "skipped \(path): a symbolic link; comment files must be regular files inside the blog folder")
            case .notARegularFile:
                continue
            }
        }
        return comments
    }

    private static func tooLarge(_ path: String, size: Int64, limit: Int) -> String {
        "skipped \(path): \(size) bytes, more than the \(limit / 1024) KiB a comment file may have"
    }

    private func warnOnce(_ path: String, _ version: FolderIO.EntryVersion, _ message: String) {
        lock.lock()
        let isNew = warned[path] != version
        warned[path] = version
        lock.unlock()
        if isNew { onWarning(message) }
    }

    private func forget(_ path: String) {
        lock.lock()
        warned[path] = nil
        lock.unlock()
    }
}
