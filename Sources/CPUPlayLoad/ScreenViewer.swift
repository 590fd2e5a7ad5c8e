/// A terminal CPU viewer whose screen cpuplay reads back: which parser reads its meters, and
/// which formula its percentages follow.
///
/// `vm play --guest-viewer` runs one of these inside the guest and compares each meter it
/// draws with the level that was meant; tests and benchmarks read the same screens with the
/// same parsers.
public enum ScreenViewer: String, Sendable, CaseIterable, Codable {
    case htop, btop

    /// The CPU meters on a captured screen.
    public func meters(in screen: String) -> [ScreenMeter] {
        switch self {
        case .htop: return HtopScreenParser.meters(in: screen)
        case .btop: return BtopScreenParser.meters(in: screen)
        }
    }

    /// How the viewer turns /proc/stat into its percentages.
    public var formula: ViewerFormula {
        switch self {
        case .htop: return .htop
        case .btop: return .btop
        }
    }

    /// How often the viewer re-samples /proc/stat when cpuplay starts it: htop `-d 10`, btop
    /// `update_ms = 1000`. A second keeps the viewer's own work (it reads every process of the
    /// guest) a small share of one vCPU, and every meter reading spans several frames.
    public static let refreshSeconds = 1.0

    /// Capture the screen after every this many frames: about two captures a second, so each
    /// new viewer sample is placed within half of its one-second window, while the capture (one
    /// tmux client started in the guest, tens of ms under TCG) stays a small load.
    public static func captureStride(framesPerSecond fps: Double) -> Int {
        max(1, Int((fps / 2).rounded()))
    }

    /// The terminal the viewer gets, large enough for all its CPU meters: for htop (meters in
    /// `meterColumns` columns over `meterRows` lines) about 30 characters a meter column and the
    /// header plus a few process lines; for btop, shown with its CPU box alone (`shown_boxes =
    /// "cpu"`: no process list to scan and draw, a fraction of its work under TCG), the box's
    /// own height, which btop then gives the whole terminal.
    public func terminalSize(meterColumns: Int, meterRows: Int, btopBoxHeight: Int) -> (columns: Int, lines: Int) {
        switch self {
        case .htop: return (max(160, 30 * meterColumns), max(24, meterRows + 14))
        case .btop: return (max(200, 24 * meterColumns + 100), btopBoxHeight)
        }
    }

    /// The shortest CPU box btop 1.2 draws alone (7 lines is "Terminal size too small").
    public static let btopMinimumLines = 8

    /// The guest CPU the viewer, tmux and the captures are pinned to: the highest one. CPU 0
    /// takes the guest's interrupts (the serial link's among them) and its housekeeping, so the
    /// viewer goes to the other end, where its work is a steady outside load `--correct` can
    /// subtract.
    public static func pinnedCPU(of cpus: [Int]) -> Int { cpus.max() ?? 0 }
}
