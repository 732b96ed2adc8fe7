import Foundation
import IRCProtocol

/// `threadpress-bench --irc-parse [--lines N] [--without-parser]`: parses tagged PRIVMSG lines, as
/// InspIRCd sends them to a bot (server-time, msgid, account, reply tags; see docs PEERS.md), into
/// `IRCMessage`s on one core and reports lines per second. The lines (1,000 distinct ones, ASCII and
/// multibyte text) sit in one buffer, as the framer would hold them; building them is not timed.
/// They go through one `IRCMessageParser`, as the IRC transport's do (`--without-parser`: through
/// `IRCMessage(parsing:)`, which shares no strings between lines). Build with `-c release`.
struct IRCParseBenchmark {
    static let usage = "usage: threadpress-bench --irc-parse [--lines N] [--without-parser]"
    static let targetRate = 3_000_000.0

    var lines = 10_000_000
    var withParser = true

    init(arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--lines" where index + 1 < arguments.count:
                guard let count = Int(arguments[index + 1]), count > 0 else { throw BenchError(Self.usage) }
                lines = count
                index += 2
            case "--without-parser":
                withParser = false
                index += 1
            default:
                throw BenchError("unknown argument '\(arguments[index])'\n\(Self.usage)")
            }
        }
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func sampleLines(count: Int) -> [[UInt8]] {
        let nicks = ["alice", "bob", "carol", "dave", "erin"]
        let texts = [
            "!blog last 5 minutes", "I think the migration plan works, let's write it up after lunch",
            "Grüße aus Köln — the deploy is done 👋", "see https://example.org/2026/11/27/release-notes-for-the-new-api#comments",
            "ok", "日本語のテキストも大丈夫です",
        ]
        return (0..<count).map { index in
            let nick = nicks[index % nicks.count]
            let text = texts[index % texts.count]
            let second = 10 + index % 50
            let line = "@time=2026-11-27T09:14:\(second).\(100 + index % 900)Z;msgid=1DT~1764234843~\(index);inspircd.org/account-id=\(40 + index % 7);account=\(nick);+draft/reply=abc\(index % 10) :\(nick)!\(nick)@127.0.0.1 PRIVMSG #team :\(text)"
            return Array(line.utf8)
        }
    }

    func run() throws -> Int32 {
        let samples = Self.sampleLines(count: 1_000)
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        for sample in samples {
            ranges.append(buffer.count..<(buffer.count + sample.count))
            buffer += sample
            buffer.append(0x0A)
        }
        let averageBytes = Double(buffer.count) / Double(samples.count)
        var checksum = 0
        let clock = ContinuousClock()
        let cpuBefore = Self.threadCPUSeconds()
        var parser = IRCMessageParser()
        let withParser = withParser
        let elapsed = try buffer.withUnsafeBufferPointer { bytes in
            try clock.measure {
                var parsed = 0
                while parsed < lines {
                    for range in ranges where parsed < lines {
                        let line = UnsafeBufferPointer(rebasing: bytes[range])
                        let message = withParser ? try parser.parse(line) : try IRCMessage(parsing: line)
                        // Read what the session reads of every chat line (IRCSessionStateMachine.handleChat):
                        // command, sender, target and text (parameters 0 and 1), account.
                        checksum &+= message.command.utf8.count &+ (message.source?.raw.utf8.count ?? 0)
                            &+ (message[parameter: 0]?.utf8.count ?? 0) &+ (message[parameter: 1]?.utf8.count ?? 0)
                            &+ (message.tag("account")?.utf8.count ?? 0)
                        parsed += 1
                    }
                }
            }
        }
        let cpuSeconds = Self.threadCPUSeconds() - cpuBefore
        let wallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // "On one core": lines per second of CPU time of the parsing thread, so that other work on a
        // shared machine does not count against the parser; wall time is printed too.
        let rate = Double(lines) / cpuSeconds
        print("IRC parse\(withParser ? "" : " (without IRCMessageParser)"): \(lines) tagged PRIVMSG lines (\(Int(averageBytes)) bytes on average): "
              + "\(String(format: "%.3f", cpuSeconds)) s CPU, \(String(format: "%.3f", wallSeconds)) s wall")
        print("rate: \(Int(rate)) lines/s on one core (target ≥ \(Int(Self.targetRate))), "
              + "\(Int(Double(lines) / wallSeconds)) lines/s wall [checksum \(checksum)]")
        return rate >= Self.targetRate ? 0 : 2
    }
}
