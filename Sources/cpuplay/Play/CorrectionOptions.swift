import ArgumentParser
import CPUPlayCore
import CPUPlayLoad

/// `play --correct [--viewer V]`: close the loop on what a viewer shows, per CPU.
struct CorrectionOptions: ParsableArguments {
    @Flag(help: ArgumentHelp(
        "Correct each CPU's duty against what the viewer reads from /proc/stat: outside load is subtracted (a CPU "
            + "already 30 % busy gets only the rest), lost ticks are made up. The report gives the correction per CPU "
            + "and the viewer's error before and after.",
        discussion: "Each window of at least \(CorrectionSettings.defaultWindowTicks) USER_HZ ticks (0.5 s) moves the "
            + "offset by \(CorrectionSettings.defaultGain) x the error, at most "
            + "\(Int(CorrectionSettings.defaultMaxStep * 100)) % per window; a level out of reach is "
            + "reported, not wound up."))
    var correct = false

    @Option("--viewer", help: ArgumentHelp("""
        Whose arithmetic --correct matches: htop (steal busy, guest counted once), btop (the same, whole percent) \
        or gnome (gnome-system-monitor: steal left out, irq idle). Default htop.
        """, valueName: "htop|btop|gnome"))
    var viewer: String?

    /// The loop's settings, nil when not correcting; a bad --viewer is one line naming it.
    func settings() throws(CPUPlayError) -> CorrectionSettings? {
        let formula = try viewer.map { text throws(CPUPlayError) in
            guard let f = ViewerFormula(rawValue: text.lowercased()) else {
                throw .invalidArgument("--viewer \(CPUPlayError.quoted(text)): unknown viewer; expected one of "
                    + "\(ViewerFormula.allCases.map(\.rawValue).joined(separator: ", "))", subject: "--viewer",
                        value: text)
            }
            return f
        }
        guard correct else {
            if let viewer {
                throw .invalidArgument("--viewer \(viewer) chooses the formula --correct uses; add --correct "
                    + "(or drop --viewer)", subject: "--viewer", value: viewer)
            }
            return nil
        }
        var settings = CorrectionSettings(viewer: formula ?? .htop)
        settings.settingNames = OptionSubjects.names
        return settings
    }
}
