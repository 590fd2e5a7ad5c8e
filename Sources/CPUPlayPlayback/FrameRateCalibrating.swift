import CPUPlayCore
import CPUPlayEngine
import CPUPlaySystem

extension PlaySetup {
    /// An automatic frame rate: plays the calibration's test frames on `cpus` and returns the
    /// choice. `starting` is told the probe's length before it runs (the caller says what it
    /// does); a stop signal during the probe refuses with `PlaySetupRefusal.calibrationStopped`.
    public static func calibrate(cpus: CPUSet, maxError: Double, options: PlayerOptions, stop: StopSignal,
                                 names: SettingNames = .plain, starting: (_ probeSeconds: Double) -> Void = { _ in })
        throws -> FrameRateCalibration.Outcome {
        var calibration = FrameRateCalibration(cpus: cpus)
        calibration.maxErrorPct = maxError
        calibration.options = options
        calibration.names = names
        starting(calibration.seconds)
        guard let outcome = try calibration.run(stop: stop) else { throw PlaySetupRefusal.calibrationStopped }
        return outcome
    }
}
