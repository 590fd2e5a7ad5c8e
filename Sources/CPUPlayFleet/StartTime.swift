import CPUPlayCore
import CPUPlaySystem

/// When frame 0 starts on every node, on the wall clock: RFC 3339 (`2026-11-30T01:00:00Z`,
/// `2026-11-30T02:00:00.250+01:00`) or `+SECONDS` from now.
///
/// Every node of a fleet is given the same text, so every node derives the same instant; the
/// relative form is for one machine or a launcher that starts all tasks within a millisecond
/// (srun does not: give tasks an absolute time computed once by the batch script).
public struct StartTime: Sendable, Equatable, CustomStringConvertible {
    /// The agreed instant, nanoseconds since the Unix epoch.
    public let unixNanoseconds: Int64
    /// What was typed.
    public let text: String

    /// The furthest ahead a start may be: a day. Further is almost certainly a typo (a wrong
    /// date or time zone) and would leave threads pinned and waiting for hours.
    public static let maximumLeadSeconds: Double = 86_400

    public var description: String { text }

    /// Parses `text` relative to `now` (ns since the epoch) and checks it is ahead of now and
    /// at most a day away.
    public init(parsing text: String, now: Int64) throws(FleetError) {
        let trimmed = text.trimmingSpaces
        func refuse(_ why: String) -> FleetError {
            FleetError(.invalidArgument, setting: .startTime, value: text,
                       "\(Setting.startTime) \(CPUPlayError.quoted(text)): \(why)")
        }
        let instant: Int64
        if trimmed.hasPrefix("+") {
            guard let seconds = Double(trimmed.dropFirst()), seconds.isFinite, seconds > 0 else {
                throw refuse("expected +SECONDS above 0 (e.g. +5) or an RFC 3339 time like 2026-11-30T01:00:00Z")
            }
            guard seconds <= Self.maximumLeadSeconds else {
                throw refuse("\(seconds) s ahead is more than the \(Int(Self.maximumLeadSeconds)) s (one day) accepted")
            }
            instant = now + Int64((seconds * 1e9).rounded())
        } else {
            guard let parsed = Self.rfc3339(trimmed) else {
                throw refuse("expected an RFC 3339 time like 2026-11-30T01:00:00Z or "
                    + "2026-11-30T02:00:00.5+01:00, or +SECONDS")
            }
            instant = parsed
        }
        let lead = Double(instant - now) / 1e9
        guard lead > 0 else {
            throw refuse("that is \(Self.format(seconds: -lead)) in the past (now is \(Self.rfc3339(now))); give a "
                + "time ahead of now")
        }
        guard lead <= Self.maximumLeadSeconds else {
            throw refuse("that is \(Self.format(seconds: lead)) ahead; at most one day ahead is accepted (check the "
                + "date and the time zone)")
        }
        self.unixNanoseconds = instant
        self.text = text
    }

    /// What a node does about its wall clock before a fleet start: nothing when the kernel says
    /// it is synchronised to within the limit (a frame unless `limitSeconds`); a one-line notice
    /// naming the estimated error when it is not synchronised but within the limit (or when
    /// `ignore`); a refusal naming `node` when the error is larger, because the node could then
    /// start that far off the others.
    public static func clockNotice(sync: ClockSyncState?, framePeriodSeconds: Double, ignore: Bool,
                                   limitSeconds: Double? = nil, node: String = "") throws(FleetError) -> String? {
        guard let sync else {
            return "notice: the kernel does not report the wall clock's synchronisation (adjtimex); "
                + "nodes may start apart"
        }
        let limit = limitSeconds ?? framePeriodSeconds
        guard !sync.synchronised || sync.estimatedErrorSeconds > limit else { return nil }
        let error = "\((sync.estimatedErrorSeconds * 1e6).rounded() / 1e3) ms"
        let state = sync.synchronised ? "synchronised" : "not synchronised"
        if sync.estimatedErrorSeconds > limit && !ignore {
            let bound: SettingText = limitSeconds == nil ? "one frame (\(ms(limit)))"
                : "\(Setting.maxClockError) (\(ms(limit)))"
            let who = node.isEmpty ? "" : "node \(node): "
            throw FleetError(setting: .startTime, "\(Setting.startTime): \(who)the kernel says this clock is "
                + "\(state) with an estimated error of \(error), more than \(bound); run chrony or ptp4l until it "
                + "is synchronised, or pass \(Setting.maxClockError) or \(Setting.ignoreClockSync)")
        }
        return "notice: the wall clock is \(state) (estimated error \(error) per adjtimex); nodes may start up "
            + "to that far apart"
    }

    static func ms(_ seconds: Double) -> String { "\((seconds * 1e6).rounded() / 1e3) ms" }

    /// Seconds from now (ns since the epoch) until the start.
    public func lead(from now: Int64) -> Double { Double(unixNanoseconds - now) / 1e9 }

    // MARK: RFC 3339

    /// Nanoseconds since the epoch for `YYYY-MM-DD(T|t| )hh:mm:ss(.fraction)?(Z|z|±hh:mm)`.
    static func rfc3339(_ s: String) -> Int64? {
        let b = Array(s.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for c in b[from..<from + count] {
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(b[10]),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60 else { return nil }
        var i = 19
        var nanos: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int64(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
        }
        guard i < b.count else { return nil }
        var offsetSeconds = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            guard i + 1 == b.count else { return nil }
        } else {
            guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"), i + 6 == b.count,
                  b[i + 3] == UInt8(ascii: ":"), let oh = number(i + 1, 2), let om = number(i + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return seconds * 1_000_000_000 + nanos
    }

    /// RFC 3339 in UTC with milliseconds, for messages and reports.
    public static func rfc3339(_ unixNanoseconds: Int64) -> String {
        let seconds = unixNanoseconds >= 0 ? unixNanoseconds / 1_000_000_000
            : (unixNanoseconds - 999_999_999) / 1_000_000_000
        let millis = (unixNanoseconds - seconds * 1_000_000_000) / 1_000_000
        let days = Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
        let rest = Int(seconds - Int64(days) * 86_400)
        let (y, m, d) = civil(fromDays: days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(y)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60)).\(ms)Z"
    }

    static func format(seconds: Double) -> String {
        seconds < 120 ? "\((seconds * 10).rounded() / 10) s" : seconds < 7200 ? "\(Int(seconds / 60)) min"
            : "\((seconds / 360).rounded() / 10) h"
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
