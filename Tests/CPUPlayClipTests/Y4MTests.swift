import CPUPlayCore
import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
@testable import CPUPlayClip

@Suite struct Y4MTests {
    func sampleClip() throws -> Clip {
        let grid = try GridSize(width: 5, height: 3)
        let levels = (0..<(grid.cellCount * 4)).map { UInt8(truncatingIfNeeded: $0 * 37) }
        return Clip(grid: grid, frameRate: try FrameRate(numerator: 30000, denominator: 1001), levels: levels)
    }

    @Test func roundTripIsIdentical() throws {
        let dir = try TemporaryDirectory()
        let clip = try sampleClip()
        try Y4MWriter.write(clip, to: OutputTarget(dir.path("c.y4m"), option: "-o"))
        #expect(try Y4MReader.read(path: dir.path("c.y4m")) == clip)
        #expect(dir.contents == ["c.y4m"], "no temporary file may remain")
    }

    @Test func ffprobeReadsIt() throws {
        let dir = try TemporaryDirectory()
        let clip = try sampleClip()
        let f = dir.path("c.y4m")
        try Y4MWriter.write(clip, to: OutputTarget(f, option: "-o"))
        let out = String(decoding: try SystemTool.run("ffprobe", ["-v", "error", "-count_frames", "-show_entries",
            "stream=width,height,pix_fmt,r_frame_rate,nb_read_frames", "-of", "compact=p=0", f]), as: UTF8.self)
        #expect(out.contains("width=5|height=3|pix_fmt=gray|r_frame_rate=30000/1001|nb_read_frames=4"), "\(out)")
        // And ffmpeg decodes the same bytes.
        let raw = try SystemTool.run("ffmpeg", ["-v", "error", "-i", f, "-f", "rawvideo", "-pix_fmt", "gray", "-"])
        #expect([UInt8](raw) == clip.levels)
    }

    @Test func writerAppendsIncrementallyAndIsAtomic() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("live.y4m")
        let grid = try GridSize(width: 2, height: 2)
        let w = try Y4MWriter(OutputTarget(f, option: "-o"), grid: grid, frameRate: try FrameRate(numerator: 10))
        try w.append(frame: [1, 2, 3, 4])
        try w.append(frame: [5, 6, 7, 8])
        #expect(!FileManager.default.fileExists(atPath: f), "the destination must not exist before finish()")
        #expect(dir.contents.count == 1 && dir.contents[0].hasPrefix(".live.y4m.partial-"))
        try w.finish()
        #expect(w.framesWritten == 2)
        #expect(try Y4MReader.read(path: f).levels == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(dir.contents == ["live.y4m"])
    }

    @Test func unfinishedWriterLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        do {
            let w = try Y4MWriter(OutputTarget(dir.path("x.y4m"), option: "-o"), grid: try GridSize(width: 2, height: 1), frameRate: try FrameRate(numerator: 10))
            try w.append(frame: [1, 2])
            #expect(throws: CPUPlayError.self) { try w.append(frame: [1, 2, 3]) }   // wrong size cancels
        }
        #expect(dir.contents.isEmpty)
        do {
            let w = try Y4MWriter(OutputTarget(dir.path("y.y4m"), option: "-o"), grid: try GridSize(width: 2, height: 1), frameRate: try FrameRate(numerator: 10))
            try w.append(frame: [1, 2])
            _ = w   // dropped without finish()
        }
        #expect(dir.contents.isEmpty)
    }

    @Test func writeIntoMissingDirectoryFails() throws {
        let clip = try sampleClip()
        #expect(throws: CPUPlayError.self) { try Y4MWriter.write(clip, to: OutputTarget("/nonexistent-dir/c.y4m", option: "-o")) }
    }

    // Malformed clips: each is rejected with a message naming the file and the problem.
    func reject(_ bytes: [UInt8], _ fragment: String) throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("bad.y4m")
        try Data(bytes).write(to: URL(fileURLWithPath: f))
        do {
            _ = try Y4MReader.read(path: f)
            Issue.record("accepted a malformed clip (\(fragment))")
        } catch {
            #expect(error.description.contains(f) && error.description.contains(fragment), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func rejectsWrongHeader() throws {
        try reject(Array("YUV4MPEG W2 H2 F1:1 Cmono\nFRAME\n\0\0\0\0".utf8), "does not start with YUV4MPEG2")
        try reject(Array("YUV4MPEG2 W2 F1:1 Cmono\nFRAME\n\0\0\0\0".utf8), "lacks W")
        try reject(Array("YUV4MPEG2 W2 H2 F0:1 Cmono\nFRAME\n\0\0\0\0".utf8), "frame rate")
        try reject(Array("YUV4MPEG2 W2 H2 Cmono\nFRAME\n\0\0\0\0".utf8), "lacks F")
        try reject(Array("YUV4MPEG2 W0 H2 F1:1 Cmono\nFRAME\n".utf8), "out of range")
        try reject(Array("no newline at all".utf8), "no header line")
    }
    @Test func rejectsWrongFrameSize() throws {
        // The header says 2x2 (4 bytes) but each frame holds 6.
        try reject(Array("YUV4MPEG2 W2 H2 F1:1 Cmono\nFRAME\n\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}FRAME\n\u{1}\u{1}\u{1}\u{1}\u{1}\u{1}".utf8), "frame 1")
    }
    @Test func rejectsMissingFrameMarker() throws {
        try reject(Array("YUV4MPEG2 W2 H2 F1:1 Cmono\nFRAME\n\u{1}\u{1}\u{1}\u{1}FRAMX\n\u{1}\u{1}\u{1}\u{1}".utf8), "does not start with FRAME")
        try reject(Array("YUV4MPEG2 W2 H2 F1:1 Cmono\n\u{1}\u{1}\u{1}\u{1}".utf8), "frame 0")
    }
    @Test func rejectsTruncatedLastFrame() throws {
        try reject(Array("YUV4MPEG2 W2 H2 F1:1 Cmono\nFRAME\n\u{1}\u{1}\u{1}\u{1}FRAME\n\u{1}\u{1}".utf8), "frame 1 is truncated: 2 of 4 bytes")
    }
    @Test func rejectsHeaderOnly() throws {
        try reject(Array("YUV4MPEG2 W2 H2 F1:1 Cmono\n".utf8), "no frames")
    }
    @Test func acceptsFrameParameters() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("p.y4m")
        try Data("YUV4MPEG2 W2 H1 F5:1 Ip A1:1 Cmono XCOLORRANGE=FULL\nFRAME Ixyz\n\u{7}\u{9}".utf8).write(to: URL(fileURLWithPath: f))
        let clip = try Y4MReader.read(path: f)
        let five = try FrameRate(numerator: 5)
        #expect(clip.levels == [7, 9] && clip.frameRate == five)
    }
}

@Suite struct ClipTransformTests {
    @Test func retimedKeepsTimes() throws {
        let g = try GridSize(width: 1, height: 1)
        let clip = Clip(grid: g, frameRate: try FrameRate(numerator: 30), levels: (0..<30).map { UInt8($0) })
        let ten = clip.retimed(to: try FrameRate(numerator: 10))
        #expect(ten.levels == [0, 3, 6, 9, 12, 15, 18, 21, 24, 27])
        let sixty = clip.retimed(to: try FrameRate(numerator: 60))
        #expect(sixty.frameCount == 60 && sixty.level(frame: 59, x: 0, y: 0) == 29 && sixty.level(frame: 1, x: 0, y: 0) == 0)
        let ntsc = clip.retimed(to: try FrameRate(numerator: 30000, denominator: 1001))
        #expect(ntsc.frameCount == 30)   // 1 s at 29.97 rounds to 30 frames (the last one 0.97 ms short)
    }
    @Test func resampledAveragesAreas() throws {
        let clip = Clip(grid: try GridSize(width: 4, height: 2), frameRate: try FrameRate(numerator: 1),
                        levels: [0, 100, 200, 255, 0, 100, 200, 255])
        let two = clip.resampled(to: try GridSize(width: 2, height: 1))
        #expect(two.levels == [50, 228])
        let up = clip.resampled(to: try GridSize(width: 8, height: 2))
        #expect(Array(up.frame(0).prefix(8)) == [0, 0, 100, 100, 200, 200, 255, 255])
    }
    @Test func reshapedInvertsLoads() throws {
        let clip = Clip(grid: try GridSize(width: 2, height: 1), frameRate: try FrameRate(numerator: 1), levels: [0, 200])
        #expect(clip.reshaped(by: ConversionOptions(invert: true)).levels == [255, 55])
        #expect(clip.reshaped(by: ConversionOptions()).levels == [0, 200])
    }
}

/// Header frame rates outside the documented range (1/3600 to 1000 fps, reduced terms at most
/// 1000000) are refused with one line, as `--fps` is.
@Suite struct Y4MHeaderRateTests {
    @Test(arguments: ["F1:1000000", "F0:1", "F1:0", "F1001:1", "F1:3601", "F9223372036854775806:9223372036854775807", "F2147483647:2147483646"])
    func refusesRatesOutsideTheRange(_ field: String) {
        do {
            _ = try Y4MHeader(parsing: Substring("YUV4MPEG2 W2 H2 \(field) Cmono"), name: "c.y4m")
            Issue.record("accepted \(field)")
        } catch {
            #expect(error.description.contains(field) && error.description.contains("c.y4m"), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }
    @Test(arguments: ["F30000:1001", "F1:3600", "F1000:1", "F25:1"])
    func acceptsRatesInTheRange(_ field: String) throws {
        _ = try Y4MHeader(parsing: Substring("YUV4MPEG2 W2 H2 \(field) Cmono"), name: "c.y4m")
    }
}
