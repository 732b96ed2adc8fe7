import ConfigurationReading

/// What quoted people must agree to before their words are published (`consent`).
///
/// ```json
/// "consent": { "policy": "ask" }
/// ```
public struct ConsentConfiguration: Sendable {
    /// `open` (default): anyone may be quoted and may take their lines out (`!redact`); `ask`: every
    /// quoted person must `!ok N` before an approver can publish, unless an approver overrides with
    /// a reason; `pseudonymous`: quoted people appear as "Colleague A", "Colleague B"… unless they
    /// `!ok N`.
    public var policy: Policy

    public enum Policy: String, Sendable, CaseIterable {
        case open, ask, pseudonymous
    }

    public init(policy: Policy = .open) {
        self.policy = policy
    }
}

extension ConsentConfiguration {
    init(reading reader: ConfigurationObjectReader) {
        let policy = reader.choice("policy", as: Policy.self) ?? .open
        reader.finish()
        self.init(policy: policy)
    }
}
