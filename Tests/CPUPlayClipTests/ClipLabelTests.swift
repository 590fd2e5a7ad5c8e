import CPUPlayCore
import Testing
@testable import CPUPlayClip

/// What a clip says it is travels in its Y4M header and back, whatever its source's name.
@Suite struct ClipLabelTests {
    @Test func labelRoundTripsThroughTheHeader() throws {
        let grid = try GridSize(width: 4, height: 3), rate = try FrameRate(numerator: 30000, denominator: 1001)
        let label = ClipLabel(kind: .intended, source: "my clip (100%)/über.mp4", grid: grid, frameRate: rate)
        let line = Y4MHeader(grid: grid, frameRate: rate, label: label).line
        #expect(line.contains(" XCPUPLAY=intended:my%20clip%20(100%25)/%C3%BCber.mp4\n") && !line.dropLast().contains("\n"))
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
        let partial = try Y4MHeader(parsing: "YUV4MPEG2 W4 H3 F10:1 Cmono XCPUPLAY=seen:x", name: "p.y4m")
        #expect(partial.label == nil)
    }

    /// FFmpeg reads at most 128 bytes of header line: a long source is shortened to its file
    /// name, then cut, and the header stays readable by ffmpeg.
    @Test func longSourceKeepsTheHeaderWithinFFmpegsLimit() throws {
        let grid = try GridSize(width: 128, height: 64), rate = try FrameRate(numerator: 30000, denominator: 1001)
        let long = "/home/someone/videos/" + String(repeating: "très long nom ", count: 12) + ".mp4"
        let line = Y4MHeader(grid: grid, frameRate: rate, label: ClipLabel(kind: .observed, source: long, grid: grid, frameRate: rate)).line
        #expect(line.utf8.count <= Y4MHeader.maximumLineLength, "\(line.utf8.count) bytes")
        let parsed = try Y4MHeader(parsing: Substring(line.dropLast()), name: "t.y4m")
        #expect(parsed.label?.kind == .observed && parsed.label?.source.hasPrefix("très long nom") == true, "\(line)")
        let short = ClipLabel(kind: .intended, source: "/a/b/c.mp4", grid: grid, frameRate: rate)
        #expect(short.token(maximum: 100) == "XCPUPLAY=intended:/a/b/c.mp4" && short.token(maximum: 24) == "XCPUPLAY=intended:c.mp4")
    }
}
