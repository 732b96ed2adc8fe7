import Foundation
import Testing

@testable import ThreadpressModel

struct TimeZoneRulesTests {
    static func berlinBytes() throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/Europe/Berlin")))
    }

    @Test func everyTruncationOfARealFileIsRefusedWithoutCrashing() throws {
        let bytes = try Self.berlinBytes()
        var refused = 0
        for length in 0..<bytes.count {
            // A cut inside the footer's text is still a parseable but different rule; everything
            // before the footer must be refused.
            if (try? TimeZoneRules(tzif: Array(bytes[..<length]))) == nil { refused += 1 }
        }
        #expect(refused >= bytes.count - 40)
        #expect(throws: Never.self) { try TimeZoneRules(tzif: bytes) }
    }

    static let damagedFiles: [([UInt8], String)] = [
        ([], "TZif data ends inside the header (offset 0, 0 bytes)"),
        (Array("TZXX".utf8) + [UInt8](repeating: 0, count: 40), "not a TZif file (it does not start with \"TZif\")"),
        (Array("TZif9".utf8) + [UInt8](repeating: 0, count: 39), "TZif version byte 57 is unknown"),
        (Array("TZif2".utf8) + [UInt8](repeating: 0, count: 39), "TZif data has no local time types"),
    ]

    @Test(arguments: damagedFiles)
    func namesWhatIsWrong(bytes: [UInt8], message: String) {
        #expect(throws: TimeZoneRulesError(message)) { try TimeZoneRules(tzif: bytes) }
    }

    @Test func aFlippedByteNeverCrashes() throws {
        let bytes = try Self.berlinBytes()
        for index in stride(from: 0, to: bytes.count, by: 3) {
            var damaged = bytes
            damaged[index] ^= 0xFF
            if let rules = try? TimeZoneRules(tzif: damaged) {
                _ = rules.utcOffset(at: 1_782_900_000)
                _ = rules.nextOffsetChange(after: 1_782_900_000)
            }
        }
    }

    @Test(arguments: [
        ("CET-1CEST,M3.5.0,M10.5.0/3", 3600, 7200),
        ("EST5EDT,M3.2.0,M11.1.0", -18000, -14400),
        ("AEST-10AEDT,M10.1.0,M4.1.0/3", 36000, 39600),
        ("<+0330>-3:30", 12600, nil),
        ("<-03>3", -10800, nil),
        ("IST-5:30", 19800, nil),
        ("NZST-12NZDT,M9.5.0,M4.1.0/3", 43200, 46800),
        ("<-01>1<+00>,M3.5.0/0,M10.5.0/1", -3600, 0),
        ("EST5EDT4,0/0,J365/25", -18000, -14400),  // daylight time all year (RFC 8536's example)
        ("XXX3YYY,J60/2,J300", -10800, -7200),
    ])
    func readsPOSIXRules(text: String, standard: Int, daylight: Int?) throws {
        let rule = try #require(POSIXTimeZoneRule(text))
        #expect(rule.standardOffset == standard)
        #expect(rule.daylight?.offset == daylight)
    }

    @Test(arguments: ["", "CET", "CE-1", "CET-1CEST,M13.1.0,M10.5.0", "CET-1CEST,M3.6.0,M10.5.0", "CET-1CEST,M3.5.7,M10.5.0",
                      "CET-1CEST,M3.5.0", "CET-1CEST,J0,J100", "CET-1CEST,M3.5.0,M10.5.0/168", "<+03-3", "CET-25", "CET-1CEST,M3.5.0,M10.5.0x"])
    func refusesMalformedPOSIXRules(text: String) {
        #expect(POSIXTimeZoneRule(text) == nil)
    }

    @Test func aRuleThatKeepsDaylightTimeAllYearNeverSwitches() throws {
        let rule = try #require(POSIXTimeZoneRule("EST5EDT4,0/0,J365/25"))
        for day in stride(from: 0, to: 366 * 3, by: 7) {
            #expect(rule.utcOffset(at: Int64(1_767_225_600 + day * 86_400)) == -14400)
        }
    }

    @Test func switchesOnTheLastSundayEvenInAMonthWithFiveOfThem() throws {
        let rule = try #require(POSIXTimeZoneRule("CET-1CEST,M3.5.0,M10.5.0/3"))
        // March 2026 has four Sundays before the 29th; March 2020 had five (1, 8, 15, 22, 29).
        #expect(rule.switchInstant(rule.daylight!.start, year: 2026, offsetBefore: 3600) == 1_774_746_000)  // 2026-03-29T01:00Z
        #expect(rule.switchInstant(rule.daylight!.start, year: 2020, offsetBefore: 3600) == 1_585_443_600)  // 2020-03-29T01:00Z
        #expect(rule.switchInstant(rule.daylight!.end, year: 2026, offsetBefore: 7200) == 1_792_890_000)  // 2026-10-25T01:00Z
    }
}
