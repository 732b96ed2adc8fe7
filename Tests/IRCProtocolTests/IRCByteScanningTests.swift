import Testing
@testable import IRCProtocol

@Suite struct IRCByteScanningTests {
    /// Every length up to 40 (whole words, the tail loop, both), the byte absent, at every
    /// position, twice, and next to bytes that differ from it only in the high bit or by one.
    @Test(arguments: [UInt8(0x3B), 0x20, 0x00, 0xFF, 0x80, 0x7F])
    func findsTheSameBytesAsAPlainLoop(byte: UInt8) {
        let fillers: [UInt8] = [0x61, byte ^ 0x80, byte &+ 1, byte &- 1]
        for length in 0...40 {
            for filler in fillers where filler != byte {
                var positions: [[Int]] = [[]]
                for position in 0..<length { positions.append([position]) }
                for first in 0..<length { for second in stride(from: first + 1, to: length, by: 3) { positions.append([first, second]) } }
                for marked in positions {
                    var bytes = [UInt8](repeating: filler, count: length)
                    for position in marked { bytes[position] = byte }
                    bytes.withUnsafeBufferPointer { buffer in
                        let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
                        for start in [0, min(1, length), length / 2] {
                            let expected = bytes[start...].firstIndex(of: byte) ?? length
                            #expect(IRCByteScanning.firstIndex(of: byte, in: base, from: start, to: length) == expected)
                        }
                        for end in Set([length, length / 2, max(0, length - 1)]) {
                            let expected = bytes[..<end].lastIndex(of: byte) ?? -1
                            #expect(IRCByteScanning.lastIndex(of: byte, in: base, before: end) == expected,
                                    "length \(length) end \(end) marked \(marked)")
                        }
                    }
                }
            }
        }
    }
}
