import CPUPlayCore
/// How a source becomes grid levels: which grid, which rate, how the picture fits, and the
/// curve from luma (or clip level) to CPU load.
///
/// One value carries every knob so that `convert`, `show` and `play` accept exactly the same
/// options and produce exactly the same clip from the same input.
public struct ConversionOptions: Sendable, Equatable {
    /// The grid used when none is given and the source has none of its own (videos, patterns).
    public static let defaultGrid = try! GridSize(width: 32, height: 18)
    /// The rate used for patterns when none is given.
    public static let defaultPatternRate = try! FrameRate(numerator: 10)
    /// How long a pattern lasts when no duration is given, in seconds.
    public static let defaultPatternDuration = 10.0
    /// The longest pattern accepted, in seconds (one hour).
    public static let maximumPatternDuration = 3600.0

    /// nil keeps a Y4M clip's own grid; for videos it is `defaultGrid`'s width with the
    /// source's aspect ratio; for patterns it is `defaultGrid`.
    public var grid: GridSize?
    /// nil keeps the source's rate (patterns: `defaultPatternRate`).
    public var frameRate: FrameRate?
    public var fit: Fit
    /// Flips the curve: bright pixels (or low clip levels) become busy CPUs.
    public var invert: Bool
    /// Exponent applied to the load after `levels`: load = darkness ^ gamma. 1 is linear;
    /// above 1 lightens mid-tones (less load), below 1 darkens them.
    public var gamma: Double
    /// The input black and white points: values at or below `low` map to no load (or, for
    /// dark-is-busy video, full load), values at or above `high` to the other end.
    public var levels: LevelRange
    /// Length of a pattern in seconds (ignored for files).
    public var patternDuration: Double

    public init(
        grid: GridSize? = nil,
        frameRate: FrameRate? = nil,
        fit: Fit = .stretch,
        invert: Bool = false,
        gamma: Double = 1,
        levels: LevelRange = .full,
        patternDuration: Double = ConversionOptions.defaultPatternDuration
    ) {
        self.grid = grid
        self.frameRate = frameRate
        self.fit = fit
        self.invert = invert
        self.gamma = gamma
        self.levels = levels
        self.patternDuration = patternDuration
    }

    /// Rejects a gamma or duration that is not a positive finite number.
    public func validate() throws(CPUPlayError) {
        guard LoadGamma.accepts(gamma) else {
            throw .invalidArgument("gamma \(gamma): expected \(LoadGamma.accepted)")
        }
        guard patternDuration.isFinite, patternDuration > 0, patternDuration <= Self.maximumPatternDuration else {
            throw .invalidArgument("duration \(patternDuration): expected seconds above 0 and at most "
                + "\(Int(Self.maximumPatternDuration))")
        }
    }

    /// True when the options change levels at all (a clip loaded with the defaults is left as it is).
    public var reshapesLevels: Bool { invert || gamma != 1 || levels != .full }
}

/// How the source picture is placed on a grid whose aspect ratio differs from it.
///
/// A CPU grid is whatever the machine has, so the default is to stretch the whole picture
/// over it; crop and pad keep the picture's proportions (cells are taken as square).
public enum Fit: String, Sendable, CaseIterable, Equatable {
    /// The whole picture covers the whole grid, distorted if the aspects differ.
    case stretch
    /// The picture fills the grid; the centre part with the grid's aspect is kept.
    case crop
    /// The whole picture, undistorted, centred; cells outside it are idle (level 0).
    case pad
}

/// An input window `low:high` of 0...255 values, as image editors' "levels".
public struct LevelRange: Sendable, Equatable, CustomStringConvertible {
    public static let full = LevelRange(uncheckedLow: 0, high: 255)
    public let low: Int
    public let high: Int

    public var description: String { "\(low):\(high)" }

    public init(low: Int, high: Int) throws(CPUPlayError) {
        guard (0...255).contains(low), (0...255).contains(high), low < high else {
            throw .invalidArgument("levels \(low):\(high): expected LOW:HIGH with 0 <= LOW < HIGH <= 255, "
                + "for example 16:235")
        }
        self.low = low
        self.high = high
    }

    private init(uncheckedLow low: Int, high: Int) {
        self.low = low
        self.high = high
    }

    /// Parses `LOW:HIGH`, for example `16:235`; a refusal names the text as typed.
    public init(parsing text: String) throws(CPUPlayError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let l = WholeNumberText.value(parts[0].trimmingWhitespace()),
                  let h = WholeNumberText.value(parts[1].trimmingWhitespace()),
              (0...255).contains(l), (0...255).contains(h), l < h else {
            throw .invalidArgument("levels \(CPUPlayError.quoted(text)): expected LOW:HIGH with whole numbers 0 <= LOW "
                + "< HIGH <= 255, for example 16:235")
        }
        self.init(uncheckedLow: l, high: h)
    }
}

/// How far a conversion has got, for progress bars.
public struct ConversionProgress: Sendable, Equatable {
    /// Source frames decoded so far.
    public var framesDone: Int
    /// The expected number of source frames, when the container says (nil when unknown).
    public var framesTotal: Int?

    public init(framesDone: Int, framesTotal: Int?) {
        self.framesDone = framesDone
        self.framesTotal = framesTotal
    }
}
