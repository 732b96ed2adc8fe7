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
        self.init()
        var cache = IRCStringCache.disabled
        var spare: IRCLineStorage?
        fill(from: line, cache: &cache, spare: &spare, reusesStorage: false)
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
        var message = IRCMessage()
        var cache = IRCStringCache.disabled
        var spare: IRCLineStorage?
        message.fill(from: bytes, cache: &cache, spare: &spare, reusesStorage: false)
        return message
    }

    /// Sets the fields from `bytes` (on a fresh message); leaves `command` empty when the line has none.
    /// The source, and parameters decoded here, come from `cache` when their bytes repeat; with
    /// `reusesStorage`, the line is copied into `spare` when no message holds it any more.
    ///
    /// Only the source and the command become strings here. The line is copied once, with where
    /// its tags and parameters are, and those are decoded when read (``IRCLineStorage``); a line
    /// with more than four parameters has them decoded here.
    mutating func fill(from bytes: UnsafeBufferPointer<UInt8>, cache: inout IRCStringCache,
                       spare: inout IRCLineStorage?, reusesStorage: Bool) {
        guard let base = bytes.baseAddress else { return }
        let space: UInt8 = 0x20
        var end = bytes.count
        while end > 0, base[end - 1] == 0x0A || base[end - 1] == 0x0D { end -= 1 }
        var index = 0
        while index < end, base[index] == space { index += 1 }
        var layout = IRCLineLayout()

        if index < end, base[index] == 0x40 {  // '@'
            let tagsEnd = IRCByteScanning.firstIndex(of: space, in: base, from: index + 1, to: end)
            layout.tagStart = index + 1
            layout.tagEnd = tagsEnd
            index = tagsEnd
            while index < end, base[index] == space { index += 1 }
        }

        if index < end, base[index] == 0x3A {  // ':'
            let sourceEnd = IRCByteScanning.firstIndex(of: space, in: base, from: index + 1, to: end)
            self.source = IRCSource(cache.string(base, index + 1, sourceEnd))
            index = sourceEnd
            while index < end, base[index] == space { index += 1 }
        }

        let commandEnd = IRCByteScanning.firstIndex(of: space, in: base, from: index, to: end)
        guard commandEnd > index else { return }
        self.command = Self.command(base + index, count: commandEnd - index)
        let parametersStart = commandEnd
        index = commandEnd

        var count = 0
        var tooMany = false
        while true {
            while index < end, base[index] == space { index += 1 }
            guard index < end else { break }
            guard count < IRCLineStorage.maximumParameters else {
                tooMany = true
                break
            }
            if base[index] == 0x3A {  // ':' the trailing parameter: the rest of the line
                layout.setBounds(of: count, index + 1, end)
                count += 1
                break
            }
            let parameterEnd = IRCByteScanning.firstIndex(of: space, in: base, from: index, to: end)
            layout.setBounds(of: count, index, parameterEnd)
            count += 1
            index = parameterEnd
        }
        layout.parameterCount = tooMany ? 0 : count
        if tooMany {
            self.storedParameters = Self.parametersInGeneral(base, from: parametersStart, to: end, cache: &cache)
        }
        if layout.tagEnd > layout.tagStart || layout.parameterCount > 0 {
            let bytes = UnsafeBufferPointer(start: base, count: end)
            self.line = reusesStorage
                ? IRCLineStorage.make(copying: bytes, layout: layout, reusing: &spare)
                : IRCLineStorage.make(copying: bytes, layout: layout)
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
    static func parseTags(_ bytes: UnsafeBufferPointer<UInt8>) -> [IRCTag] {
        var tags: [IRCTag] = []
        parseTags(bytes, from: 0, to: bytes.count, into: &tags)
        return tags
    }

    /// The unescaped value of the last tag named `wanted` in a raw tag section, without splitting the others.
    static func rawTagValue(_ wanted: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let key = wanted.baseAddress, let base = bytes.baseAddress, wanted.count > 0 else { return nil }
        let keyLength = wanted.count
        let end = bytes.count
        let first = key[0]
        // The last segment `key[=value]` whose key matches (a repeated key keeps its last value),
        // so the search goes from the end and stops at the first match; keys hold no `=` or `;`,
        // so a match is the key followed by `=` or the segment's end.
        var valueStart = -1
        var valueEnd = -1
        var segmentEnd = end
        while segmentEnd >= 0 {
            let separator = IRCByteScanning.lastIndex(of: 0x3B, in: base, before: segmentEnd)  // -1 when none
            let index = separator + 1
            if segmentEnd - index >= keyLength, base[index] == first {
                let afterKey = index + keyLength
                if afterKey == segmentEnd || base[afterKey] == 0x3D, IRCByteScanning.equal(base + index, key, count: keyLength) {
                    valueStart = afterKey == segmentEnd ? segmentEnd : afterKey + 1
                    valueEnd = segmentEnd
                    break
                }
            }
            segmentEnd = separator
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
