/// The loop's measured check that the correction helps the whole machine: now and then a
/// window is drawn open loop (every offset 0), and the windows drawn corrected are compared
/// with those on what the viewer read.
///
/// Why measured and machine-wide: in an overcommitted guest the vCPUs share a few host CPUs,
/// so one CPU's reading depends on every CPU's duty. A per-CPU model (`PlantEstimate`,
/// `EffectWatch`) cannot see that, and a 16-vCPU guest read lower after the loop raised every
/// CPU's duty. References are frequent until the correction is shown to help, then rare, so a
/// machine where it helps loses little. docs/correction.md.
public struct ReferenceWindows: Sendable, Equatable {
    /// The first reference (window 0 is open loop anyway, but holds the start's transient).
    public static let first = 2
    /// Corrected windows between references while the correction is not shown to help.
    public static let gap = 2
    /// How much rarer references become each time the correction was shown to help: 2, then 16,
    /// then 128 corrected windows between them. Every reference draws open loop's bias for a
    /// window, so once help is shown they are kept few (docs/correction.md).
    public static let growth = 8
    /// How much better (fraction of the period) corrected windows must read to count as help.
    public static let margin = 0.01
    /// How much worse they may read before it counts as harm (the 0.5-point target), beyond
    /// the difference's noise (`MeanEstimate.exceeds`).
    public static let tolerance = 0.005
    /// Harms in a row (no help between) after which the loop stops correcting: halving did not
    /// make the machine read better than open loop.
    public static let harmsToStop = 2

    /// A window's figures: each CPU's |reading - meant| (`cells`), the mean over CPUs of
    /// reading - meant, and each frame's |reading - level| on each CPU over the frames read
    /// alone (`frames`, empty: none was).
    public struct Reading: Sendable, Equatable {
        public var cells: MeanEstimate
        public var bias: Double
        public var frames: MeanEstimate
        public init(cells: MeanEstimate, bias: Double, frames: MeanEstimate = MeanEstimate()) {
            self.cells = cells
            self.bias = bias
            self.frames = frames
        }
    }

    public enum Verdict: Sendable, Equatable {
        /// Too few windows yet, or neither help nor harm shown.
        case none
        /// The corrected windows read better than the references by `margin`, their frames no worse.
        case helps
        /// The corrected frames read worse than the references' beyond their noise, or the
        /// windows did (mean over CPUs of |bias|): the loop backs off.
        case harms
    }

    /// Windows closed so far (the one now open has this index).
    public private(set) var closed = 0
    private var next = first
    private var spacing = gap
    /// Corrected windows since the last judgement.
    private var corrected = Sums()
    /// Over the whole run, for the report (every reference is also what each judgement compares with).
    public private(set) var harmCount = 0, helpCount = 0
    public private(set) var allReferences = Sums(), allCorrected = Sums()

    public init() {}

    /// Whether the window now open is drawn open loop.
    public var isReference: Bool { stoppedAt == nil && closed == next }
    /// The window from which every CPU is drawn open loop (the correction stopped), or nil.
    public private(set) var stoppedAt: Int?
    /// Whether the window now open is drawn open loop: a reference, or any once stopped.
    public var drawsOpenLoop: Bool { isReference || stoppedAt != nil }
    private var harmsInARow = 0

    /// Closes the window now open with what the viewer read over it; at the close of a
    /// reference, judges the corrected windows since the last judgement against every reference.
    public mutating func close(_ reading: Reading?) -> Verdict {
        defer { closed += 1 }
        guard closed > 0, stoppedAt == nil, let reading else {
            if isReference { next += 1 }  // no CPU counted: the next window is the reference
            return .none
        }
        guard isReference else {
            corrected.add(reading)
            allCorrected.add(reading)
            return .none
        }
        allReferences.add(reading)
        let verdict = judge()
        corrected = Sums()
        switch verdict {
        case .harms:
            spacing = Self.gap
            harmCount += 1
            harmsInARow += 1
            if harmsInARow >= Self.harmsToStop { stoppedAt = closed + 1 }
        case .helps:
            spacing *= Self.growth
            helpCount += 1
            harmsInARow = 0
        case .none: break
        }
        next = closed + 1 + spacing
        return verdict
    }

    private func judge() -> Verdict {
        let references = allReferences
        guard corrected.count > 0, references.count > 0 else { return .none }
        // Frames scattering more beyond their noise is harm, even where the windows read better:
        // in a 4-vCPU guest a window's mean improved while its frames scattered more. Bursty
        // outside load scatters frames whatever is drawn, so there only the windows decide.
        if corrected.frames.exceeds(references.frames, by: Self.tolerance) { return .harms }
        // Each CPU's |bias|, not the bias of the mean: fixing one CPU that reads high beside one
        // that cannot be fixed (a tick keeper reading low) moves the mean away from 0.
        if corrected.meanError - references.meanError < -Self.margin { return .helps }
        if corrected.cells.exceeds(references.cells, by: Self.tolerance) { return .harms }
        return .none
    }

    public struct Sums: Sendable, Equatable {
        public private(set) var count = 0
        public private(set) var cells = MeanEstimate(), frames = MeanEstimate()
        private var bias = 0.0
        mutating func add(_ r: Reading) {
            count += 1
            cells.add(r.cells)
            frames.add(r.frames)
            bias += r.bias
        }
        public var meanError: Double { cells.mean ?? 0 }
        public var meanBias: Double { count > 0 ? bias / Double(count) : 0 }
        public var meanFrameError: Double? { frames.mean }
    }
}
