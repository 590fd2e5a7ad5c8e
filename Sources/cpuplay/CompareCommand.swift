import CPUPlayClip
import CPUPlayCore
import CPUPlayMeasure
import CPUPlaySystem
import ArgumentParser
import Foundation

/// `cpuplay compare INTENDED OBSERVED`: how far what a graph showed is from what was meant.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare an intended clip with an observed recording, frame by frame.",
        discussion: """
        INTENDED and OBSERVED are cpuplay clips (.y4m, Cmono) of the same grid, frame rate and \
        length, typically the clip you played and what `play --record` or `watch --record` saw. \
        Frame k of one is compared with frame k of the other. Prints each frame's mean absolute \
        error (levels 0-255 and percent of full load), its PSNR and worst cell, then the worst \
        cells over the clip and a summary.

        Example:
          cpuplay convert pattern:checker --grid 2x1 --fps 2 -o intended.y4m
          cpuplay play intended.y4m --record observed.y4m
          cpuplay compare intended.y4m observed.y4m
        """
    )

    @Argument(help: "The clip that was played (.y4m), or - for standard input.")
    var intended: String

    @Argument(help: "The clip that was observed (.y4m), e.g. from play --record, or - for standard input.")
    var observed: String

    @Flag(help: "Print the comparison as JSON instead of a table.")
    var json = false

    @Flag(help: "Print only the summary, not one line per frame.")
    var summary = false

    @Option("--worst", help: "How many of the worst cells to list.")
    var worst = Count(5)

    @OptionGroup var global: GlobalOptions

    func run() throws {
        // CPUPlayError and CPUPlayError print as one line ("Error: ...") and exit 1.
        guard intended != "-" || observed != "-" else {
            throw CPUPlayError.invalidArgument("INTENDED and OBSERVED are both '-': standard input can be one of them; give a .y4m file for the other")
        }
        let a = try Y4MReader.read(path: InputArgument.resolve(intended))
        let b = try Y4MReader.read(path: InputArgument.resolve(observed))
        let c = try ClipComparison(intended: a, observed: b, worstCellCount: worst.value)
        if json {
            try OutputFile.write(Array(try c.jsonData()), to: StandardOutput.target)
            return
        }
        try StandardOutput.line(Self.render(c, frames: !summary))
    }

    static func render(_ c: ClipComparison, frames: Bool) -> String {
        var out = ""
        func p(_ v: Double, _ d: Int = 2) -> String { String(format: "%.\(d)f", v) }
        func psnr(_ v: Double?) -> String { v.map { p($0, 1) + " dB" } ?? "identical" }
        if frames {
            out += "frame  MAE levels  MAE %   PSNR        worst cell (x,y: error)\n"
            for fr in c.frames {
                let cell = "\(fr.worstCell.x),\(fr.worstCell.y): \(p(fr.worstCell.errorPercent, 1)) %"
                out += String(format: "%5d  %10@  %6@  %-10@  %@\n", fr.index,
                              p(fr.meanAbsoluteErrorLevels) as NSString, p(fr.meanAbsoluteErrorPercent) as NSString,
                              psnr(fr.psnr) as NSString, cell as NSString)
            }
            out += "\n"
        }
        if !c.worstCells.isEmpty {
            out += "worst cells over the clip (mean error):\n"
            for cell in c.worstCells {
                out += "  \(cell.x),\(cell.y): \(p(cell.errorLevels)) levels (\(p(cell.errorPercent)) %)\n"
            }
            out += "\n"
        }
        out += "grid \(c.grid), \(c.frameCount) frames at \(c.fps) fps\n"
        out += "mean absolute error: \(p(c.meanAbsoluteErrorLevels)) levels = \(p(c.meanAbsoluteErrorPercent)) %"
        out += " (per frame: p99 \(p(c.framePercent.p99)) %, max \(p(c.framePercent.max)) %)\n"
        out += "PSNR: \(psnr(c.psnr))\n"
        out += c.verdict.line
        return out
    }
}
