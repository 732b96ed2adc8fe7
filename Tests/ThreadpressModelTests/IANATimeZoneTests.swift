import Foundation
import Testing

@testable import ThreadpressModel

/// Time zones read from the system tz database (Debian's tzdata), checked against facts written
/// out here and against Foundation's ICU-backed `TimeZone` and `Calendar`.
struct IANATimeZoneTests {
    static func instant(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    @Test(arguments: [
        // Europe/Berlin: CET→CEST on the last Sunday of March at 01:00 UTC, back on the last Sunday of October.
        ("Europe/Berlin", "2026-03-29T00:59:59Z", 3600),
        ("Europe/Berlin", "2026-03-29T01:00:00Z", 7200),
        ("Europe/Berlin", "2026-10-25T00:59:59Z", 7200),
        ("Europe/Berlin", "2026-10-25T01:00:00Z", 3600),
        // After the last transition in the file (2037): the POSIX footer decides.
        ("Europe/Berlin", "2100-01-15T12:00:00Z", 3600),
        ("Europe/Berlin", "2100-07-01T12:00:00Z", 7200),
        ("Europe/Berlin", "1890-07-01T12:00:00Z", 3208),  // local mean time before April 1893
        // Southern hemisphere: daylight time spans the new year.
        ("Australia/Sydney", "2026-04-04T15:59:59Z", 39600),
        ("Australia/Sydney", "2026-04-04T16:00:00Z", 36000),
        ("Australia/Sydney", "2026-10-03T15:59:59Z", 36000),
        ("Australia/Sydney", "2026-10-03T16:00:00Z", 39600),
        ("Australia/Sydney", "2090-01-01T00:00:00Z", 39600),
        ("Australia/Sydney", "2090-07-01T00:00:00Z", 36000),
        ("America/New_York", "2026-03-08T06:59:59Z", -18000),
        ("America/New_York", "2026-03-08T07:00:00Z", -14400),
        ("Asia/Kolkata", "2026-06-01T00:00:00Z", 19800),
        ("UTC", "2026-06-01T00:00:00Z", 0),
        ("Etc/GMT-14", "2026-06-01T00:00:00Z", 50400),
    ])
    func knowsTheOffsetAtAnInstant(zone: String, at: String, offset: Int) throws {
        let timeZone = try #require(IANATimeZone(identifier: zone))
        #expect(timeZone.secondsFromGMT(for: Self.instant(at)) == offset)
    }

    @Test(arguments: [
        // An ordinary time.
        ("Europe/Berlin", LocalDateTime(year: 2026, month: 7, day: 1, hour: 12), "2026-07-01T10:00:00Z"),
        // Skipped by the spring switch (02:00 → 03:00): the offset before the switch, so 03:30 CEST.
        ("Europe/Berlin", LocalDateTime(year: 2026, month: 3, day: 29, hour: 2, minute: 30), "2026-03-29T01:30:00Z"),
        // Repeated by the autumn switch: the earlier instant (still CEST).
        ("Europe/Berlin", LocalDateTime(year: 2026, month: 10, day: 25, hour: 2, minute: 30), "2026-10-25T00:30:00Z"),
        ("Europe/Berlin", LocalDateTime(year: 2026, month: 10, day: 25, hour: 3, minute: 0), "2026-10-25T02:00:00Z"),
        ("America/New_York", LocalDateTime(year: 2026, month: 3, day: 8, hour: 2, minute: 15), "2026-03-08T07:15:00Z"),
        ("Australia/Sydney", LocalDateTime(year: 2026, month: 4, day: 5, hour: 2, minute: 30), "2026-04-04T15:30:00Z"),
        ("UTC", LocalDateTime(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59), "2024-02-29T23:59:59Z"),
    ])
    func turnsALocalTimeIntoAnInstant(zone: String, local: LocalDateTime, expected: String) throws {
        let timeZone = try #require(IANATimeZone(identifier: zone))
        #expect(timeZone.date(from: local) == Self.instant(expected))
    }

    @Test(arguments: [
        LocalDateTime(year: 2026, month: 2, day: 29),
        LocalDateTime(year: 2026, month: 4, day: 31),
        LocalDateTime(year: 2026, month: 13, day: 1),
        LocalDateTime(year: 2026, month: 1, day: 1, hour: 24),
        LocalDateTime(year: 0, month: 1, day: 1),
    ])
    func refusesDatesThatDoNotExist(local: LocalDateTime) throws {
        #expect(IANATimeZone.utc.date(from: local) == nil)
    }

    @Test func showsLocalWallClockTime() throws {
        let berlin = try #require(IANATimeZone(identifier: "Europe/Berlin"))
        #expect(berlin.localTime(of: Self.instant("2026-03-29T00:59:59Z")) == LocalDateTime(year: 2026, month: 3, day: 29, hour: 1, minute: 59, second: 59))
        #expect(berlin.localTime(of: Self.instant("2026-03-29T01:00:00Z")) == LocalDateTime(year: 2026, month: 3, day: 29, hour: 3))
        #expect(berlin.localTime(of: Self.instant("2026-12-31T23:30:00Z")) == LocalDateTime(year: 2027, month: 1, day: 1, hour: 0, minute: 30))
        #expect(IANATimeZone.utc.localTime(of: Date(timeIntervalSince1970: -0.5)) == LocalDateTime(year: 1969, month: 12, day: 31, hour: 23, minute: 59, second: 59))
    }

    @Test func findsTheNextOffsetChange() throws {
        let berlin = try #require(IANATimeZone(identifier: "Europe/Berlin"))
        #expect(berlin.nextOffsetChange(after: Self.instant("2026-01-01T00:00:00Z")) == Self.instant("2026-03-29T01:00:00Z"))
        #expect(berlin.nextOffsetChange(after: Self.instant("2026-03-29T01:00:00Z")) == Self.instant("2026-10-25T01:00:00Z"))
        #expect(berlin.nextOffsetChange(after: Self.instant("2099-11-01T00:00:00Z")) == Self.instant("2100-03-28T01:00:00Z"))
        let kolkata = try #require(IANATimeZone(identifier: "Asia/Kolkata"))
        #expect(kolkata.nextOffsetChange(after: Self.instant("2026-01-01T00:00:00Z")) == nil)
        #expect(IANATimeZone.utc.nextOffsetChange(after: Self.instant("2026-01-01T00:00:00Z")) == nil)
    }

    @Test(arguments: ["", "Europe/Nowhere", "../../etc/passwd", "Europe/../../../etc/passwd", "/etc/localtime",
                      "Europe//Berlin", ".hidden", "zone.tab", "Europe/Berlin\n"])
    func refusesNamesThatAreNotZones(name: String) {
        #expect(IANATimeZone(identifier: name) == nil)
    }

    @Test func utcHasOneNameHoweverItIsSpelt() throws {
        #expect(IANATimeZone(identifier: "Etc/UTC")?.identifier == "UTC")
        #expect(IANATimeZone(identifier: "UTC")?.identifier == "UTC")
        #expect(IANATimeZone.knownIdentifiers.contains("Europe/Berlin"))
        #expect(IANATimeZone.knownIdentifiers.contains("UTC"))
    }

    /// Foundation's ICU data may be a different tzdata release; these zones have not changed since 2015.
    @Test(arguments: ["Europe/Berlin", "Europe/London", "America/New_York", "America/Sao_Paulo", "Australia/Sydney",
                      "Australia/Lord_Howe", "Asia/Tokyo", "Asia/Kolkata", "Pacific/Auckland", "America/St_Johns"])
    func agreesWithFoundationEveryThirteenHoursFrom2016To2030(zone: String) throws {
        let ours = try #require(IANATimeZone(identifier: zone))
        let foundation = try #require(TimeZone(identifier: zone))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = foundation
        var mismatches: [String] = []
        var instant = Self.instant("2016-01-01T00:00:00Z")
        let end = Self.instant("2030-01-01T00:00:00Z")
        while instant < end, mismatches.count < 5 {
            if ours.secondsFromGMT(for: instant) != foundation.secondsFromGMT(for: instant) {
                mismatches.append("offset at \(instant)")
            }
            let local = ours.localTime(of: instant)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
            if [local.year, local.month, local.day, local.hour, local.minute, local.second]
                != [parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second] {
                mismatches.append("local time at \(instant)")
            }
            if ours.date(from: local) != calendar.date(from: parts) {
                mismatches.append("instant of \(local)")
            }
            instant += 13 * 3600 + 17 * 60
        }
        #expect(mismatches == [])
    }
}

extension IANATimeZoneTests {
    /// This machine's /etc/localtime links to Etc/UTC (Debian's default in containers); whatever it
    /// is, `current` must name a zone with the same rules as the file.
    @Test func theCurrentZoneHasTheRulesOfEtcLocaltime() throws {
        let current = IANATimeZone.current
        guard ProcessInfo.processInfo.environment["TZ"] == nil,
              let data = try? Data(contentsOf: URL(fileURLWithPath: "/etc/localtime"))
        else { return }
        let rules = try TimeZoneRules(tzif: Array(data))
        for instant in stride(from: Int64(1_700_000_000), to: 1_900_000_000, by: 86_400 * 17) {
            #expect(current.rules.utcOffset(at: instant) == rules.utcOffset(at: instant))
        }
    }
}
