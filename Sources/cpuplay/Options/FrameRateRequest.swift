import CPUPlayClip
import CPUPlayEngine
import CPUPlayCore
import CPUPlaySystem

/// `--fps`: a rate, or `auto` (a short calibration at start chooses the highest rate this
/// machine draws within `--max-error`; see `FrameRateCalibration`).
enum FrameRateRequest: CommandLineValue, Equatable {
    case rate(FrameRate)
    case auto

    init(commandLine text: String) throws(ArgumentRejection) {
        if text.trimmingCharacters(in: .whitespaces).lowercased() == "auto" {
            self = .auto
            return
        }
        do { self = .rate(try FrameRate(parsing: text)) } catch {
            throw ArgumentRejection("expected auto or \(FrameRate.accepted)")
        }
    }

    /// The rate asked for, nil for `auto`.
    var rate: FrameRate? {
        if case .rate(let r) = self { return r }
        return nil
    }
}

/// `--max-error`: the per-frame error `--fps auto` keeps under, percentage points.
struct MaxFrameError: CommandLineValue, Equatable {
    let points: Double

    static var accepted: String {
        let range = FrameRateChoice.maxErrorRange
        return "a per-frame error from \(Int(range.lowerBound)) to \(Int(range.upperBound)) percentage points, like 12"
    }

    init(points: Double) { self.points = points }

    init(commandLine text: String) throws(ArgumentRejection) {
        let t = text.trimmingCharacters(in: .whitespaces)
        let number = t.hasSuffix("%") ? String(t.dropLast()).trimmingCharacters(in: .whitespaces) : t
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let v = Double(number), FrameRateChoice.maxErrorRange.contains(v) else {
            throw ArgumentRejection("expected \(Self.accepted)")
        }
        points = v
    }
}
