import CPUPlayCore
import Testing
@testable import CPUPlayClip

/// What a clip says it is travels in its Y4M header and back, whatever its source's name.
@Suite struct ClipLabelTests {
    @Test func labelRoundTripsThroughTheHeader() throws {
        let grid = try GridSize(width: 4, height: 3), rate = try FrameRate(numerator: 30000, denominator: 1001)
        let label = ClipLabel(kind: .intended, source: "my clip (100%)/über.mp4", grid: grid, frameRate: rate)
        let line = Y4MHeader(grid: grid, frameRate: rate, label: label).line
        #expect(line.hasSuffix("XCPUPLAY_FPS=30000:1001\n") && !line.dropLast().contains("\n"))
        #expect(line.split(separator: " ").allSatisfy { !$0.isEmpty })
        let parsed = try Y4MHeader(parsing: Substring(line.dropLast()), name: "t.y4m")
        #expect(parsed.label == label)
        #expect(parsed.panelTitle == "INTENDED (ÜBER.MP4)")
    }

    @Test func observedTitleKeepsTheWholeProcPath() throws {
        let grid = try GridSize(width: 2, height: 1), rate = try FrameRate(numerator: 10)
        #expect(ClipLabel(kind: .observed, source: "/proc/stat", grid: grid, frameRate: rate).title == "OBSERVED (/PROC/STAT)")
    }

    /// A header without cpuplay's parameters (ffmpeg's, or an older clip) has no label and a neutral title.
    @Test func unlabelledHeaderIsNeutral() throws {
        let h = try Y4MHeader(parsing: "YUV4MPEG2 W4 H3 F10:1 Ip A1:1 Cmono XYSCSS=MONO", name: "ffmpeg.y4m")
        #expect(h.label == nil && h.panelTitle == "CLIP")
        // A label missing a part is no label.
        let partial = try Y4MHeader(parsing: "YUV4MPEG2 W4 H3 F10:1 Cmono XCPUPLAY_KIND=observed", name: "p.y4m")
        #expect(partial.label == nil)
    }
}
