import ConfigurationReading
/// Who may do what (`roles`).
///
/// ```json
/// "roles": { "approvers": ["clark", "lois"] }
/// ```
public struct RolesConfiguration: Sendable {
    /// The people who may approve and publish drafts (`approvers`, default none). They are
    /// matched by account on networks that have accounts, and by nick on log files.
    public var approvers: [String]

    public init(approvers: [String] = []) {
        self.approvers = approvers
    }
}

extension RolesConfiguration {
    init(reading reader: ConfigurationObjectReader) {
        var approvers: [String] = []
        if let given = reader.strings("approvers") {
            approvers = given
            for (index, name) in given.enumerated()
            where name.isEmpty || name.contains(where: \.isWhitespace) || UntrustedText.containsControlCharacters(name) {
                reader.context.report(
                    reader.path(for: "approvers") + "[\(index)]",
                    "expected an account or nick without spaces, got \(UntrustedText.quoted(name))")
            }
        }
        reader.finish()
        self.init(approvers: approvers)
    }
}
