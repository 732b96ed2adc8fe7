import ConfigurationReading
/// Who may do what (`roles`).
///
/// ```json
/// "roles": { "approvers": ["clark", "lois"], "repliers": ["jane"], "admins": ["perry"] }
/// ```
public struct RolesConfiguration: Sendable {
    /// The people who may approve and publish drafts and moderate comments (`approvers`, default
    /// none). They are matched by account on networks that have accounts, and by nick on log files.
    public var approvers: [String]
    /// The people who may also answer blog comments with `!reply` (`repliers`, default none).
    public var repliers: [String]
    /// The people who may give and take roles in chat (`!role add approver ACCOUNT`; `admins`,
    /// default none). Roles given in chat are kept in the store and add to these lists.
    public var admins: [String]

    public init(approvers: [String] = [], repliers: [String] = [], admins: [String] = []) {
        self.approvers = approvers
        self.repliers = repliers
        self.admins = admins
    }
}

extension RolesConfiguration {
    init(reading reader: ConfigurationObjectReader) {
        func people(_ key: String) -> [String] {
            guard let given = reader.strings(key) else { return [] }
            for (index, name) in given.enumerated()
            where name.isEmpty || name.contains(where: \.isWhitespace) || UntrustedText.containsControlCharacters(name) {
                reader.context.report(
                    reader.path(for: key) + "[\(index)]",
                    "expected an account or nick without spaces, got \(UntrustedText.quoted(name))")
            }
            return given
        }
        let approvers = people("approvers")
        let repliers = people("repliers")
        let admins = people("admins")
        reader.finish()
        self.init(approvers: approvers, repliers: repliers, admins: admins)
    }
}
