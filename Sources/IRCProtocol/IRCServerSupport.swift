/// What the server announced in `005 RPL_ISUPPORT`, with the defaults of RFC 1459 for what it did not.
///
/// Feed every 005 to ``apply(_:)``; a token `-NAME` removes an earlier one.
///
/// ```swift
/// var support = IRCServerSupport()
/// support.apply(try IRCMessage(parsing: ":s 005 tp CASEMAPPING=ascii NICKLEN=9 :are supported"))
/// support.caseMapping.equals("#Team", "#team")   // true
/// ```
public struct IRCServerSupport: Hashable, Sendable {
    /// Every token as sent (`NAME` → value, `""` for a token without one).
    public private(set) var tokens: [String: String] = [:]

    public init() {}

    /// `CASEMAPPING`; `rfc1459` when absent or unknown (e.g. `rfc7613`, compared as `ascii` would be
    /// stricter but would wrongly separate `[` and `{` on rfc1459 servers).
    public var caseMapping: IRCCaseMapping {
        switch tokens["CASEMAPPING"] {
        case "ascii": .ascii
        case "strict-rfc1459": .strictRFC1459
        case "rfc7613", "utf8", "utf-8": .ascii
        default: .rfc1459
        }
    }

    /// `NICKLEN`, or `nil` when the server did not say (RFC 1459 would be 9).
    public var nickLength: Int? { tokens["NICKLEN"].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } }

    /// `CHANTYPES`; `#&` when absent.
    public var channelTypes: String {
        guard let value = tokens["CHANTYPES"] else { return "#&" }
        return value
    }

    /// `PREFIX` as (mode, symbol) pairs, highest first; `(ov)@+` when absent.
    public var prefixes: [(mode: Character, symbol: Character)] {
        let value = tokens["PREFIX"] ?? "(ov)@+"
        guard value.hasPrefix("("), let close = value.firstIndex(of: ")") else { return [] }
        let modes = value[value.index(after: value.startIndex)..<close]
        let symbols = value[value.index(after: close)...]
        return Array(zip(modes, symbols)).map { (mode: $0.0, symbol: $0.1) }
    }

    /// `LINELEN` (bytes per line, CR LF included); 512 when absent.
    public var lineLength: Int { tokens["LINELEN"].flatMap { Int($0) }.map { max($0, 512) } ?? 512 }

    /// `NETWORK`, the network's name, when sent.
    public var network: String? { tokens["NETWORK"] }

    /// Whether `name` is a channel (starts with one of ``channelTypes``) rather than a nick.
    public func isChannel(_ name: String) -> Bool {
        guard let first = name.first else { return false }
        return channelTypes.contains(first)
    }

    /// `name` without its membership prefix symbols (`@+alice` → `alice`, as in NAMES replies).
    public func strippingPrefixes(_ name: String) -> Substring {
        let symbols = Set(prefixes.map(\.symbol))
        return name.drop(while: { symbols.contains($0) })
    }

    /// Reads the tokens of one `005` (everything between the nick and the trailing text).
    public mutating func apply(_ message: IRCMessage) {
        guard message.command == "005", message.parameters.count >= 3 else { return }
        for token in message.parameters[1..<(message.parameters.count - 1)] {
            if token.hasPrefix("-") {
                tokens[String(token.dropFirst())] = nil
            } else if let equals = token.firstIndex(of: "=") {
                tokens[String(token[..<equals])] = Self.unescape(token[token.index(after: equals)...])
            } else {
                tokens[token] = ""
            }
        }
    }

    /// ISUPPORT values escape bytes as `\xHH`.
    private static func unescape(_ value: Substring) -> String {
        guard value.contains("\\") else { return String(value) }
        var bytes: [UInt8] = []
        let utf8 = Array(value.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == 0x5C, index + 3 < utf8.count, utf8[index + 1] == 0x78,
               let byte = UInt8(String(decoding: utf8[(index + 2)...(index + 3)], as: UTF8.self), radix: 16) {
                bytes.append(byte)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
