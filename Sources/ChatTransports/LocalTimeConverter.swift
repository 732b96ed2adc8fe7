#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ThreadpressModel

/// Turns a wall-clock time in a time zone into seconds since 1970, fast.
///
/// The offset from UTC is looked up once per distinct day (at its first and last second); only on
/// a day with a daylight-saving transition is it looked up per line. Wall-clock times that do not
/// exist or exist twice on such a day resolve to one of the candidate offsets, consistently.
struct LocalTimeConverter {
    let timeZone: IANATimeZone
    private var cachedDay = Int.min
    /// The day's offset, or `nil` when the day has a transition.
    private var cachedOffset: Int?

    init(timeZone: IANATimeZone) {
        self.timeZone = timeZone
    }

    /// Seconds since 1970 for the given local time, or `nil` when a field is out of range.
    mutating func epochSeconds(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int? {
        guard let days = CivilDate.days(year: year, month: month, day: day),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        return epochSeconds(days: days, secondOfDay: hour * 3600 + minute * 60 + second)
    }

    /// Seconds since 1970 for `secondOfDay` on the local day `days` (days since 1970-01-01).
    mutating func epochSeconds(days: Int, secondOfDay: Int) -> Int {
        let naive = days * 86_400 + secondOfDay
        if days != cachedDay {
            cachedDay = days
            let first = offset(atNaive: days * 86_400)
            let last = offset(atNaive: days * 86_400 + 86_399)
            cachedOffset = first == last ? first : nil
        }
        if let cachedOffset { return naive - cachedOffset }
        return naive - offset(atNaive: naive)
    }

    private func offset(atNaive naive: Int) -> Int {
        let guess = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naive)))
        return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(naive - guess)))
    }
}

/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01).
enum CivilDate {
    /// Days since 1970-01-01, or `nil` for a date that does not exist or lies outside years
    /// 1…9999 (log text is untrusted: a huge year must not overflow the arithmetic below or later).
    static func days(year: Int, month: Int, day: Int) -> Int? {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        return GregorianDays.days(year: year, month: month, day: day)
    }

    static func date(days: Int) -> (year: Int, month: Int, day: Int) { GregorianDays.civil(days: days) }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// `2026-11-28` for a day number.
    static func isoString(days: Int) -> String {
        let (y, m, d) = date(days: days)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// Parses `2026-11-28` into a day number.
    static func days(isoString: String) -> Int? {
        let parts = isoString.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        return days(year: y, month: m, day: d)
    }
}
