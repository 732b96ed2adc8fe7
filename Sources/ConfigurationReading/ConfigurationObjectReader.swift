import JSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads one JSON object of the configuration, key by key, tracking JSON paths and collecting
/// problems instead of stopping at the first.
///
/// Every accessor marks its key as known; ``finish()`` then reports the keys nobody asked
/// about as unknown, with a "did you mean" when one is close. Accessors return `nil` when a key is
/// missing or invalid (having reported the latter), so callers fall back to defaults and carry on:
///
/// ```swift
/// let gap = reader.int("gap_minutes", range: 1...1440) ?? 15
/// let password = reader.secret("application_password", required: true)
/// reader.finish()
/// ```
public final class ConfigurationObjectReader {
    /// This object's JSON path (`""` for the top level).
    public let path: String
    public let context: ConfigurationContext
    private let object: JSONObject
    private var knownKeys: [String] = []

    init(object: JSONObject, path: String, context: ConfigurationContext) {
        self.object = object
        self.path = path
        self.context = context
        var firstLines: [String: Int] = [:]
        for member in object.members {
            if let first = firstLines[member.key] {
                context.report(
                    self.path(for: member.key),
                    "appears more than once (lines \(first) and \(member.line)); keep only one")
            } else {
                firstLines[member.key] = member.line
            }
        }
    }

    /// A reader for a top-level value, or `nil` (reported) when it is not an object.
    public static func root(_ value: JSONValue, path: String = "", context: ConfigurationContext) -> ConfigurationObjectReader? {
        guard case .object(let object) = value else {
            context.report(path, "expected a JSON object { … }, got \(UntrustedText.describe(value))")
            return nil
        }
        return ConfigurationObjectReader(object: object, path: path, context: context)
    }

    /// The JSON path of `key` in this object.
    public func path(for key: String) -> String {
        let component = UntrustedText.pathComponent(key)
        if component.hasPrefix("[") || path.isEmpty { return path + component }
        return path + "." + component
    }

    /// Records a problem with `key` (or with this object when `key` is nil).
    public func report(_ key: String?, _ message: String) {
        context.report(key.map(path(for:)) ?? path, message)
    }

    /// Marks `keys` as known without reading them (e.g. sections of a kind that is not selected).
    public func allow(_ keys: String...) {
        for key in keys { markKnown(key) }
    }

    /// Marks `keys` as known without reading them.
    public func allow(contentsOf keys: [String]) {
        for key in keys { markKnown(key) }
    }

    /// Accepts `key` without looking inside, as long as it is an object: the settings of a kind
    /// that is not selected, kept by the operator for later.
    public func ignoreObject(_ key: String) {
        guard let value = value(key) else { return }
        if case .object = value { return }
        report(key, "expected an object { … }, got \(UntrustedText.describe(value))")
    }

    /// Whether `key` is present; marks it known.
    public func contains(_ key: String) -> Bool {
        markKnown(key)
        return object.member(key) != nil
    }

    /// Whether `key` is present, without marking it known (for keys that moved elsewhere).
    public func isPresent(_ key: String) -> Bool { object.member(key) != nil }

    /// The raw value of `key`; marks it known.
    public func value(_ key: String) -> JSONValue? {
        markKnown(key)
        return object[key]
    }

    // MARK: - Typed accessors

    /// A string. Missing and `required` → "required but missing" with `hint`.
    public func string(_ key: String, required: Bool = false, hint: String? = nil) -> String? {
        guard let value = present(key, required: required, hint: hint) else { return nil }
        guard case .string(let text) = value else {
            report(key, "expected a string, got \(UntrustedText.describe(value))")
            return nil
        }
        return text
    }

    /// A whole number within `range`.
    public func int(_ key: String, range: ClosedRange<Int>, required: Bool = false, hint: String? = nil) -> Int? {
        guard let value = present(key, required: required, hint: hint) else { return nil }
        if case .number(let literal) = value, let number = Int(literal), range.contains(number) {
            return number
        }
        report(
            key,
            "expected a whole number from \(range.lowerBound) to \(range.upperBound), got \(UntrustedText.describe(value))")
        return nil
    }

    /// `true` or `false`.
    public func bool(_ key: String, required: Bool = false, hint: String? = nil) -> Bool? {
        guard let value = present(key, required: required, hint: hint) else { return nil }
        guard case .bool(let flag) = value else {
            report(key, "expected true or false, got \(UntrustedText.describe(value))")
            return nil
        }
        return flag
    }

    /// An array of strings; each element that is not a string is reported at `key[index]`.
    /// Returns `nil` if the key is missing or anything in it is invalid.
    public func strings(_ key: String, required: Bool = false, hint: String? = nil) -> [String]? {
        guard let value = present(key, required: required, hint: hint) else { return nil }
        guard case .array(let elements) = value else {
            report(key, "expected an array of strings [\"…\"], got \(UntrustedText.describe(value))")
            return nil
        }
        var result: [String] = []
        var valid = true
        for (index, element) in elements.enumerated() {
            if case .string(let text) = element {
                result.append(text)
            } else {
                context.report(path(for: key) + "[\(index)]", "expected a string, got \(UntrustedText.describe(element))")
                valid = false
            }
        }
        return valid ? result : nil
    }

    /// One of an enumeration's raw values, with a suggestion when the value is close to one.
    public func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, as type: Choice.Type, required: Bool = false, hint: String? = nil
    ) -> Choice? where Choice.RawValue == String {
        guard let text = string(key, required: required, hint: hint) else { return nil }
        if let choice = Choice(rawValue: text) { return choice }
        let names = Choice.allCases.map(\.rawValue)
        report(key, "expected one of \(UntrustedText.list(names)), got \(UntrustedText.quoted(text))"
            + UntrustedText.didYouMean(ClosestMatch.suggestion(for: text, among: names)))
        return nil
    }

    /// A file-system path, resolved against the configuration file's folder. Must be non-empty,
    /// free of control characters, and not start with `~` (which is not expanded).
    public func filePath(_ key: String, required: Bool = false, hint: String? = nil) -> String? {
        guard let text = string(key, required: required, hint: hint) else { return nil }
        if text.isEmpty {
            report(key, "expected a path, got an empty string")
            return nil
        }
        if UntrustedText.containsControlCharacters(text) {
            report(key, "a path must not contain control characters, got \(UntrustedText.quoted(text))")
            return nil
        }
        if text.hasPrefix("~") {
            report(key, "'~' is not expanded; write the full path, or a path relative to the configuration file")
            return nil
        }
        return context.resolve(text)
    }

    /// A nested object, or `nil` when missing (reported if `required`) or not an object.
    public func object(_ key: String, required: Bool = false, hint: String? = nil) -> ConfigurationObjectReader? {
        guard let value = present(key, required: required, hint: hint) else { return nil }
        guard case .object(let nested) = value else {
            report(key, "expected an object { … }, got \(UntrustedText.describe(value))")
            return nil
        }
        return ConfigurationObjectReader(object: nested, path: path(for: key), context: context)
    }

    /// Reports every key that no accessor asked about, suggesting a close known key.
    public func finish() {
        for member in object.members where !knownKeys.contains(member.key) {
            let suggestion = ClosestMatch.suggestion(for: member.key, among: knownKeys)
            let message: String
            if let suggestion {
                message = "unknown key; did you mean \"\(suggestion)\"?"
            } else if knownKeys.isEmpty {
                message = "unknown key; this object takes no keys"
            } else {
                message = "unknown key; expected one of \(UntrustedText.list(knownKeys))"
            }
            report(member.key, message)
        }
    }

    // MARK: - Helpers

    private func markKnown(_ key: String) {
        if !knownKeys.contains(key) { knownKeys.append(key) }
    }

    /// The value of `key`, reporting it as missing when `required`.
    private func present(_ key: String, required: Bool, hint: String?) -> JSONValue? {
        guard let value = value(key) else {
            if required { reportMissing(key, hint: hint) }
            return nil
        }
        return value
    }

    public func reportMissing(_ key: String, hint: String?) {
        report(key, "required but missing" + (hint.map { "; \($0)" } ?? ""))
    }
}
