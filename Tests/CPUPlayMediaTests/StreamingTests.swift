import CPUPlayClip
import CPUPlayCore
import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
@testable import CPUPlayMedia

/// A sink that checks, at every frame it takes, how far the source has run ahead of it: the
/// frames read, decoded or rendered but not yet handed on are the frames the pipeline holds.
final class LagCheckingSink: FrameSink {
    weak var source: ClipSource?
    private(set) var taken = 0
    private(set) var worstLag = 0
    let stopAfter: Int?

    init(stopAfter: Int? = nil) { self.stopAfter = stopAfter }

    func take(_ frame: UnsafeBufferPointer<UInt8>) throws(CPUPlayError) -> FrameDemand {
        taken += 1
        if let source { worstLag = max(worstLag, source.sourceFramesRead - taken) }
        if let stopAfter, taken >= stopAfter { return .enough }
        return .more
    }
}

/// Conversions stream: every source holds a bounded number of frames whatever its length, and
/// a consumer with enough frames stops the source (counted, never timed).
@Suite struct StreamingTests {
    /// A clip file converted to another grid and curve: the source never runs more than two
    /// frames ahead of the sink (one being converted, one held by the resampler).
    @Test func clipConversionHoldsAtMostTwoFrames() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("long.y4m")
        let grid = try GridSize(width: 16, height: 8)
        let writer = try Y4MWriter(OutputTarget(f, option: "-o"), grid: grid, frameRate: try FrameRate(numerator: 100))
        for k in 0..<3000 { try writer.append(frame: [UInt8](repeating: UInt8(k % 256), count: grid.cellCount)) }
        try writer.finish()

        let source = try ClipLoader.open(f, options: ConversionOptions(grid: try GridSize(width: 4, height: 2), invert: true))
        #expect(source.expectedFrameCount == 3000)
        let sink = LagCheckingSink()
        sink.source = source
        let counts = try source.produce(into: sink)
        #expect(sink.taken == 3000 && counts.framesProduced == 3000 && counts.framesDecoded == 3000)
        #expect(sink.worstLag <= 2, "the source ran \(sink.worstLag) frames ahead of the sink")
    }

    /// A pattern of an hour at 1000 fps on 8192 cells (29.5 GB as a clip) renders one frame at
    /// a time and stops when the sink has enough: 10 frames rendered, not 3.6 million.
    @Test func longPatternRendersOnlyWhatIsTaken() throws {
        let options = ConversionOptions(grid: try GridSize(width: 128, height: 64), frameRate: try FrameRate(numerator: 1000), patternDuration: 3600)
        let source = try ClipLoader.open("pattern:checker", options: options)
        #expect(source.expectedFrameCount == 3_600_000)
        let sink = LagCheckingSink(stopAfter: 10)
        sink.source = source
        let counts = try source.produce(into: sink)
        #expect(counts.framesDecoded == 10 && sink.taken == 10 && sink.worstLag <= 1)
    }

    /// A frame limit stops a pattern, a clip and a video alike.
    @Test func frameLimitStopsEverySource() throws {
        let dir = try TemporaryDirectory()
        let clip = dir.path("c.y4m")
        try Y4MWriter.write(try ClipLoader.load("pattern:sweep", options: ConversionOptions(patternDuration: 20)), to: OutputTarget(clip, option: "-o"))
        let video = dir.path("v.mkv")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=64x48:rate=25:duration=8", "-c:v", "ffv1", video])
        for input in ["pattern:sweep", clip, video] {
            let c = try ClipLoader.load(input, options: ConversionOptions(grid: try GridSize(width: 4, height: 3)), frameLimit: 7)
            #expect(c.frameCount == 7, "\(input)")
        }
    }

    /// `play --duration 3` on a long video decodes about 3 s of it: packets read and frames
    /// decoded are bounded by the frames asked for plus the decoder's threads' look-ahead.
    @Test func videoDecodingStopsWhenTheSinkHasEnough() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("long.mp4")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=30:duration=20",
                               "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", f])
        let source = try ClipLoader.open(f, options: ConversionOptions(grid: try GridSize(width: 8, height: 6)))
        #expect(source.expectedFrameCount == 600)
        let sink = LagCheckingSink()
        sink.source = source
        let counts = try source.produce(into: sink, frameLimit: 90)
        #expect(sink.taken == 90 && counts.framesProduced == 90)
        #expect(counts.framesDecoded <= 92, "decoded \(counts.framesDecoded) frames for 90")
        #expect(counts.packetsRead <= 90 + 40, "read \(counts.packetsRead) of 600 packets for 90 frames")
        #expect(sink.worstLag <= 2, "the decoder ran \(sink.worstLag) frames ahead of the sink")
    }

    /// Below the source rate, frames no output shows are not averaged, and non-reference
    /// frames among them are not even decoded, with the same output as decoding them all.
    @Test func lowerRateSkipsUnseenFramesWithTheSameResult() throws {
        let dir = try TemporaryDirectory()
        let f = dir.path("b.mp4")
        // B-frames that are not references (no pyramid), so the decoder can drop them.
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=96x64:rate=30:duration=6",
                               "-c:v", "libx264", "-preset", "fast", "-bf", "2", "-x264-params", "b-pyramid=none:b-adapt=0",
                               "-pix_fmt", "yuv420p", f])
        let grid = try GridSize(width: 12, height: 8)
        let ten = try FrameRate(numerator: 10)
        let all = try ClipLoader.load(f, options: ConversionOptions(grid: grid))
        #expect(all.frameCount == 180)

        let source = try ClipLoader.open(f, options: ConversionOptions(grid: grid, frameRate: ten))
        let builder = ClipBuilder(grid: grid, frameRate: ten)
        let counts = try source.produce(into: builder)
        let skipped = builder.finish()
        #expect(skipped == all.retimed(to: ten), "skipping changed the picture")
        #expect(counts.framesProduced == 60 && counts.framesDownsampled == 60, "\(counts)")
        #expect(counts.packetsRead == 180 && counts.packetsMarkedUnseen > 0, "\(counts)")
        #expect(counts.framesDecoded < counts.packetsRead, "no frame was skipped by the decoder: \(counts)")
    }

    /// A clip whose stated length passes the byte limit is refused up front, before decoding,
    /// with the caller's error naming the size it would have (100 s x 10 fps x 100 cells).
    @Test func byteLimitRefusesALongClip() throws {
        let source = try ClipLoader.open("pattern:gradient", options: ConversionOptions(grid: try GridSize(width: 10, height: 10), patternDuration: 100))
        #expect(throws: CPUPlayError.invalidArgument("too big: 100000")) {
            _ = try source.clip(byteLimit: 1000, overLimit: { .invalidArgument("too big: \($0)") })
        }
    }

    /// A clip in a FIFO is read once, header and frames from the same open.
    @Test func clipFromAFIFO() throws {
        let dir = try TemporaryDirectory()
        let fifo = dir.path("in.y4m")
        #expect(mkfifo(fifo, 0o600) == 0)
        let bytes = Array("YUV4MPEG2 W2 H1 F10:1 Cmono\nFRAME\n\u{1}\u{2}FRAME\n\u{3}\u{4}".utf8)
        let writer = Thread {
            let fd = open(fifo, O_WRONLY)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        writer.start()
        let clip = try ClipLoader.load(fifo)
        let ten = try FrameRate(numerator: 10)
        #expect(clip.levels == [1, 2, 3, 4] && clip.frameRate == ten)
    }
}
