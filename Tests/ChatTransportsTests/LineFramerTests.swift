import Foundation
import Testing
@testable import ChatTransports

@Suite struct LineFramerTests {
    /// Frames `input` fed in the given pieces and returns the lines (overlong ones as `<overlong N>`)
    /// plus the bytes still held.
    static func frame(_ pieces: [ArraySlice<UInt8>], maximumLineLength: Int = 1 << 20) -> ([String], Int) {
        var framer = LineFramer(maximumLineLength: maximumLineLength)
        var lines: [String] = []
        for piece in pieces {
            framer.append(piece)
            framer.consumeLines { frame in
                switch frame {
                case .line(let bytes, let count):
                    #expect(count == bytes.count + 1)
                    lines.append(String(decoding: bytes, as: UTF8.self))
                case .overlong(let count): lines.append("<overlong \(count)>")
                }
            }
        }
        return (lines, framer.pendingByteCount)
    }

    static let inputs: [String] = [
        "one\ntwo\nthree\n",
        "no newline at the end\nheld",
        "\n\n\nblank lines\n",
        "crlf\r\nstays in the line\r\n",
        "grüße 👋\n日本語\n",
        "2026-11-27 09:14:03\talice\thello\n2026-11-27 09:14:04\tbob\thi\n",
    ]

    @Test(arguments: inputs)
    func givesTheSameLinesWhateverTheSplit(input: String) {
        let bytes = Array(input.utf8)
        let whole = Self.frame([bytes[...]])
        let byteByByte = Self.frame(bytes.indices.map { bytes[$0...$0] })
        #expect(byteByByte.0 == whole.0)
        #expect(byteByByte.1 == whole.1)
        for split in 0...bytes.count {
            let pieces = Self.frame([bytes[..<split], bytes[split...]])
            #expect(pieces.0 == whole.0, "split at \(split)")
            #expect(pieces.1 == whole.1, "split at \(split)")
        }
        let expected = input.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast()
            .map { String(decoding: $0, as: UTF8.self) }
        #expect(whole.0 == expected)
    }

    @Test func dropsOverlongLinesButKeepsCounting() {
        let input = Array("short\n0123456789abcdef\nok\n0123456789abcdef-held".utf8)
        let whole = Self.frame([input[...]], maximumLineLength: 8)
        let byteByByte = Self.frame(input.indices.map { input[$0...$0] }, maximumLineLength: 8)
        #expect(whole.0 == ["short", "<overlong 17>", "ok"])
        #expect(byteByByte.0 == whole.0)
        #expect(whole.1 == 21)
        #expect(byteByByte.1 == 21)
    }

    @Test func handsOutTheRemainderOfAFinishedFile() {
        var framer = LineFramer()
        framer.append(Array("done\ntail".utf8))
        var lines: [String] = []
        framer.consumeLines { if case .line(let bytes, _) = $0 { lines.append(String(decoding: bytes, as: UTF8.self)) } }
        if case .line(let bytes, let count)? = framer.remainder() {
            lines.append(String(decoding: bytes, as: UTF8.self))
            #expect(count == 4)
        }
        #expect(lines == ["done", "tail"])
        #expect(framer.pendingByteCount == 0)
    }

    @Test(arguments: ChatLogFormat.allCases)
    func parsersGiveTheSameEventsWhateverTheSplit(format: ChatLogFormat) {
        let log = switch format {
        case .weechat: "2026-11-27 09:14:03\talice\thi\tthere\n2026-11-27 09:14:04\t *\tbob waves 👋\nbroken\n"
        case .irssi: "--- Log opened Fri Nov 27 09:00:00 2026\n09:14 < alice> hi\n09:15  * bob waves 👋\nbroken\n"
        case .jsonl: #"{"time":"2026-11-27T08:14:03Z","nick":"alice","text":"hi"}"# + "\n{\n"
        }
        let bytes = Array(log.utf8)
        func parse(_ pieces: [ArraySlice<UInt8>]) -> [ParsedLogLine] {
            var parser = format.makeParser(channel: "#team", timeZone: berlin)
            var framer = LineFramer()
            var results: [ParsedLogLine] = []
            var number = 0
            for piece in pieces {
                framer.append(piece)
                framer.consumeLines { frame in
                    number += 1
                    if case .line(let line, _) = frame { results.append(parser.parse(bytes: line, lineNumber: number)) }
                }
            }
            return results
        }
        let whole = parse([bytes[...]])
        #expect(whole.count == log.filter { $0 == "\n" }.count)
        #expect(parse(bytes.indices.map { bytes[$0...$0] }) == whole)
        for split in 0...bytes.count {
            #expect(parse([bytes[..<split], bytes[split...]]) == whole, "split at \(split)")
        }
    }
}
