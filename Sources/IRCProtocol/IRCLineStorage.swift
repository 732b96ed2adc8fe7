/// Where a parsed line's tags and parameters are, in the bytes of ``IRCLineStorage``.
struct IRCLineLayout {
    /// Bytes the storage has room for (set by ``IRCLineStorage``).
    var byteCapacity = 0
    /// The tag section (between `@` and the space), or an empty range.
    var tagStart = 0
    var tagEnd = 0
    /// How many parameters `bounds` holds (at most ``IRCLineStorage/maximumParameters``).
    var parameterCount = 0
    /// Start and end of parameter 0, 1, 2, 3.
    var bounds: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)

    func start(of parameter: Int) -> Int {
        switch parameter {
        case 0: bounds.0
        case 1: bounds.2
        case 2: bounds.4
        default: bounds.6
        }
    }

    func end(of parameter: Int) -> Int {
        switch parameter {
        case 0: bounds.1
        case 1: bounds.3
        case 2: bounds.5
        default: bounds.7
        }
    }

    mutating func setBounds(of parameter: Int, _ start: Int, _ end: Int) {
        switch parameter {
        case 0: bounds.0 = start; bounds.1 = end
        case 1: bounds.2 = start; bounds.3 = end
        case 2: bounds.4 = start; bounds.5 = end
        default: bounds.6 = start; bounds.7 = end
        }
    }
}

/// A parsed line's bytes and their layout, in one allocation: what an ``IRCMessage`` keeps instead
/// of decoding its tags and parameters when parsed. Tags and parameters become strings when read
/// (a bot reads two parameters and a few tags of a line it acts on, and nothing of most others).
///
/// Never changed while a message holds it (``make(copying:layout:reusing:)`` writes into a spare
/// only when nothing else references it), so sharing it between threads is safe (hence
/// `@unchecked Sendable`: `ManagedBuffer` itself is not `Sendable`).
struct IRCLineStorage: @unchecked Sendable {
    private var buffer: ManagedBuffer<IRCLineLayout, UInt8>

    /// The smallest spare ``IRCMessageParser`` keeps: room for most tagged lines.
    static let minimumSpareCapacity = 512

    /// Lines with more parameters keep them as decoded strings.
    static let maximumParameters = 4

    /// A storage holding a copy of `bytes`, which `layout` describes.
    static func make(copying bytes: UnsafeBufferPointer<UInt8>, layout: IRCLineLayout, capacity: Int? = nil) -> IRCLineStorage {
        let capacity = max(capacity ?? 0, bytes.count)
        var layout = layout
        layout.byteCapacity = capacity
        let buffer = ManagedBuffer<IRCLineLayout, UInt8>.create(minimumCapacity: capacity) { _ in layout }
        buffer.withUnsafeMutablePointerToElements { elements in
            if let base = bytes.baseAddress { elements.initialize(from: base, count: bytes.count) }
        }
        return IRCLineStorage(buffer: buffer)
    }

    /// A storage holding a copy of `bytes`: `spare` itself, rewritten, when nothing else holds it
    /// any more (the message parsed from the previous line is gone) and it has room; else a new
    /// one, which becomes the spare. So a parser whose messages do not outlive the next line
    /// allocates no storage per line.
    static func make(copying bytes: UnsafeBufferPointer<UInt8>, layout: IRCLineLayout,
                     reusing spare: inout IRCLineStorage?) -> IRCLineStorage {
        if spare != nil, isKnownUniquelyReferenced(&spare!.buffer), spare!.buffer.header.byteCapacity >= bytes.count {
            spare!.buffer.withUnsafeMutablePointers { header, elements in
                let capacity = header.pointee.byteCapacity
                header.pointee = layout
                header.pointee.byteCapacity = capacity
                // UInt8 is trivial: overwriting the previous line's bytes needs no deinitialisation.
                if let base = bytes.baseAddress { elements.update(from: base, count: bytes.count) }
            }
            return spare!
        }
        let storage = make(copying: bytes, layout: layout, capacity: minimumSpareCapacity)
        spare = storage
        return storage
    }

    /// Calls `body` with the layout and the first byte (valid up to the largest offset in the layout).
    @inline(__always)
    func withBytes<Result>(_ body: (IRCLineLayout, UnsafePointer<UInt8>) throws -> Result) rethrows -> Result {
        try buffer.withUnsafeMutablePointers { layout, bytes in try body(layout.pointee, UnsafePointer(bytes)) }
    }

    var layout: IRCLineLayout { buffer.header }

    /// Which allocation holds the bytes (for tests of the reuse).
    var identity: ObjectIdentifier { ObjectIdentifier(buffer) }

    var parameters: [String] {
        withBytes { layout, base in
            (0..<layout.parameterCount).map { IRCMessage.string(base, layout.start(of: $0), layout.end(of: $0)) }
        }
    }

    func parameter(_ index: Int) -> String? {
        withBytes { layout, base in
            guard index >= 0, index < layout.parameterCount else { return nil }
            return IRCMessage.string(base, layout.start(of: index), layout.end(of: index))
        }
    }

    var tags: [IRCTag] {
        withBytes { layout, base in
            IRCMessage.parseTags(UnsafeBufferPointer(start: base + layout.tagStart, count: layout.tagEnd - layout.tagStart))
        }
    }

    func tagValue(_ key: String) -> String? {
        withBytes { layout, base in
            let tags = UnsafeBufferPointer(start: base + layout.tagStart, count: layout.tagEnd - layout.tagStart)
            if let found = key.utf8.withContiguousStorageIfAvailable({ IRCMessage.rawTagValue($0, in: tags) }) { return found }
            return Array(key.utf8).withUnsafeBufferPointer { IRCMessage.rawTagValue($0, in: tags) }
        }
    }

    /// Whether the tag sections of `self` and `other` are the same bytes.
    func hasSameTagBytes(as other: IRCLineStorage) -> Bool {
        withBytes { layout, base in
            other.withBytes { otherLayout, otherBase in
                let count = layout.tagEnd - layout.tagStart
                return count == otherLayout.tagEnd - otherLayout.tagStart
                    && IRCByteScanning.equal(base + layout.tagStart, otherBase + otherLayout.tagStart, count: count)
            }
        }
    }
}
