import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import Foundation

/// `vm play --fps auto`: the rate is chosen in the guest, on the CPUs that draw, after it booted.
///
/// The clip goes into the guest's initramfs before the boot, so it is decoded at the carrier
/// rate (the highest rate `auto` can choose). Once ready, the guest runs `FrameRateCalibration`
/// on its own vCPUs (its ticks per wall second, gate spread and test frames) and sends the
/// outcome; both sides then retime the carrier to the chosen rate with `Clip.retimed` (the
/// rule a decoder uses), so the host compares each frame with the frame the guest played.
public struct GuestRateChoice: Sendable {
    /// The rate the clip is carried at: every rate `auto` may choose divides out of it by time.
    public static let carrierFPS = FrameRateChoice.candidates[0]

    public static var carrierRate: FrameRate {
        // A candidate is a whole rate in FrameRate's range.
        try! FrameRate(numerator: carrierFPS)
    }

    public let outcome: FrameRateCalibration.Outcome
    /// The carrier clip at the chosen rate: what the guest plays.
    public let clip: Clip

    /// The guest's outcome (one line of JSON) applied to the carrier clip; a line that is not
    /// an outcome, or names a rate `auto` does not choose, is refused in one line.
    public init(json: String, carrier: Clip) throws(CPUPlayError) {
        guard let outcome = FrameRateCalibration.Outcome(jsonLine: json) else {
            let shown = CPUPlayError.printable(String(json.prefix(80)))
            throw .malformedInput("\(Setting.fps) auto: the guest's calibration is not readable: \(shown)",
                                  setting: .fps)
        }
        guard FrameRateChoice.candidates.contains(outcome.fps), outcome.fps <= Self.carrierFPS else {
            let accepted = FrameRateChoice.candidates.map(String.init).joined(separator: ", ")
            throw .malformedInput("\(Setting.fps) auto: the guest chose \(outcome.fps) fps, not one of \(accepted)",
                                  setting: .fps)
        }
        self.outcome = outcome
        clip = carrier.retimed(to: try FrameRate(numerator: outcome.fps))
    }

    /// The choice and why, in one line (a notice when the calibration fell back), settings said
    /// as `names` says them.
    public func line(_ names: SettingNames = .plain) -> String {
        let reason = CPUPlayError.printable(outcome.reason.replacingOccurrences(of: "\n", with: " "))
        let notice: SettingText = "notice: \(Setting.fps) auto: \(reason)"
        return outcome.fellBack ? notice.rendered(names) : "fps auto: \(outcome.fps) fps: \(reason)"
    }

    /// Said when the guest is ready and starts calibrating.
    public static func calibratingLine(vcpus: Int) -> String {
        let seconds = Int(FrameRateCalibration.defaultSeconds)
        return "fps auto: calibrating on the guest's \(vcpus) vCPUs (about \(seconds) s of test frames) ..."
    }
}
