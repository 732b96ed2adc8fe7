/// A POSIX `TZ` rule as found in the footer of TZif files, e.g. `CET-1CEST,M3.5.0,M10.5.0/3`:
/// standard time, optionally daylight-saving time and the two yearly switches between them.
///
/// Offsets in the text are west-positive (`CET-1` is UTC+1); this type stores east-positive
/// seconds like ``TimeZoneRules``. Supported: `<+03>`-style quoted names, `hh[:mm[:ss]]`
/// offsets, `Jn`, `n` and `Mm.w.d` dates, transition times from −167 to 167 hours (RFC 8536).
struct POSIXTimeZoneRule: Sendable, Hashable {
    enum Day: Sendable, Hashable {
        /// `Jn`: day 1…365, February 29 never counted.
        case julianWithoutLeap(Int)
        /// `n`: day 0…365, February 29 counted.
        case zeroBased(Int)
        /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (5 = last) of month `m`.
        case monthWeekDay(month: Int, week: Int, weekday: Int)
    }

    struct Switch: Sendable, Hashable {
        var day: Day
        /// Local time of day of the switch, in seconds (may be negative or past 24 h).
        var time: Int
    }

    var standardOffset: Int
    /// Daylight-saving time: its offset and the switches into it (`start`) and out of it (`end`);
    /// nil for a zone without it.
    var daylight: Daylight?

    struct Daylight: Sendable, Hashable {
        var offset: Int
        var start: Switch
        var end: Switch
    }

    init?(_ text: String) {
        var scanner = RuleScanner(Array(text.utf8))
        guard scanner.name(), let standard = scanner.offset() else { return nil }
        standardOffset = -standard
        if scanner.atEnd { return }
        guard scanner.name() else { return nil }
        var daylightOffset = standardOffset + 3600
        if !scanner.peek(UInt8(ascii: ",")) {
            guard let given = scanner.offset() else { return nil }
            daylightOffset = -given
        }
        // Daylight time named without rules: POSIX leaves the dates to the implementation; TZif
        // footers always give them, so treat this as a zone without daylight-saving time.
        if scanner.atEnd { return }
        guard scanner.skip(UInt8(ascii: ",")), let start = scanner.switchRule(),
              scanner.skip(UInt8(ascii: ",")), let end = scanner.switchRule(), scanner.atEnd
        else { return nil }
        daylight = Daylight(offset: daylightOffset, start: start, end: end)
    }

    /// East-positive UTC offset at `instant` (seconds since 1970).
    func utcOffset(at instant: Int64) -> Int {
        guard let daylight else { return standardOffset }
        let year = GregorianDays.civil(days: Int(floorDivide(instant + Int64(standardOffset), 86_400))).year
        // A daylight period begins at a start switch and lasts until the first end switch after it
        // (the next year's in the southern hemisphere); look at the periods begun around `year`.
        for candidate in (year - 1)...(year + 1) {
            let begin = switchInstant(daylight.start, year: candidate, offsetBefore: standardOffset)
            var end = switchInstant(daylight.end, year: candidate, offsetBefore: daylight.offset)
            if end <= begin { end = switchInstant(daylight.end, year: candidate + 1, offsetBefore: daylight.offset) }
            if instant >= begin && instant < end { return daylight.offset }
        }
        return standardOffset
    }

    /// The next switch instant strictly after `instant`, or nil without daylight-saving time.
    func nextChange(after instant: Int64) -> Int64? {
        guard let daylight else { return nil }
        let year = GregorianDays.civil(days: Int(floorDivide(instant, 86_400))).year
        var best: Int64?
        for candidate in (year - 1)...(year + 1) {
            for value in [switchInstant(daylight.start, year: candidate, offsetBefore: standardOffset),
                          switchInstant(daylight.end, year: candidate, offsetBefore: daylight.offset)] where value > instant {
                best = min(best ?? value, value)
            }
        }
        return best
    }

    /// UTC instant of a switch in `year`, given in the local time in effect before it.
    func switchInstant(_ rule: Switch, year: Int, offsetBefore: Int) -> Int64 {
        let day: Int
        switch rule.day {
        case .julianWithoutLeap(let n):
            // Day 60 is always March 1.
            let leap = GregorianDays.isLeap(year) && n >= 60 ? 1 : 0
            day = GregorianDays.days(year: year, month: 1, day: 1) + n - 1 + leap
        case .zeroBased(let n):
            day = GregorianDays.days(year: year, month: 1, day: 1) + n
        case .monthWeekDay(let month, let week, let weekday):
            let first = GregorianDays.days(year: year, month: month, day: 1)
            // 1970-01-01 was a Thursday (4).
            let firstWeekday = ((first % 7) + 7 + 4) % 7
            var dayOfMonth = 1 + (weekday - firstWeekday + 7) % 7 + (week - 1) * 7
            let length = GregorianDays.daysInMonth(year: year, month: month)
            while dayOfMonth > length { dayOfMonth -= 7 }
            day = first + dayOfMonth - 1
        }
        return Int64(day) * 86_400 + Int64(rule.time) - Int64(offsetBefore)
    }
}

/// Reads the pieces of a POSIX TZ rule.
private struct RuleScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek(byte) else { return false }
        index += 1
        return true
    }

    /// `CET` (3+ letters) or `<+0330>`.
    mutating func name() -> Bool {
        if skip(UInt8(ascii: "<")) {
            let begin = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
            guard index - begin >= 3, skip(UInt8(ascii: ">")) else { return false }
            return true
        }
        let begin = index
        while index < bytes.count, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(bytes[index] & 0xDF) { index += 1 }
        return index - begin >= 3
    }

    mutating func number(maximumDigits: Int) -> Int? {
        var value = 0
        var digits = 0
        while index < bytes.count, digits < maximumDigits, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
            index += 1
            digits += 1
        }
        return digits == 0 ? nil : value
    }

    /// `[+-]hh[:mm[:ss]]` in seconds (sign as written).
    mutating func offset(maximumHours: Int = 24) -> Int? {
        var sign = 1
        if skip(UInt8(ascii: "-")) { sign = -1 } else { _ = skip(UInt8(ascii: "+")) }
        guard let hours = number(maximumDigits: 3), hours <= maximumHours else { return nil }
        var seconds = hours * 3600
        if skip(UInt8(ascii: ":")) {
            guard let minutes = number(maximumDigits: 2), minutes < 60 else { return nil }
            seconds += minutes * 60
            if skip(UInt8(ascii: ":")) {
                guard let secs = number(maximumDigits: 2), secs < 60 else { return nil }
                seconds += secs
            }
        }
        return sign * seconds
    }

    /// `Jn`, `n` or `Mm.w.d`, then an optional `/time` (default 02:00).
    mutating func switchRule() -> POSIXTimeZoneRule.Switch? {
        let day: POSIXTimeZoneRule.Day
        if skip(UInt8(ascii: "J")) {
            guard let n = number(maximumDigits: 3), (1...365).contains(n) else { return nil }
            day = .julianWithoutLeap(n)
        } else if skip(UInt8(ascii: "M")) {
            guard let month = number(maximumDigits: 2), (1...12).contains(month), skip(UInt8(ascii: ".")),
                  let week = number(maximumDigits: 1), (1...5).contains(week), skip(UInt8(ascii: ".")),
                  let weekday = number(maximumDigits: 1), (0...6).contains(weekday)
            else { return nil }
            day = .monthWeekDay(month: month, week: week, weekday: weekday)
        } else {
            guard let n = number(maximumDigits: 3), (0...365).contains(n) else { return nil }
            day = .zeroBased(n)
        }
        var time = 7200
        if skip(UInt8(ascii: "/")) {
            guard let given = offset(maximumHours: 167) else { return nil }
            time = given
        }
        return .init(day: day, time: time)
    }
}

/// Proleptic Gregorian arithmetic on day numbers (days since 1970-01-01), Howard Hinnant's algorithms.
public enum GregorianDays {
    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a valid date (month 1…12; day may run past the month's end).
    public static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
}
