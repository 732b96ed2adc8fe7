#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif

/// A time zone by its IANA name (`Europe/Berlin`, `UTC`), with its rules read from the system's
/// time zone database (`/usr/share/zoneinfo`, or `$TZDIR`).
///
/// threadpress uses this instead of Foundation's `TimeZone`, whose named zones need ICU on Linux
/// (about 12 MiB of resident memory once dates are formatted): the tz database already has the
/// rules, and reading them takes a few hundred lines. Local times that do not exist (skipped
/// by a switch to daylight-saving time) or exist twice resolve as Foundation's `Calendar` does:
/// to the offset before the switch, and to the earlier of two instants.
///
/// ```swift
/// let berlin = IANATimeZone(identifier: "Europe/Berlin")!
/// berlin.localTime(of: date)            // LocalDateTime(year: 2026, month: 7, day: 1, hour: 14, …)
/// berlin.date(from: LocalDateTime(year: 2026, month: 3, day: 29, hour: 9, minute: 0))
/// ```
public struct IANATimeZone: Sendable, Hashable, CustomStringConvertible {
    /// The name it was made from (`UTC` for UTC however it was spelt in the system).
    public let identifier: String
    public let rules: TimeZoneRules

    /// UTC.
    public static let utc = IANATimeZone(identifier: "UTC", rules: TimeZoneRules(fixedOffset: 0))

    /// A zone from given rules (tests, or data from elsewhere).
    public init(identifier: String, rules: TimeZoneRules) {
        self.identifier = identifier
        self.rules = rules
    }

    /// The zone named `identifier` in the system's tz database, nil when there is none by that name
    /// (or the name tries to leave the database folder).
    public init?(identifier: String) {
        if Self.utcAliases.contains(identifier) {
            self = .utc
            return
        }
        guard Self.isPlausibleName(identifier),
              let data = try? Data(contentsOf: URL(fileURLWithPath: Self.databaseFolder + "/" + identifier)),
              let rules = try? TimeZoneRules(tzif: Array(data))
        else { return nil }
        self.init(identifier: identifier, rules: rules)
    }

    /// The system's zone: `$TZ` (`Europe/Berlin` or `:Europe/Berlin`), else the zone the
    /// `/etc/localtime` link points to, else the name in `/etc/timezone`, else the rules in an
    /// `/etc/localtime` that is a plain copy (named `localtime`); UTC when none of them works.
    public static var current: IANATimeZone {
        if let tz = ProcessInfo.processInfo.environment["TZ"], !tz.isEmpty {
            let name = tz.hasPrefix(":") ? String(tz.dropFirst()) : tz
            return IANATimeZone(identifier: name) ?? .utc
        }
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/etc/localtime"),
           let range = target.firstRange(of: "zoneinfo/"),
           let zone = IANATimeZone(identifier: String(target[range.upperBound...])) {
            return zone
        }
        if let data = try? Data(contentsOf: URL(fileURLWithPath: "/etc/timezone")),
           let name = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).first,
           let zone = IANATimeZone(identifier: String(name)) {
            return zone
        }
        if let data = try? Data(contentsOf: URL(fileURLWithPath: "/etc/localtime")),
           let rules = try? TimeZoneRules(tzif: Array(data)) {
            return IANATimeZone(identifier: "localtime", rules: rules)
        }
        return .utc
    }

    /// Every zone name in the database's `tzdata.zi` (or `zone1970.tab`), for "did you mean" hints.
    public static var knownIdentifiers: [String] {
        var names: Set<String> = ["UTC"]
        if let data = try? Data(contentsOf: URL(fileURLWithPath: databaseFolder + "/tzdata.zi")) {
            // "Z Europe/Berlin …" names a zone, "L Europe/Berlin Arctic/Longyearbyen" a link.
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count >= 2, fields[0] == "Z" { names.insert(String(fields[1])) }
                if fields.count >= 3, fields[0] == "L" { names.insert(String(fields[2])) }
            }
        } else if let data = try? Data(contentsOf: URL(fileURLWithPath: databaseFolder + "/zone1970.tab")) {
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
                let fields = line.split(separator: "\t")
                if fields.count >= 3 { names.insert(String(fields[2])) }
            }
        }
        return names.sorted()
    }

    public var description: String { identifier }

    /// Seconds to add to UTC to get local time at `date`.
    public func secondsFromGMT(for date: Date) -> Int {
        rules.utcOffset(at: Self.seconds(date))
    }

    /// The wall-clock time at `date` in this zone (seconds truncated towards the past).
    public func localTime(of date: Date) -> LocalDateTime {
        let instant = Self.seconds(date)
        return LocalDateTime(secondsSince1970: instant + Int64(rules.utcOffset(at: instant)))
    }

    /// The instant `local` names in this zone; nil for a date that does not exist (31 February)
    /// or fields out of range. Skipped times use the offset before the switch (02:30 on a spring-forward
    /// night at 02:00 is 03:30); repeated times give the earlier instant.
    public func date(from local: LocalDateTime) -> Date? {
        guard let naive = local.secondsSince1970 else { return nil }
        let before = rules.utcOffset(at: naive - 86_400)
        let after = rules.utcOffset(at: naive + 86_400)
        var best: Int64?
        for offset in Set([before, after, rules.utcOffset(at: naive - Int64(before))]) {
            let candidate = naive - Int64(offset)
            if rules.utcOffset(at: candidate) == offset { best = min(best ?? candidate, candidate) }
        }
        return Date(timeIntervalSince1970: TimeInterval(best ?? naive - Int64(before)))
    }

    /// The next instant after `date` at which the UTC offset changes (a daylight-saving switch), if any.
    public func nextOffsetChange(after date: Date) -> Date? {
        rules.nextOffsetChange(after: Self.seconds(date)).map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    static let utcAliases: Set<String> = ["UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"]

    static var databaseFolder: String {
        if let folder = ProcessInfo.processInfo.environment["TZDIR"], !folder.isEmpty { return folder }
        return "/usr/share/zoneinfo"
    }

    /// Letters, digits, `_+-` and `/` between non-empty parts that do not start with a dot.
    static func isPlausibleName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 255, !name.hasPrefix("/") else { return false }
        for part in name.split(separator: "/", omittingEmptySubsequences: false) {
            guard let first = part.utf8.first, first != UInt8(ascii: ".") else { return false }
            guard part.utf8.allSatisfy({ byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            }) else { return false }
        }
        return true
    }

    /// Whole seconds since 1970, rounded towards the past.
    static func seconds(_ date: Date) -> Int64 {
        let value = date.timeIntervalSince1970.rounded(.down)
        guard value.isFinite else { return 0 }
        return Int64(max(-1e15, min(1e15, value)))
    }

    public static func == (lhs: IANATimeZone, rhs: IANATimeZone) -> Bool { lhs.identifier == rhs.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }
}

/// A wall-clock date and time in the proleptic Gregorian calendar, without a zone.
public struct LocalDateTime: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    init(secondsSince1970 value: Int64) {
        let days = floorDivide(value, 86_400)
        let secondOfDay = Int(value - days * 86_400)
        let (year, month, day) = GregorianDays.civil(days: Int(days))
        self.init(year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60,
                  second: secondOfDay % 60)
    }

    /// Days since 1970-01-01 of the date part (same day, same number), nil for an impossible date.
    public var dayNumber: Int? {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...GregorianDays.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        return GregorianDays.days(year: year, month: month, day: day)
    }

    /// The same time of day `count` days later (earlier when negative).
    public func addingDays(_ count: Int) -> LocalDateTime {
        guard let days = dayNumber else { return self }
        let (year, month, day) = GregorianDays.civil(days: days + count)
        return LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// Seconds since 1970 if this were UTC; nil when a field is out of range.
    var secondsSince1970: Int64? {
        guard let days = dayNumber, (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        return Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// `2026-03-29 02:30:00`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2)) \(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }
}
