extension IRCMessage {
    /// Parses one line (without or with its CR LF). Bytes that are not UTF-8 become U+FFFD; any
    /// input either parses or throws ``IRCMessageError`` (`missingCommand`), it never traps.
    ///
    /// Follows the community test vectors: several spaces separate like one, a tag repeated keeps
    /// its last value, an unknown escape `\x` in a tag value is `x`, a trailing lone `\` is dropped.
    public init(parsing line: some Collection<UInt8>) throws(IRCMessageError) {
        let result: Result<IRCMessage, IRCMessageError>
        if let parsed = line.withContiguousStorageIfAvailable({ Self.parse($0) }) {
            result = parsed
        } else {
            result = Array(line).withUnsafeBufferPointer { Self.parse($0) }
        }
        self = try result.get()
    }

    /// Parses one line of text; see ``init(parsing:)-(Collection<UInt8>)``.
    public init(parsing line: String) throws(IRCMessageError) {
        var line = line
        let result = line.withUTF8 { Self.parse($0) }
        self = try result.get()
    }

    /// The parser proper, on borrowed bytes.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<IRCMessage, IRCMessageError> {
        let space: UInt8 = 0x20
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        var index = 0
        @inline(__always) func skipSpaces() {
            while index < end, bytes[index] == space { index += 1 }
        }
        @inline(__always) func wordEnd(from start: Int) -> Int {
            var cursor = start
            while cursor < end, bytes[cursor] != space { cursor += 1 }
            return cursor
        }
        skipSpaces()

        var tags: [IRCTag] = []
        if index < end, bytes[index] == 0x40 {  // '@'
            let tagsEnd = wordEnd(from: index + 1)
            parseTags(bytes, from: index + 1, to: tagsEnd, into: &tags)
            index = tagsEnd
            skipSpaces()
        }

        var source: IRCSource?
        if index < end, bytes[index] == 0x3A {  // ':'
            let sourceEnd = wordEnd(from: index + 1)
            source = IRCSource(string(bytes, index + 1, sourceEnd))
            index = sourceEnd
            skipSpaces()
        }

        let commandEnd = wordEnd(from: index)
        guard commandEnd > index else {
            return .failure(IRCMessageError(.missingCommand, "IRC line without a command (empty, or only tags or a source)"))
        }
        let command = string(bytes, index, commandEnd)
        index = commandEnd

        var parameters: [String] = []
        while true {
            skipSpaces()
            guard index < end else { break }
            if bytes[index] == 0x3A {
                parameters.append(string(bytes, index + 1, end))
                break
            }
            let parameterEnd = wordEnd(from: index)
            parameters.append(string(bytes, index, parameterEnd))
            index = parameterEnd
        }
        return .success(IRCMessage(tags: tags, source: source, command: command, parameters: parameters))
    }

    @inline(__always)
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
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
