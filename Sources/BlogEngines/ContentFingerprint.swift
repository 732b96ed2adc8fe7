import MessageAuthentication

/// The stamp a ``MarkdownFolderEngine`` puts in ``PostReference/modified``: `sha256:` and the
/// lower-case hex SHA-256 of the exact bytes of the file it wrote.
///
/// ```swift
/// ContentFingerprint.of(Array("abc".utf8))
/// // sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
/// ```
/// A file whose bytes no longer give the stamp the bot last recorded was changed by someone else
/// (a person in an editor, a script, a merge), and the bot must not write over it.
public enum ContentFingerprint {
    public static let prefix = "sha256:"

    /// The stamp of `bytes`.
    public static func of(_ bytes: some Collection<UInt8>) -> String {
        prefix + HMACSHA256.hexadecimal(SHA256.hash(bytes))
    }

    /// The stamp of `text` encoded as UTF-8 (as ``FolderIO`` writes it).
    public static func of(_ text: String) -> String { of(Array(text.utf8)) }
}
