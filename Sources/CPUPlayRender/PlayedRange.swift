import CPUPlayClip

/// Which stretch of the input a run played, frame by frame on the playback timeline: the
/// basis for cutting the soundtrack so the music lines up with the picture.
///
/// Timeline frame j (dropped frames count) showed clip frame (firstClipFrame + j) mod
/// clipFrames, the source's picture at c / fps seconds; so the range follows from the frame
/// count and the loop length, taken from the run's report (`play --export/--audio`) or from
/// the observed and intended clips (`render`).
public struct PlayedRange: Sendable, Equatable {
    public var frameRate: FrameRate
    /// Timeline frames played (shown + dropped).
    public var framesPlayed: Int
    /// The clip's length in frames (the loop period).
    public var clipFrames: Int
    /// The clip frame timeline frame 0 showed.
    public var firstClipFrame: Int

    public init(frameRate: FrameRate, framesPlayed: Int, clipFrames: Int, firstClipFrame: Int = 0) {
        precondition(framesPlayed >= 0 && clipFrames > 0)
        self.frameRate = frameRate
        self.framesPlayed = framesPlayed
        self.clipFrames = clipFrames
        self.firstClipFrame = firstClipFrame % clipFrames
    }

    /// One contiguous stretch of the clip: clip frames [clipStart, clipEnd) shown from
    /// timeline frame `timelineStart` on.
    public struct Segment: Sendable, Equatable {
        public var clipStart: Int
        public var clipEnd: Int
        public var timelineStart: Int
    }

    /// The stretches in play order: one without a loop, one per pass with --loop.
    public var segments: [Segment] {
        var out: [Segment] = []
        var j = 0, c = firstClipFrame
        while j < framesPlayed {
            let n = min(clipFrames - c, framesPlayed - j)
            out.append(Segment(clipStart: c, clipEnd: c + n, timelineStart: j))
            j += n
            c = 0
        }
        return out
    }

    /// Seconds from the start of the clip (or timeline) to frame `index`.
    public func seconds(_ index: Int) -> Double { Double(frameRate.nanoseconds(toFrame: index)) / 1e9 }

    /// Length of the played range in seconds.
    public var durationSeconds: Double { seconds(framesPlayed) }
}

/// The soundtrack to put beside the picture: a source file and the played range.
public struct AudioCut: Sendable, Equatable {
    public var source: String
    public var range: PlayedRange

    public init(source: String, range: PlayedRange) {
        self.source = source
        self.range = range
    }
}
