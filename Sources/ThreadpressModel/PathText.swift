/// `NSString`'s path helpers on plain strings, without Foundation: lexical only, no file system.
public enum PathText {
    /// `a/b/c.md` → `c.md`; `/` → `/`; trailing slashes ignored.
    public static func lastComponent(_ path: String) -> String {
        let parts = path.split(separator: "/")
        guard let last = parts.last else { return path.hasPrefix("/") ? "/" : "" }
        return String(last)
    }

    /// `a/b/c.md` → `a/b`; `/c.md` → `/`; `c.md` → `` (trailing slashes ignored).
    public static func deletingLastComponent(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts = path.split(separator: "/")
        guard !parts.isEmpty else { return absolute ? "/" : "" }
        parts.removeLast()
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }

    /// Removes empty and `.` components and resolves `..` against the components before it, as
    /// `NSString.standardizingPath` does for an absolute path (no symlinks are followed); no trailing `/`.
    public static func standardized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." { parts.removeLast() } else if !absolute { parts.append(part) }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
