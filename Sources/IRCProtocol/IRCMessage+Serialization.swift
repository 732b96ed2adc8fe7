extension IRCMessage {
    /// The line without CR LF, as text.
    ///
    /// Throws instead of sending anything that could become a second command or change the
    /// message's meaning: CR, LF or NUL in a parameter, source or tag key (tag values are escaped,
    /// NUL in them is refused); a space in, an empty, or a `:`-led parameter before the last; an
    /// invalid command, tag key or source. `IRCMessage(parsing:)` of the result gives back `self`.
    public func serialized() throws(IRCMessageError) -> String {
        let bytes = try serializedBytes(lineEnding: false)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The line with its CR LF, ready for the wire; see ``serialized()``.
    public func serializedLine() throws(IRCMessageError) -> [UInt8] {
        try serializedBytes(lineEnding: true)
    }

    /// Bytes this message takes on the wire, CR LF included (without validating it).
    public var wireByteCount: Int {
        var count = command.utf8.count + 2
        if let source { count += source.raw.utf8.count + 2 }
        if !tags.isEmpty {
            count += 1 + tags.count  // '@' and ';'…' ' separators
            for tag in tags {
                count += tag.key.utf8.count
                if !tag.value.isEmpty { count += 1 + Self.escapedCount(tag.value) }
            }
        }
        for (index, parameter) in parameters.enumerated() {
            count += 1 + parameter.utf8.count
            if index == parameters.count - 1, Self.needsTrailingColon(parameter) { count += 1 }
        }
        return count
    }

    private func serializedBytes(lineEnding: Bool) throws(IRCMessageError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(wireByteCount)
        if !tags.isEmpty {
            out.append(0x40)
            for (index, tag) in tags.enumerated() {
                try Self.validateTagKey(tag.key, index: index, in: tags)
                if index > 0 { out.append(0x3B) }
                out.append(contentsOf: tag.key.utf8)
                if !tag.value.isEmpty {
                    out.append(0x3D)
                    for byte in tag.value.utf8 {
                        switch byte {
                        case 0x3B: out.append(0x5C); out.append(0x3A)
                        case 0x20: out.append(0x5C); out.append(0x73)
                        case 0x5C: out.append(0x5C); out.append(0x5C)
                        case 0x0D: out.append(0x5C); out.append(0x72)
                        case 0x0A: out.append(0x5C); out.append(0x6E)
                        case 0x00:
                            throw IRCMessageError(.lineBreakOrNUL, "IRC tag '\(tag.key)' has a NUL in its value; remove it before sending")
                        default: out.append(byte)
                        }
                    }
                }
            }
            out.append(0x20)
        }
        if let source {
            guard !source.raw.isEmpty, !source.raw.utf8.contains(0x20) else {
                throw IRCMessageError(.invalidSource, "IRC source is empty or contains a space")
            }
            guard !source.raw.utf8.contains(where: Self.isLineBreakOrNUL) else {
                throw IRCMessageError(.lineBreakOrNUL, "IRC source contains CR, LF or NUL")
            }
            out.append(0x3A)
            out.append(contentsOf: source.raw.utf8)
            out.append(0x20)
        }
        guard Self.isValidCommand(command) else {
            throw IRCMessageError(.invalidCommand, "IRC command must be letters or a three-digit numeric")
        }
        out.append(contentsOf: command.utf8)
        for (index, parameter) in parameters.enumerated() {
            let utf8 = parameter.utf8
            if utf8.contains(where: Self.isLineBreakOrNUL) {
                throw IRCMessageError(.lineBreakOrNUL,
                    "parameter \(index + 1) of \(command) contains CR, LF or NUL; strip them from content before sending (IRCReplySplitter does)")
            }
            out.append(0x20)
            if index == parameters.count - 1 {
                if Self.needsTrailingColon(parameter) { out.append(0x3A) }
            } else if utf8.isEmpty || utf8.first == 0x3A || utf8.contains(0x20) {
                throw IRCMessageError(.invalidMiddleParameter,
                    "parameter \(index + 1) of \(command) is not the last, so it must be non-empty, without spaces and not start with ':'")
            }
            out.append(contentsOf: utf8)
        }
        if lineEnding {
            out.append(0x0D)
            out.append(0x0A)
        }
        return out
    }

    private static func needsTrailingColon(_ parameter: String) -> Bool {
        let utf8 = parameter.utf8
        return utf8.isEmpty || utf8.first == 0x3A || utf8.contains(0x20)
    }

    private static func isLineBreakOrNUL(_ byte: UInt8) -> Bool {
        byte == 0x0D || byte == 0x0A || byte == 0x00
    }

    private static func isValidCommand(_ command: String) -> Bool {
        let utf8 = command.utf8
        guard !utf8.isEmpty else { return false }
        if utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) { return true }
        return utf8.count == 3 && utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func validateTagKey(_ key: String, index: Int, in tags: [IRCTag]) throws(IRCMessageError) {
        let utf8 = key.utf8
        guard !utf8.isEmpty, !utf8.contains(where: { $0 == 0x20 || $0 == 0x3D || $0 == 0x3B || isLineBreakOrNUL($0) }) else {
            throw IRCMessageError(.invalidTagKey, "IRC tag \(index + 1) has an empty key or one with a space, '=', ';', CR, LF or NUL")
        }
        for earlier in tags[..<index] where earlier.key == key {
            throw IRCMessageError(.invalidTagKey, "IRC tag '\(key)' appears twice")
        }
    }

    private static func escapedCount(_ value: String) -> Int {
        var count = 0
        for byte in value.utf8 {
            count += (byte == 0x3B || byte == 0x20 || byte == 0x5C || byte == 0x0D || byte == 0x0A) ? 2 : 1
        }
        return count
    }
}
