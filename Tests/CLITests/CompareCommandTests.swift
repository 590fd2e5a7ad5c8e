import CPUPlayTestSupport
import Testing
import Foundation

/// `cpuplay compare` end to end, on small clips written byte by byte (Y4M, C mono).
@Suite struct CompareCommandTests {
    static func writeClip(_ url: URL, width: Int, height: Int, fps: Int = 2, frames: [[UInt8]]) throws {
        var bytes = Array("YUV4MPEG2 W\(width) H\(height) F\(fps):1 Ip A1:1 Cmono\n".utf8)
        for f in frames {
            precondition(f.count == width * height)
            bytes += Array("FRAME\n".utf8) + f
        }
        try Data(bytes).write(to: url)
    }

    @Test func tableReportsPerFrameErrorPSNRAndSummary() throws {
        let dir = try TemporaryDirectory()
        try Self.writeClip(dir.file("a.y4m"), width: 2, height: 1, frames: [[0, 255], [255, 0]])
        try Self.writeClip(dir.file("b.y4m"), width: 2, height: 1, frames: [[0, 255], [204, 0]])
        let r = try CLI.run(["compare", dir.file("a.y4m").path, dir.file("b.y4m").path])
        #expect(r.status == 0, "\(r)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        // Frame 0 identical, frame 1 off by 51 levels in one of two cells -> 25.5 levels = 10 %.
        #expect(lines.contains { $0.hasPrefix("    0") && $0.contains("identical") })
        #expect(lines.contains { $0.hasPrefix("    1") && $0.contains("25.50") && $0.contains("10.00") && $0.contains("0,0: 20.0 %") })
        #expect(r.stdout.contains("mean absolute error: 12.75 levels = 5.00 %"))
        #expect(r.stdout.contains("PSNR: "))
    }

    @Test func jsonHasFramesWorstCellsAndSummary() throws {
        let dir = try TemporaryDirectory()
        try Self.writeClip(dir.file("a.y4m"), width: 2, height: 2, frames: [[0, 0, 0, 0]])
        try Self.writeClip(dir.file("b.y4m"), width: 2, height: 2, frames: [[0, 0, 0, 255]])
        let r = try CLI.run(["compare", dir.file("a.y4m").path, dir.file("b.y4m").path, "--json"])
        #expect(r.status == 0, "\(r)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["mae_pct"] as? Double == 25)
        let worst = try #require((obj["worst_cells"] as? [[String: Any]])?.first)
        #expect(worst["x"] as? Int == 1 && worst["y"] as? Int == 1)
        #expect((obj["frames"] as? [Any])?.count == 1)
    }

    @Test func differentGridsAreAOneLineError() throws {
        let dir = try TemporaryDirectory()
        try Self.writeClip(dir.file("a.y4m"), width: 2, height: 1, frames: [[0, 0]])
        try Self.writeClip(dir.file("b.y4m"), width: 1, height: 2, frames: [[0, 0]])
        let r = try CLI.run(["compare", dir.file("a.y4m").path, dir.file("b.y4m").path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("different grids: intended 2x1, observed 1x2"), "\(r)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r)")
        #expect(r.stdout.isEmpty)
    }

    @Test func differentLengthsAreAOneLineError() throws {
        let dir = try TemporaryDirectory()
        try Self.writeClip(dir.file("a.y4m"), width: 2, height: 1, frames: [[0, 0], [1, 1], [2, 2]])
        try Self.writeClip(dir.file("b.y4m"), width: 2, height: 1, frames: [[0, 0], [1, 1]])
        let r = try CLI.run(["compare", dir.file("a.y4m").path, dir.file("b.y4m").path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("different lengths: intended 3 frames, observed 2 frames"), "\(r)")
    }

    @Test func missingFileIsAClearError() throws {
        let dir = try TemporaryDirectory()
        try Self.writeClip(dir.file("a.y4m"), width: 2, height: 1, frames: [[0, 0]])
        let r = try CLI.run(["compare", dir.file("a.y4m").path, dir.file("nope.y4m").path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("nope.y4m"), "\(r)")
    }
}
