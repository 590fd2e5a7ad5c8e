import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayTerminal
import Foundation

/// What `play` says on a terminal before the first frame: what it plays, on which grid, CPUs
/// and layout, where to look (htop, btop, `cpuplay watch`), how to stop, and, when there are
/// few CPUs, the load each one is meant to carry, so a person knows what to expect.
enum PlayBanner {
    /// Up to this many pixels the intended load of each is listed.
    static let perCPUListLimit = 16

    static func lines(input: String?, clip: Clip, layout: Layout, quitKey: Bool) -> [String] {
        let name = input == "-" ? "standard input" : input.map { CPUPlayError.quoted($0) } ?? "the bundled sample"
        let cpus = CPUSet(layout.pixels.map(\.cpu)).description
        let stop = quitKey ? "q or Ctrl-C stops" : "Ctrl-C stops"
        var lines = [
            "cpuplay: playing \(name): \(clip.frameCount) frames at \(clip.frameRate) fps "
                + "(\(ProgressBar.clock(clip.durationSeconds)))",
            "  grid \(layout.grid), layout \(layout.name), \(layout.pixels.count) pixel "
                + "thread\(layout.pixels.count == 1 ? "" : "s") on CPUs \(cpus)",
            "  watch it in htop, btop or `cpuplay watch`; \(stop)",
        ]
        let pixels = layout.pixels
        if pixels.count <= perCPUListLimit, clip.frameCount > 0 {
            var sums = [Double](repeating: 0, count: pixels.count)
            for k in 0..<clip.frameCount {
                let frame = clip.frame(k)
                for (i, p) in pixels.enumerated() { sums[i] += Double(frame[frame.startIndex + p.cell]) }
            }
            let loads = pixels.enumerated().map { i, p in
                "CPU \(p.cpu) \(Int((sums[i] / Double(clip.frameCount) / 255 * 100).rounded())) %"
            }
            let constant = (0..<clip.frameCount).allSatisfy { clip.frame($0) == clip.frame(0) }
            lines.append("  intended load\(constant ? "" : " (mean over the clip)"): " + loads.joined(separator: ", "))
        }
        return lines
    }

    /// Prints the banner on stderr when it is a terminal (not with --quiet or TERM=dumb's logs).
    static func show(input: String?, clip: Clip, layout: Layout, quitKey: Bool) {
        guard TerminalIO.isTTY(2), Console.level != .quiet else { return }
        for line in lines(input: input, clip: clip, layout: layout, quitKey: quitKey) { Console.note(line) }
    }
}
