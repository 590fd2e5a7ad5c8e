import CPUPlayClip
import CPUPlayCore

/// The test frames `--fps auto` plays: a picture's mix of levels rather than one level, since
/// the error a rate causes depends on them (solid 50 % is the worst case for tick counting and
/// for a vCPU the host runs or not; a dark or full cell reads true at any rate). Each CPU steps
/// through `levels`, holding each for `holdSeconds` of wall time at any rate (a picture holds
/// its levels for a while; a level changed every frame would measure transitions only), and
/// neighbouring CPUs start at different steps.
public enum ProbePicture {
    public static let levels: [UInt8] = [0, 128, 255, 64, 191]
    public static let holdSeconds = 1.0 / 3
    public static var levelFractions: [Double] { levels.map { Double($0) / 255 } }

    /// `frames` frames of `cpus` cells at `fps`.
    public static func clip(cpus: Int, frames: Int, fps: Int) throws(CPUPlayError) -> Clip {
        let grid = try GridSize(width: cpus, height: 1)
        let hold = max(1, Int((holdSeconds * Double(fps)).rounded()))
        var cells = [UInt8]()
        cells.reserveCapacity(frames * cpus)
        for k in 0..<frames {
            for i in 0..<cpus { cells.append(levels[(i + k / hold) % levels.count]) }
        }
        return Clip(grid: grid, frameRate: try FrameRate(numerator: fps), levels: cells)
    }
}

extension ProbePicture {
    /// Excerpts of the clip to be played, as the probe plays them (one cell per CPU of `cpus`,
    /// in order): the clip retimed to `fps`, `frames` frames taken as three runs from a sixth,
    /// a half and five sixths of the way through (what the input will ask of these CPUs, which
    /// in an overcommitted guest decides the error more than the rate does). A CPU the layout
    /// gives no cell is dark.
    public static func excerpts(of clip: Clip, layout: Layout, cpus: CPUSet, fps: Int,
                                frames: Int) throws(CPUPlayError) -> Clip {
        let timed = clip.retimed(to: try FrameRate(numerator: fps))
        let cells = cpus.ids.map { layout.cells.firstIndex(of: $0) }
        let runs = 3, length = max(1, frames / runs)
        var levels = [UInt8]()
        levels.reserveCapacity(frames * cpus.count)
        for k in 0..<frames {
            let run = min(k / length, runs - 1)
            let start = timed.frameCount * (2 * run + 1) / (2 * runs)
            let source = timed.frameCount > 0 ? (start + k - run * length) % timed.frameCount : 0
            let base = source * timed.grid.cellCount
            for cell in cells { levels.append(cell.map { timed.levels[base + $0] } ?? 0) }
        }
        return Clip(grid: try GridSize(width: cpus.count, height: 1), frameRate: timed.frameRate, levels: levels)
    }
}
