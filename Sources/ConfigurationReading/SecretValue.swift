/// A secret read from the configuration (a password, a token), which never prints itself.
///
/// `description`, `debugDescription`, `dump` and string interpolation all show `<redacted>`;
/// only ``value`` gives the secret, so the one place that uses it is easy to find.
///
/// In the configuration file a secret field `password` may be written three ways, exactly one of
/// which must be used:
///
/// ```json
/// { "password": "literal value" }
/// { "password_env": "WP_PASS" }          // the name of an environment variable
/// { "password_file": "secrets/wp.pass" } // a file, relative to the configuration's folder
/// ```
public struct SecretValue: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Where a secret came from; safe to print (it names the variable or file, not the value).
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// Written literally in the configuration file.
        case literal
        /// Read from the environment variable with this name.
        case environment(String)
        /// Read from the file at this absolute path (one trailing newline removed).
        case file(String)

        public var description: String {
            switch self {
            case .literal: "the configuration file"
            case .environment(let name): "environment variable \(name)"
            case .file(let path): "file \(path)"
            }
        }
    }

    /// The secret itself. Pass it straight to the call that needs it; never log it.
    public let value: String
    /// Where the secret came from.
    public let source: Source

    public init(_ value: String, source: Source = .literal) {
        self.value = value
        self.source = source
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
