extension IRCMessage: CustomStringConvertible, CustomDebugStringConvertible {
    /// Commands whose parameters are secrets (passwords, SASL payloads) and never printed.
    static let secretCommands: Set<String> = ["PASS", "AUTHENTICATE", "OPER"]

    /// The line as it would be sent, for logs, with the parameters of `PASS`, `AUTHENTICATE` and
    /// `OPER` replaced by `<redacted>`, so a printed action never shows a password. Lines that
    /// cannot be serialised show their parts instead.
    public var description: String {
        var shown = self
        if Self.secretCommands.contains(command.uppercased()) {
            shown.parameters = parameters.map { $0 == "+" || $0 == "PLAIN" || $0 == "EXTERNAL" ? $0 : "<redacted>" }
        }
        if let line = try? shown.serialized() { return line }
        return "IRCMessage(command: \(shown.command.debugDescription), parameters: \(shown.parameters.debugDescription))"
    }

    public var debugDescription: String { description }
}
