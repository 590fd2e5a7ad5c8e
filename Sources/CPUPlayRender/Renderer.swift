import CPUPlayClip
import CPUPlayCore
import CPUPlaySystem
import CFFmpeg
import Foundation

/// What a finished render produced.
public struct RenderSummary: Sendable, Equatable {
    public var frames: Int
    public var width: Int
    public var height: Int
    public var videoCodec: String
    /// "copied (aac)", "re-encoded to opus", or nil without audio.
    public var audio: String?
    public var seconds: Double
}

/// Turns a `RenderJob` into a video file: composes each frame, encodes it, muxes the cut
/// soundtrack alongside, and makes the file appear only when it is complete.
public enum Renderer {
    /// Renders `job`. `progress(done, total)` is called after every frame; when `shouldStop`
    /// turns true the render ends, the partial file is removed and `.interrupted` is thrown.
    public static func render(_ job: RenderJob, progress: (Int, Int) -> Void = { _, _ in },
                              shouldStop: () -> Bool = { false }) throws -> RenderSummary {
        let format = try ContainerFormat(path: job.output)
        let layout = try FrameLayout(size: job.size, style: job.style, grid: job.observed.grid,
                                     sideBySide: job.intended != nil,
                                     titles: job.titles, sourceAspect: job.source?.aspect)
        let target = try OutputFileTarget(destination: job.output, overwrite: job.overwrite)
        do {
            let summary = try encode(job, format: format, layout: layout, path: target.path, progress: progress,
                                     shouldStop: shouldStop)
            try target.finish()
            return summary
        } catch {
            target.cancel()
            throw error
        }
    }

    private static func encode(_ job: RenderJob, format: ContainerFormat, layout: FrameLayout, path: String,
                               progress: (Int, Int) -> Void, shouldStop: () -> Bool) throws -> RenderSummary {
        let muxer = try Muxer(format: format, path: path, destination: job.output)
        let rate = job.outputRate
        let video = try VideoEncoder(muxer: muxer, size: job.size, rate: rate)
        let audio = try job.audio.map { cut throws(CPUPlayError) in try AudioTrackWriter(cut: cut, muxer: muxer) }
        try muxer.start()
        var composer = FrameComposer(layout: layout, labels: job.labels)
        /// Output frame `k`: observed frame i, the intended and source frames shown with it.
        func picture(_ k: Int) -> YUVCanvas {
            let i = job.observedIndex(forOutput: k)
            return composer.compose(index: i, total: job.observed.frameCount, observed: job.observed.frame(i),
                                    intended: job.intended.map { $0.frame(i % $0.frameCount) },
                                    source: job.source.map { (picture: $0.frames.frame(i), grid: $0.frames.grid) })
        }
        let total = job.outputFrameCount
        let raw = try job.rawFrames.map { path throws(CPUPlayError) in
            try OutputFile(OutputTarget(path, option: "\(Setting.rawFrames)", overwrite: job.overwrite))
        }
        defer { raw?.cancel() }
        if video.learnsPalette {
            // GIF: one palette for every frame, learnt from up to 32 frames spread over the video.
            for k in Set((0..<min(32, total)).map { $0 * total / min(32, total) }).sorted() {
                video.learnPalette(from: picture(k))
            }
        }
        for k in 0..<total {
            if shouldStop() { throw RenderInterrupted() }
            let frame = picture(k)
            try video.encode(frame, index: k)
            try raw?.write(frame.planes)
            try audio?.write(upToSeconds: rate.seconds(toFrame: k + 1))
            progress(k + 1, total)
        }
        try video.finish()
        try audio?.finish()
        try muxer.finish()
        try raw?.finish()
        return RenderSummary(frames: total, width: job.size.width, height: job.size.height, videoCodec: video.codecName,
                             audio: audio?.summary, seconds: rate.seconds(toFrame: total))
    }
}

extension FrameRate {
    /// Seconds from the start to frame `index`.
    func seconds(toFrame index: Int) -> Double { Double(nanoseconds(toFrame: index)) / 1e9 }
}
