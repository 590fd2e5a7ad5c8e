import CPUPlayClip
import CPUPlayCore
import CPUPlayMedia
import CPUPlaySystem
import Foundation

/// The source video's pictures at a clip's frame times, small and grey, for the panel
/// `render --source` draws beside the tiles.
///
/// They come from the decoder every input goes through (`ClipLoader`, `VideoDecoder`): its
/// "grid" is as fine as the cell limit and a memory budget allow, with the picture's aspect,
/// so each cell is one picture pixel (busy = dark, as in any clip made from a video). Decoded
/// before the render starts, like the intended frames, so a source that cannot be used is
/// refused before an output file exists.
public struct SourcePictures: Sendable {
    /// The video as the user named it.
    public let path: String
    /// The picture's display width / height.
    public let aspect: Double
    /// One picture per clip frame, at the clip's rate (levels: 0 white, 255 black).
    public let frames: Clip

    /// Level bytes all pictures may take together: a longer clip gets coarser pictures.
    public static let byteBudget = 256 << 20
    /// The coarsest picture kept, whatever the clip's length.
    static let minimumCells = 16 * 9

    /// Decodes `frameCount` pictures of `path` at `frameRate` (picture k is the one shown k /
    /// rate seconds after the video's first). A missing file, a file with no video stream, a
    /// cpuplay clip or pattern, or a video shorter than the clip is refused in one line naming it.
    public static func load(_ path: String, frameRate: FrameRate,
                            frameCount: Int) throws(CPUPlayError) -> SourcePictures {
        var options = ConversionOptions()
        options.frameRate = frameRate
        let source: ClipSource
        do { source = try ClipLoader.open(path, options: options) } catch { throw refusal(path, "\(error)") }
        guard case .video = source.kind else {
            throw refusal(path, "it is a cpuplay clip or a pattern, not a video; pass the video the clip was made from")
        }
        source.grid = grid(aspect: source.pictureAspect, frameCount: frameCount)
        let clip: Clip
        do { clip = try source.clip(frameLimit: frameCount) } catch { throw refusal(path, "\(error)") }
        guard clip.frameCount >= frameCount else {
            let fps = frameRate.framesPerSecond
            let have = Double(clip.frameCount) / fps, need = Double(frameCount) / fps
            throw CPUPlayError(.mismatch, setting: .source, value: path,
                               "\(Setting.source) \(CPUPlayError.quoted(path)) is shorter than the clip: "
                               + "\(clip.frameCount) pictures at "
                               + "\(frameRate) fps (\(seconds(have))) for its \(frameCount) frames (\(seconds(need))); "
                               + "pass the video that was played")
        }
        return SourcePictures(path: path, aspect: source.pictureAspect, frames: clip)
    }

    /// The video `render --source VALUE` draws: VALUE itself, or for `auto` the video the first
    /// of `clips` to name one in its header was made from (`XCPUPLAY=intended:PATH`, as
    /// `convert` writes), when that is an existing file. A relative name (a long path is kept
    /// as its file name only) is looked for beside the clip, then in the working directory. A
    /// path a clip names is opened only because the user asked with `auto`; a recording names
    /// its viewer, never a video.
    public static func path(_ value: String, clips: [String]) throws(CPUPlayError) -> String {
        guard value == "auto" else { return value }
        var named: [String] = [], candidates: [String] = []
        for clip in clips where clip.lowercased().hasSuffix(".y4m") {
            guard let label = (try? Y4MReader.header(path: clip))?.label, label.kind == .intended,
                  !TestPattern.isPattern(label.source) else { continue }
            named.append(label.source)
            if !label.source.hasPrefix("/"), let slash = clip.lastIndex(of: "/") {
                candidates.append(clip[...slash] + label.source)
            }
            candidates.append(label.source)
        }
        if let found = candidates.first(where: { FilePath.kind($0) == .regular }) { return found }
        let why = named.isEmpty
            ? "no clip given names the video it was made from (a recording names its viewer, not the video)"
            : "the clip names \(named.map { CPUPlayError.quoted($0) }.joined(separator: ", ")), not a file here"
        throw .invalidArgument("\(Setting.source) auto: \(why); pass \(Setting.source) VIDEO", setting: .source,
                               value: value)
    }

    /// The finest picture with `aspect` whose `frameCount` frames fit `byteBudget` (at most
    /// `GridSize.maxCells` cells, at least `minimumCells`).
    static func grid(aspect: Double, frameCount: Int) -> GridSize {
        let cells = max(minimumCells, min(GridSize.maxCells, byteBudget / max(1, frameCount)))
        let a = aspect.isFinite && aspect > 0 ? min(max(aspect, 1.0 / 64), 64) : 16.0 / 9
        let h = min(cells, max(1, Int((Double(cells) / a).squareRoot())))
        let w = max(1, min(cells / h, GridSize.maxSide))
        return (try? GridSize(width: w, height: h)) ?? ConversionOptions.defaultGrid
    }

    static func refusal(_ path: String, _ why: String) -> CPUPlayError {
        .invalidArgument("\(Setting.source) \(CPUPlayError.quoted(path)) cannot be used: \(why)", setting: .source,
                         value: path)
    }

    static func seconds(_ s: Double) -> String { String(format: "%.2f s", s) }
}
