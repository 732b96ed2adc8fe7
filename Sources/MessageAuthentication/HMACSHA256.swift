/// HMAC-SHA256 (RFC 2104 with SHA-256) and the checks webhook authentication needs.
///
/// ```swift
/// let mac = HMACSHA256.authenticationCode(key: Array(secret.utf8), message: Array("v0:\(ts):".utf8) + body)
/// let expected = "v0=" + HMACSHA256.hexadecimal(mac)
/// guard ConstantTime.equals(Array(expected.utf8), Array(sent.utf8)) else { refuse }
/// ```
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key` (keys longer than a block are hashed).
    public static func authenticationCode(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        var block = key.count > SHA256.blockByteCount ? SHA256.hash(key) : Array(key)
        block += [UInt8](repeating: 0, count: SHA256.blockByteCount - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        let innerDigest = inner.finalize()
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(innerDigest)
        return outer.finalize()
    }

    /// Lower-case hexadecimal text of `bytes`.
    public static func hexadecimal(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// Comparison whose time does not depend on where two secrets first differ.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes. Every byte of the longer input is visited, so the
    /// time reveals only the lengths (which a token's format makes public anyway).
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        let left = Array(a), right = Array(b)
        let count = max(left.count, right.count)
        var difference: UInt8 = left.count == right.count ? 0 : 1
        for index in 0..<count {
            let x = index < left.count ? left[index] : 0
            let y = index < right.count ? right[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }

    /// The same for text, compared as UTF-8.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(Array(a.utf8), Array(b.utf8))
    }
}
