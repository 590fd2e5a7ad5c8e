import CPUPlayClip
import CPUPlayEngine
import CPUPlayGuestLink
import CPUPlayLoad
import CPUPlayMeasure

/// What the guest's own /proc/stat showed, frame by frame, against the frames it was shown.
///
/// Each guest frame sample covers one frame's window (publication to the next publication, read
/// in phase by the guest player); its per-CPU busy share is what htop inside the guest would
/// draw. Errors are in percentage points over every drawn cell and frame; the bias is signed
/// (observed minus intended), so a washed-out picture reads negative.
///
/// The bias is a mean over time: each cell's frame counts with the length of its window (the
/// CPU's /proc/stat total ticks in it). The guest reads at every boundary a little late, by a
/// varying amount, while pixels spin from the frame's start; a late read makes one window long
/// and busy and the next short and idle, and a plain mean of the two ratios reads low (the
/// ratio is concave in the shift), by 5 points at 75 % in a 16-vCPU guest, where the same
/// ticks summed read within a point of what was drawn. The plain per-frame mean is kept as
/// `frameMeanBiasPercent`; the error stays per frame.
final class GuestObservation {
    let clip: Clip
    let layout: Layout
    private(set) var errors: [Double] = []
    private var biasSum = 0.0
    private var weightedBiasSum = 0.0
    private var biasWeight = 0.0
    private var tickSum: Int64 = 0
    private var tickCapacity = 0.0
    private(set) var samples = 0
    private(set) var lastFrame: Int64 = -1
    private(set) var dropped: Int64 = 0

    init(clip: Clip, layout: Layout) {
        self.clip = clip
        self.layout = layout
    }

    /// Folds one sample in and returns the observed levels per cell (0...255).
    func add(_ s: GuestFrameSample) -> [UInt8] {
        samples += 1
        lastFrame = s.frame
        dropped = s.dropped
        let load = s.load
        let intended = clip.frame(min(max(0, s.clipFrame), clip.frameCount - 1))
        for (i, cpu) in layout.cells.enumerated() {
            guard let cpu, cpu < s.cpus.count else { continue }
            let seen = load.fraction(cpu: cpu) * 100
            let wanted = Double(intended[intended.startIndex + i]) / 255 * 100
            errors.append(abs(seen - wanted))
            biasSum += seen - wanted
            let weight = Double(max(0, s.cpus[cpu].totalTicks))
            weightedBiasSum += (seen - wanted) * weight
            biasWeight += weight
        }
        tickSum += s.cpus.reduce(0) { $0 + $1.totalTicks }
        tickCapacity += Double(s.cpus.count) * Double(s.wallNanoseconds) / 1e9 * Self.userHZ
        return load.levels(cells: layout.cells)
    }

    /// /proc/stat counts in USER_HZ units, 100 per second on Linux/x86.
    static let userHZ = 100.0

    var errorStatistics: ErrorStatistics { ErrorStatistics(errors) }
    /// Observed minus intended over time: each cell's frame weighted by its window's ticks.
    var biasPercent: Double { biasWeight > 0 ? weightedBiasSum / biasWeight : frameMeanBiasPercent }
    /// Observed minus intended, the plain mean over every cell and frame.
    var frameMeanBiasPercent: Double { errors.isEmpty ? 0 : biasSum / Double(errors.count) }
    /// All CPUs' /proc/stat time over wall time: below 1 when the guest kernel lost ticks.
    var ticksPerWall: Double { tickCapacity > 0 ? Double(tickSum) / tickCapacity : 0 }
}

extension GuestFrameSample {
    /// The guest's window as the load sample a host-side observation reads (CPU ids in order).
    var load: CPULoadSample {
        CPULoadSample(startNanoseconds: 0, endNanoseconds: wallNanoseconds, fractions: cpus.map { $0.busyFraction },
                      totalTicks: cpus.map { UInt64(max(0, $0.totalTicks)) })
    }
}
