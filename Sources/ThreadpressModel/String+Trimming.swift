/// What Foundation's `trimmingCharacters(in:)` did, without Foundation (FoundationEssentials has no
/// `CharacterSet`, and importing Foundation links ICU).
extension StringProtocol {
    /// Without the leading and trailing characters for which `isTrimmed` is true.
    public func trimmed(where isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }) else { return "" }
        let last = lastIndex(where: { !isTrimmed($0) })!
        return String(self[first...last])
    }

    /// Without leading and trailing spaces, tabs and other horizontal spaces (`CharacterSet.whitespaces`).
    public func trimmingSpaces() -> String { trimmed(where: Character.isHorizontalSpace) }

    /// Without leading and trailing white space and line breaks (`CharacterSet.whitespacesAndNewlines`).
    public func trimmingWhitespace() -> String { trimmed(where: \.isWhitespace) }
}

extension Character {
    /// A space or tab, or another Unicode space separator (Zs): what `CharacterSet.whitespaces` holds.
    public static func isHorizontalSpace(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
    }
}
