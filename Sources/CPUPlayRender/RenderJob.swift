import CPUPlayClip
import CPUPlayCore

/// Everything one render needs, checked: what the graph showed, what was meant, how to draw
/// it, the sound and where the file goes.
public struct RenderJob: Sendable {
    /// What the viewer showed, one frame per played frame (`play --record`).
    public var observed: Clip
    /// What was meant (the input as played), drawn on the left when given.
    public var intended: Clip?
    public var style: RenderStyle
    public var size: VideoSize
    /// The video's frame rate (nil: the observed clip's).
    public var frameRate: FrameRate?
    /// CPU ids per cell for the meters' labels (nil: cell numbers).
    public var labels: [String]?
    /// The source video's pictures, drawn left of the tiles (`render --source`), one per observed frame.
    public var source: SourcePictures?
    /// The titles over the panels, left to right (by default SOURCE, INTENDED and OBSERVED (/PROC/STAT)).
    public var titles: [String]
    /// The soundtrack cut to the played range (nil: no audio stream).
    public var audio: AudioCut?
    /// The file to write (.mp4, .mkv, .webm or .gif).
    public var output: String
    /// Also write every composed frame as raw YUV 4:2:0 here (for the benchmark's ffmpeg
    /// comparison: the same pictures, encoded by the command line).
    public var rawFrames: String?
    /// An existing output (and raw frames file) may be replaced (`render -y`, `play -y --export`).
    public var overwrite = false

    public init(observed: Clip, intended: Clip? = nil, style: RenderStyle = .tiles, size: VideoSize = .defaultSize,
                frameRate: FrameRate? = nil, labels: [String]? = nil, audio: AudioCut? = nil, output: String,
                titles: [String]? = nil, source: SourcePictures? = nil) throws(CPUPlayError) {
        if let intended {
            guard intended.grid == observed.grid else {
                throw CPUPlayError(.mismatch, setting: nil, "the intended frames are on grid \(intended.grid) but the "
                    + "observed clip is on grid \(observed.grid); pass the clip or video that was played, or convert "
                    + "it with \(Setting.grid) \(observed.grid)")
            }
            guard intended.frameRate == observed.frameRate else {
                throw CPUPlayError(.mismatch, setting: nil, "the intended clip runs at \(intended.frameRate) fps but "
                    + "the observed clip at \(observed.frameRate) fps; convert it with \(Setting.fps) "
                    + "\(observed.frameRate)")
            }
        }
        if let labels, labels.count != observed.grid.cellCount {
            throw .invalidArgument("\(labels.count) cell labels for grid \(observed.grid) "
                + "(\(observed.grid.cellCount) cells)")
        }
        if audio != nil, try !ContainerFormat(path: output).carriesSound {
            throw .invalidArgument("output \(CPUPlayError.quoted(output)): a GIF has no sound; "
                                   + "leave out the audio or write .mp4, .mkv or .webm")
        }
        if let source, source.frames.frameCount < observed.frameCount {
            throw .mismatch("the source video gives \(source.frames.frameCount) pictures for "
                            + "\(observed.frameCount) observed frames")
        }
        let layout = try FrameLayout(size: size, style: style, grid: observed.grid, sideBySide: intended != nil,
                                     sourceAspect: source?.aspect)
        self.observed = observed
        self.intended = intended
        self.style = style
        self.size = size
        self.frameRate = frameRate
        self.labels = labels
        self.source = source
        self.titles = titles ?? layout.titles
        self.audio = audio
        self.output = output
    }

    /// The output video's rate.
    public var outputRate: FrameRate { frameRate ?? observed.frameRate }

    /// Frames in the output video: the observed clip's length at the output rate.
    public var outputFrameCount: Int {
        let r = outputRate, o = observed.frameRate
        let num = observed.frameCount * r.numerator * o.denominator
        let den = r.denominator * o.numerator
        return max(1, (num + den / 2) / den)
    }

    /// The observed frame shown in output frame `k` (the latest at or before its time).
    public func observedIndex(forOutput k: Int) -> Int {
        let r = outputRate, o = observed.frameRate
        let i = (k * r.denominator * o.numerator) / (r.numerator * o.denominator)
        return min(observed.frameCount - 1, i)
    }
}
