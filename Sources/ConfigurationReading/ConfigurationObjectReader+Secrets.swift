#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ConfigurationObjectReader {
    /// The largest secret file read; anything bigger is surely the wrong file.
    static let maximumSecretFileBytes = 64 * 1024

    /// A secret field `key`, given as exactly one of `key` (the value itself), `key_env` (the name
    /// of an environment variable holding it) or `key_file` (a file holding it, relative to the
    /// configuration's folder, trailing newlines removed).
    ///
    /// No message this produces contains the secret: wrong types are described by kind only, and
    /// the contents of variables and files are never quoted.
    public func secret(_ key: String, required: Bool = false) -> SecretValue? {
        let environmentKey = key + "_env"
        let fileKey = key + "_file"
        let forms = [key, environmentKey, fileKey]
        let given = forms.filter { contains($0) }
        switch given.count {
        case 0:
            if required { reportMissing(key, hint: "give one of \(UntrustedText.list(forms))") }
            return nil
        case 1:
            break
        default:
            report(key, "give only one of \(UntrustedText.list(forms)); found \(UntrustedText.list(given).replacing(" or ", with: " and "))")
            return nil
        }
        let form = given[0]
        guard case .string(let text)? = value(form) else {
            // Never describe the value itself: it may be the secret.
            report(form, "expected a string, got \(UntrustedText.kind(of: value(form) ?? .null))")
            return nil
        }
        switch form {
        case environmentKey: return secretFromEnvironment(named: text, at: form)
        case fileKey: return secretFromFile(text, at: form)
        default:
            guard !text.isEmpty else {
                report(form, "the secret is empty")
                return nil
            }
            return SecretValue(text, source: .literal)
        }
    }

    private func secretFromEnvironment(named name: String, at key: String) -> SecretValue? {
        guard Self.isEnvironmentVariableName(name) else {
            // Not echoed: an operator may have pasted the secret here by mistake.
            report(key, "expected the name of an environment variable (letters, digits and _, not starting with a digit)")
            return nil
        }
        guard let value = context.environment[name] else {
            report(key, "environment variable \(name) is not set (set it before starting threadpress)")
            return nil
        }
        guard !value.isEmpty else {
            report(key, "environment variable \(name) is empty")
            return nil
        }
        return SecretValue(value, source: .environment(name))
    }

    private func secretFromFile(_ text: String, at key: String) -> SecretValue? {
        guard !text.isEmpty, !UntrustedText.containsControlCharacters(text), !text.hasPrefix("~") else {
            report(key, "expected a path to a file holding the secret ('~' is not expanded)")
            return nil
        }
        let path = context.resolve(text)
        switch context.kind(of: path) {
        case .missing:
            report(key, "file not found: \(path) (create it or fix the path)")
            return nil
        case .folder:
            report(key, "\(path) is a folder; expected a file holding the secret")
            return nil
        case .other:
            report(key, "\(path) is not a regular file")
            return nil
        case .regularFile:
            break
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            report(key, "cannot read \(path) (check its permissions)")
            return nil
        }
        guard data.count <= Self.maximumSecretFileBytes else {
            report(key, "\(path) is larger than 64 KiB; is it the right file?")
            return nil
        }
        guard var value = String(validating: data, as: UTF8.self) else {
            report(key, "\(path) is not UTF-8 text")
            return nil
        }
        while value.last == "\n" || value.last == "\r" || value.last == "\r\n" { value.removeLast() }
        guard !value.isEmpty else {
            report(key, "\(path) is empty")
            return nil
        }
        return SecretValue(value, source: .file(path))
    }

    public static func isEnvironmentVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
    }
}
