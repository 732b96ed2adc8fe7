/// One thing wrong with a configuration file, located by its JSON path and saying how to fix it.
///
/// ```
/// config.json: chat.logfile.formt: unknown key; did you mean "format"?
/// config.json: invalid JSON at line 3, column 14: expected ',' or '}'
/// ```
///
/// Messages quote values from the file only after escaping control characters and truncating
/// them, and never contain the value of a secret (see ``SecretValue``).
public struct ConfigurationProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file the problem is in, as the operator named it (e.g. `config.json`).
    public var sourceName: String
    /// The JSON path of the offending key, like `chat.logfile.path` or `roles.approvers[1]`;
    /// empty for problems with the file as a whole (unreadable, invalid JSON).
    public var path: String
    /// What is wrong and what to do about it.
    public var message: String

    public init(sourceName: String, path: String, message: String) {
        self.sourceName = sourceName
        self.path = path
        self.message = message
    }

    /// `<file>: <path>: <message>`, or `<file>: <message>` when the path is empty.
    public var description: String {
        path.isEmpty ? "\(sourceName): \(message)" : "\(sourceName): \(path): \(message)"
    }
}
