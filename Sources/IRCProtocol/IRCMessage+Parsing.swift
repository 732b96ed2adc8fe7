extension IRCMessage {
    /// Parses one line (without or with its CR LF). Bytes that are not UTF-8 become U+FFFD; any
    /// input either parses or throws ``IRCMessageError`` (`missingCommand`), it never traps.
    ///
    /// Follows the community test vectors: several spaces separate like one, a tag repeated keeps
    /// its last value, an unknown escape `\x` in a tag value is `x`, a trailing lone `\` is dropped.
    public init(parsing line: some Collection<UInt8>) throws(IRCMessageError) {
        if let message = line.withContiguousStorageIfAvailable(Self.parse) {
            self = message
        } else {
            self = Array(line).withUnsafeBufferPointer(Self.parse)
        }
        if command.isEmpty { throw Self.missingCommand }
    }

    /// Parses one line from borrowed bytes (the fastest path: no copy of the line is made).
    public init(parsing line: UnsafeBufferPointer<UInt8>) throws(IRCMessageError) {
        self.init(rawTags: nil, source: nil, command: "", parameters: [])
        var cache = IRCStringCache.disabled
        fill(from: line, cache: &cache)
        if command.isEmpty { throw Self.missingCommand }
    }

    /// Parses one line of text; see ``init(parsing:)-(Collection<UInt8>)``.
    public init(parsing line: String) throws(IRCMessageError) {
        try self.init(parsing: line.utf8)
    }

    static var missingCommand: IRCMessageError {
        IRCMessageError(.missingCommand, "IRC line without a command (empty, or only tags or a source)")
    }

    /// The parser proper, on borrowed bytes.
    /// The message, or one with an empty command when the line has none.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> IRCMessage {
        var message = IRCMessage(rawTags: nil, source: nil, command: "", parameters: [])
        var cache = IRCStringCache.disabled
        message.fill(from: bytes, cache: &cache)
        return message
    }

    /// Sets the fields from `bytes` (on a fresh message); leaves `command` empty when the line has none.
    /// Strings that repeat (the source, parameters before the trailing one) come from `cache`.
    mutating func fill(from bytes: UnsafeBufferPointer<UInt8>, cache: inout IRCStringCache) {
        guard let base = bytes.baseAddress else { return }
        let space: UInt8 = 0x20
        var end = bytes.count
        while end > 0, base[end - 1] == 0x0A || base[end - 1] == 0x0D { end -= 1 }
        var index = 0
        while index < end, base[index] == space { index += 1 }

        if index < end, base[index] == 0x40 {  // '@'
            let tagsEnd = IRCByteScanning.firstIndex(of: space, in: bytes, from: index + 1, to: end)
            if tagsEnd > index + 1 { self.rawTagBytes = Array(UnsafeBufferPointer(rebasing: bytes[(index + 1)..<tagsEnd])) }
            index = tagsEnd
            while index < end, base[index] == space { index += 1 }
        }

        if index < end, base[index] == 0x3A {  // ':'
            let sourceEnd = IRCByteScanning.firstIndex(of: space, in: bytes, from: index + 1, to: end)
            self.source = IRCSource(cache.string(base, index + 1, sourceEnd))
            index = sourceEnd
            while index < end, base[index] == space { index += 1 }
        }

        let commandEnd = IRCByteScanning.firstIndex(of: space, in: bytes, from: index, to: end)
        guard commandEnd > index else { return }
        self.command = Self.command(base + index, count: commandEnd - index)
        index = commandEnd
        self.parameters = Self.parameters(base, from: index, to: end, cache: &cache)
    }

    /// The parameters in `base[start..<end]`. Up to four (almost every line) are found first and
    /// then made into one array literal, which allocates the array once at its size; more take the
    /// general path.
    private static func parameters(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int,
                                   cache: inout IRCStringCache) -> [String] {
        var bounds: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var trailing = false
        var index = start
        while true {
            while index < end, base[index] == 0x20 { index += 1 }
            guard index < end else { break }
            guard count < 4 else { return parametersInGeneral(base, from: start, to: end, cache: &cache) }
            var parameterStart = index
            if base[index] == 0x3A {  // ':' the trailing parameter: the rest of the line
                parameterStart = index + 1
                index = end
                trailing = true
            } else {
                index = IRCByteScanning.firstIndex(of: 0x20, in: base, from: index, to: end)
            }
            switch count {
            case 0: bounds.0 = parameterStart; bounds.1 = index
            case 1: bounds.2 = parameterStart; bounds.3 = index
            case 2: bounds.4 = parameterStart; bounds.5 = index
            default: bounds.6 = parameterStart; bounds.7 = index
            }
            count += 1
            if trailing { break }
        }
        // The trailing parameter (after a `:`) is usually a message text, which rarely repeats:
        // it is decoded without the cache. The others are targets, channels, nicks.
        switch count {
        case 0:
            return []
        case 1:
            return [trailing ? string(base, bounds.0, bounds.1) : cache.string(base, bounds.0, bounds.1)]
        case 2:
            return [cache.string(base, bounds.0, bounds.1),
                    trailing ? string(base, bounds.2, bounds.3) : cache.string(base, bounds.2, bounds.3)]
        case 3:
            return [cache.string(base, bounds.0, bounds.1), cache.string(base, bounds.2, bounds.3),
                    trailing ? string(base, bounds.4, bounds.5) : cache.string(base, bounds.4, bounds.5)]
        default:
            return [cache.string(base, bounds.0, bounds.1), cache.string(base, bounds.2, bounds.3),
                    cache.string(base, bounds.4, bounds.5),
                    trailing ? string(base, bounds.6, bounds.7) : cache.string(base, bounds.6, bounds.7)]
        }
    }

    /// The parameters of a line with more than four.
    private static func parametersInGeneral(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int,
                                            cache: inout IRCStringCache) -> [String] {
        var parameters: [String] = []
        parameters.reserveCapacity(8)
        var index = start
        while true {
            while index < end, base[index] == 0x20 { index += 1 }
            guard index < end else { break }
            if base[index] == 0x3A {
                parameters.append(string(base, index + 1, end))
                break
            }
            let parameterEnd = IRCByteScanning.firstIndex(of: 0x20, in: base, from: index, to: end)
            parameters.append(cache.string(base, index, parameterEnd))
            index = parameterEnd
        }
        return parameters
    }

    /// The command; those a bot sees on almost every line are constant strings (no UTF-8 check, no copy).
    @inline(__always)
    private static func command(_ start: UnsafePointer<UInt8>, count: Int) -> String {
        if count <= 8 {
            // The command's bytes as one little-endian number, compared against the common ones.
            var packed: UInt64 = 0
            for offset in 0..<count { packed |= UInt64(start[offset]) << (8 * UInt64(offset)) }
            // The count too: `JOIN` and `JOIN\0` pack to the same number.
            switch (count, packed) {
            case (7, packedPRIVMSG): return "PRIVMSG"
            case (6, packedNOTICE): return "NOTICE"
            case (4, packedJOIN): return "JOIN"
            case (4, packedPART): return "PART"
            case (4, packedQUIT): return "QUIT"
            case (4, packedNICK): return "NICK"
            case (4, packedPING): return "PING"
            case (6, packedTAGMSG): return "TAGMSG"
            case (4, packedMODE): return "MODE"
            case (4, packedKICK): return "KICK"
            default: break
            }
        }
        return String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    }

    private static let packedPRIVMSG = packed("PRIVMSG")
    private static let packedNOTICE = packed("NOTICE")
    private static let packedJOIN = packed("JOIN")
    private static let packedPART = packed("PART")
    private static let packedQUIT = packed("QUIT")
    private static let packedNICK = packed("NICK")
    private static let packedPING = packed("PING")
    private static let packedTAGMSG = packed("TAGMSG")
    private static let packedMODE = packed("MODE")
    private static let packedKICK = packed("KICK")

    /// Up to eight ASCII bytes as one little-endian number (what ``command(_:count:)`` compares).
    static func packed(_ word: StaticString) -> UInt64 {
        precondition(word.utf8CodeUnitCount <= 8)
        var packed: UInt64 = 0
        for offset in 0..<word.utf8CodeUnitCount { packed |= UInt64(word.utf8Start[offset]) << (8 * UInt64(offset)) }
        return packed
    }

    /// The text of `base[start..<end]`; bytes that are not UTF-8 become U+FFFD.
    @inline(__always)
    static func string(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> String {
        let count = end - start
        if count == 0 { return "" }
        if count <= 15 {
            // Fits in a small string: this initialiser skips the UTF-8 check for ASCII (and
            // checks and repairs anything else, as `String(decoding:as:)` does).
            return String(unsafeUninitializedCapacity: count) { output in
                output.baseAddress!.initialize(from: base + start, count: count)
                return count
            }
        }
        return String(decoding: UnsafeBufferPointer(start: base + start, count: count), as: UTF8.self)
    }

    @inline(__always)
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Splits and unescapes a raw tag section.
    static func parseTags(_ text: [UInt8]) -> [IRCTag] {
        var tags: [IRCTag] = []
        text.withUnsafeBufferPointer { parseTags($0, from: 0, to: $0.count, into: &tags) }
        return tags
    }

    /// The unescaped value of the last tag named `key` in a raw tag section, without splitting the others.
    static func rawTagValue(_ key: String, in text: [UInt8]) -> String? {
        text.withUnsafeBufferPointer { bytes in
            if let found = key.utf8.withContiguousStorageIfAvailable({ rawTagValue($0, in: bytes) }) { return found }
            return Array(key.utf8).withUnsafeBufferPointer { rawTagValue($0, in: bytes) }
        }
    }

    private static func rawTagValue(_ wanted: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let key = wanted.baseAddress, let base = bytes.baseAddress, wanted.count > 0 else { return nil }
        let keyLength = wanted.count
        let end = bytes.count
        let first = key[0]
        // The last segment `key[=value]` whose key matches (a repeated key keeps its last value);
        // keys hold no `=` or `;`, so a match is the key followed by `=`, `;` or the end.
        var valueStart = -1
        var valueEnd = -1
        var index = 0
        while index < end {
            let segmentEnd = IRCByteScanning.firstIndex(of: 0x3B, in: base, from: index, to: end)
            if base[index] == first, segmentEnd - index >= keyLength {
                let afterKey = index + keyLength
                if afterKey == segmentEnd || base[afterKey] == 0x3D, IRCByteScanning.equal(base + index, key, count: keyLength) {
                    valueStart = afterKey == segmentEnd ? segmentEnd : afterKey + 1
                    valueEnd = segmentEnd
                }
            }
            index = segmentEnd + 1
        }
        guard valueStart >= 0 else { return nil }
        if IRCByteScanning.firstIndex(of: 0x5C, in: base, from: valueStart, to: valueEnd) == valueEnd {  // no '\\'
            return string(base, valueStart, valueEnd)
        }
        return unescape(UnsafeBufferPointer(start: base + valueStart, count: valueEnd - valueStart))
    }

    private static func parseTags(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into tags: inout [IRCTag]) {
        var index = start
        while index < end {
            var keyEnd = index
            while keyEnd < end, bytes[keyEnd] != 0x3B, bytes[keyEnd] != 0x3D { keyEnd += 1 }  // ';' '='
            var valueStart = keyEnd
            var valueEnd = keyEnd
            var escaped = false
            if keyEnd < end, bytes[keyEnd] == 0x3D {
                valueStart = keyEnd + 1
                valueEnd = valueStart
                while valueEnd < end, bytes[valueEnd] != 0x3B {
                    if bytes[valueEnd] == 0x5C { escaped = true }
                    valueEnd += 1
                }
            }
            if keyEnd > index {
                let key = string(bytes, index, keyEnd)
                let value = escaped
                    ? unescape(UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]))
                    : string(bytes, valueStart, valueEnd)
                if let existing = tags.firstIndex(where: { $0.key == key }) {
                    tags[existing].value = value
                } else {
                    tags.append(IRCTag(key, value))
                }
            }
            index = valueEnd + 1
        }
    }

    /// Undoes IRCv3 tag value escaping.
    static func unescape(_ value: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: value.count) { output in
            var written = 0
            var index = 0
            while index < value.count {
                let byte = value[index]
                index += 1
                guard byte == 0x5C else {
                    output[written] = byte
                    written += 1
                    continue
                }
                guard index < value.count else { break }  // a trailing lone backslash is dropped
                let next = value[index]
                index += 1
                switch next {
                case 0x3A: output[written] = 0x3B  // \: → ;
                case 0x73: output[written] = 0x20  // \s → space
                case 0x72: output[written] = 0x0D  // \r
                case 0x6E: output[written] = 0x0A  // \n
                default: output[written] = next    // \\ → \, \x → x
                }
                written += 1
            }
            return written
        }
    }
}
