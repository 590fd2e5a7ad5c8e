import ArgumentParser
import CPUPlayCore
import CPUPlayEngine
import CPUPlayLoad

/// `vm play --guest-viewer htop|btop`: run the real viewer inside the guest and read its meters.
struct VMGuestViewerOptions: ParsableArguments {
    @Option("--guest-viewer", help: ArgumentHelp(
        "Run htop or btop inside the guest (on a tmux pty sized for all its meters, refreshing every second), read its CPU meters off its screen and compare each with the level meant for that CPU: the report's guest_viewer gives the error and bias per CPU and whether each meter stands where the layout puts its CPU (use --layout htop or btop).",
        discussion: "The guest boots a larger cached image with tmux and the viewer copied from this host (apt-get install htop btop tmux). The screen is captured about four times a second and sent when it changed; --view still shows /proc/stat.",
        valueName: "htop|btop"))
    var guestViewer: String?

    @Flag(help: "With --guest-viewer: a run in which no screen of the viewer could be read is not an error (by default it is a warning and exit 1).")
    var allowNoScreens = false

    /// The viewer, nil when not asked for; a bad name, or a btop box too small for the
    /// terminal btop accepts, is one line naming it.
    func viewer(layout: LayoutKind) throws(CPUPlayError) -> ScreenViewer? {
        guard let text = guestViewer else { return nil }
        guard let v = ScreenViewer(rawValue: text.lowercased()) else {
            throw .invalidArgument("--guest-viewer \(CPUPlayError.quoted(text)): unknown viewer; expected one of \(ScreenViewer.allCases.map(\.rawValue).joined(separator: ", "))", subject: "--guest-viewer", value: text)
        }
        if v == .btop, case .btop(let h) = layout, h < ScreenViewer.btopMinimumLines {
            throw .invalidArgument("--layout btop:\(h) with --guest-viewer btop: btop draws no CPU box under \(ScreenViewer.btopMinimumLines) lines; use btop:\(ScreenViewer.btopMinimumLines) or taller", subject: "--layout", value: "btop:\(h)")
        }
        return v
    }
}
