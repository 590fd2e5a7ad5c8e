import CPUPlayClip
import CPUPlaySystem

/// Writes what the sampler saw as a clip in the viewer's grid, one frame per sample or
/// frame tick, so it can be compared with `cpuplay compare` or turned into a video.
///
/// The target is checked before anything runs (`OutputCheck`), and the clip appears under its
/// name only when `finish()` succeeds (`Y4MWriter` writes through `OutputFile`).
public final class ObservationRecorder {
    public let path: String
    private let writer: Y4MWriter

    /// `source` is what was observed, written into the clip's label (`vm play`: `guest /proc/stat`).
    public init(_ target: OutputTarget, grid: GridSize, frameRate: FrameRate, source: String = "/proc/stat") throws {
        path = target.path
        writer = try Y4MWriter(target, grid: grid, frameRate: frameRate,
                               label: ClipLabel(kind: .observed, source: source, grid: grid, frameRate: frameRate))
    }

    public var frames: Int { writer.framesWritten }

    public func append(_ levels: [UInt8]) throws { try writer.append(frame: levels) }

    public func finish() throws { try writer.finish() }

    public func cancel() { writer.cancel() }
}
