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
        fill(from: line)
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
        message.fill(from: bytes)
        return message
    }

    /// Sets the fields from `bytes` (on a fresh message); leaves `command` empty when the line has none.
    private mutating func fill(from bytes: UnsafeBufferPointer<UInt8>) {
        let space: UInt8 = 0x20
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        var index = 0
        while index < end, bytes[index] == space { index += 1 }

        if index < end, bytes[index] == 0x40 {  // '@'
            let tagsEnd = IRCByteScanning.firstIndex(of: space, in: bytes, from: index + 1, to: end)
            if tagsEnd > index + 1 { self.rawTagText = Self.string(bytes, index + 1, tagsEnd) }
            index = tagsEnd
            while index < end, bytes[index] == space { index += 1 }
        }

        if index < end, bytes[index] == 0x3A {  // ':'
            let sourceEnd = IRCByteScanning.firstIndex(of: space, in: bytes, from: index + 1, to: end)
            self.source = IRCSource(Self.string(bytes, index + 1, sourceEnd))
            index = sourceEnd
            while index < end, bytes[index] == space { index += 1 }
        }

        let commandEnd = IRCByteScanning.firstIndex(of: space, in: bytes, from: index, to: end)
        guard commandEnd > index else { return }
        self.command = Self.string(bytes, index, commandEnd)
        index = commandEnd

        self.parameters.reserveCapacity(4)
        while true {
            while index < end, bytes[index] == space { index += 1 }
            guard index < end else { break }
            if bytes[index] == 0x3A {
                self.parameters.append(Self.string(bytes, index + 1, end))
                break
            }
            let parameterEnd = IRCByteScanning.firstIndex(of: space, in: bytes, from: index, to: end)
            self.parameters.append(Self.string(bytes, index, parameterEnd))
            index = parameterEnd
        }
    }

    @inline(__always)
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Splits and unescapes a raw tag section.
    static func parseTags(_ text: String) -> [IRCTag] {
        var text = text
        var tags: [IRCTag] = []
        text.withUTF8 { parseTags($0, from: 0, to: $0.count, into: &tags) }
        return tags
    }

    /// The unescaped value of the last tag named `key` in a raw tag section, without splitting the others.
    static func rawTagValue(_ key: String, in text: String) -> String? {
        let result = text.utf8.withContiguousStorageIfAvailable { bytes in
            key.utf8.withContiguousStorageIfAvailable { wanted in rawTagValue(wanted, in: bytes) }
        }
        if let result { return result ?? nil }
        var text = text  // not contiguous (a bridged string): make it so
        var key = key
        return text.withUTF8 { bytes in key.withUTF8 { rawTagValue($0, in: bytes) } }
    }

    private static func rawTagValue(_ wanted: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let key = wanted.baseAddress, let base = bytes.baseAddress, wanted.count > 0 else { return nil }
        let keyLength = wanted.count
        let end = bytes.count
        var found: Range<Int>?
        var index = 0
        while index < end {
            // One `key[=value]` segment; keys hold no `=` or `;`, so a match is the key followed by `=` or the end.
            let segmentEnd = IRCByteScanning.firstIndex(of: 0x3B, in: bytes, from: index, to: end)
            let length = segmentEnd - index
            if length >= keyLength, base[index] == key[0], length == keyLength || base[index + keyLength] == 0x3D,
               IRCByteScanning.equal(base + index, key, count: keyLength) {
                found = length == keyLength ? segmentEnd..<segmentEnd : (index + keyLength + 1)..<segmentEnd
            }
            index = segmentEnd + 1
        }
        guard let found else { return nil }
        return unescape(UnsafeBufferPointer(rebasing: bytes[found]))
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
