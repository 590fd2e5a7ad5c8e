import CPUPlayCore
import Foundation

/// Synthetic clips (`pattern:NAME[:ARG]`) with known levels, to calibrate and test a machine
/// and a viewer without any video file.
public enum TestPattern: Sendable, Equatable {
    /// Every cell at one level (0...255; typed as 0-255 or as a percentage, see `LoadLevel`).
    case solid(level: UInt8)
    /// A horizontal ramp: the left column idle, the right column fully busy.
    case gradient
    /// Squares of `size` cells alternately idle and busy, swapping every second.
    case checker(size: Int)
    /// A sine wave across the grid (`periods` cycles over the width), scrolling one cycle
    /// every two seconds, anti-aliased vertically.
    case sine(periods: Double)
    /// One fully busy column moving one column to the right per frame.
    case sweep

    public static let names = ["solid:LEVEL", "gradient", "checker[:SIZE]", "sine[:PERIODS]", "sweep"]
    static let accepted = "accepted: pattern:solid:LEVEL (0-255 or 0%-100%), pattern:gradient, pattern:checker[:SIZE], "
        + "pattern:sine[:PERIODS], pattern:sweep"

    /// True when `input` names a pattern rather than a file.
    public static func isPattern(_ input: String) -> Bool { input.hasPrefix("pattern:") }

    /// Parses `pattern:NAME[:ARG]`.
    public init(parsing input: String) throws(CPUPlayError) {
        let spec = input.hasPrefix("pattern:") ? String(input.dropFirst("pattern:".count)) : input
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0].lowercased(), arg = parts.count > 1 ? parts[1] : nil
        switch name {
        case "solid":
            guard let arg, let level = LoadLevel.parse(arg) else {
                throw .invalidArgument("pattern \(CPUPlayError.quoted(input)): solid needs \(LoadLevel.accepted), like "
                    + "pattern:solid:50%")
            }
            self = .solid(level: level)
        case "gradient" where arg == nil:
            self = .gradient
        case "checker":
            let size = arg.map { Int($0) } ?? 1
            guard let size, (1...4096).contains(size) else {
                throw .invalidArgument("pattern \(CPUPlayError.quoted(input)): checker takes a square size of 1-4096 "
                    + "cells, for example pattern:checker:2")
            }
            self = .checker(size: size)
        case "sine":
            let periods = arg.map { Double($0) } ?? 1
            guard let periods, periods.isFinite, periods > 0, periods <= 1000 else {
                throw .invalidArgument("pattern \(CPUPlayError.quoted(input)): sine takes a number of periods above 0 "
                    + "and at most 1000, for example pattern:sine:2")
            }
            self = .sine(periods: periods)
        case "sweep" where arg == nil:
            self = .sweep
        default:
            throw .invalidArgument("pattern \(CPUPlayError.quoted(input)): unknown pattern; \(Self.accepted)")
        }
    }

    /// Frames in `duration` seconds at `frameRate` (at least one).
    public static func frameCount(duration: Double, frameRate: FrameRate) -> Int {
        let n = (duration * frameRate.framesPerSecond).rounded()
        return n.isFinite && n < Double(Int.max / 2) ? max(1, Int(n)) : Int.max / 2
    }

    /// Renders frames 0..<`frameCount` one at a time into `sink` (holding one frame), stopping
    /// early when the sink has enough. Returns the frames rendered.
    @discardableResult
    public func render(grid: GridSize, frameRate: FrameRate, frameCount: Int,
                       into sink: any FrameSink) throws(CPUPlayError) -> Int {
        var frame = [UInt8](repeating: 0, count: grid.cellCount)
        for k in 0..<max(0, frameCount) {
            render(frame: k, time: Double(k) / frameRate.framesPerSecond, grid: grid, into: &frame)
            let demand = try frame.withUnsafeBufferPointer { (f) throws(CPUPlayError) in try sink.take(f) }
            if demand == .enough { return k + 1 }
        }
        return max(0, frameCount)
    }

    /// The clip of this pattern on `grid` at `frameRate`, lasting `duration` seconds (at least one frame).
    public func clip(grid: GridSize, frameRate: FrameRate, duration: Double) -> Clip {
        let count = Self.frameCount(duration: duration, frameRate: frameRate)
        let builder = ClipBuilder(grid: grid, frameRate: frameRate, expectedFrames: count)
        try! render(grid: grid, frameRate: frameRate, frameCount: count,
                    into: builder)   // an unlimited builder throws nothing
        return builder.finish()
    }

    /// Draws frame `k` (at `time` seconds) into `frame`.
    func render(frame k: Int, time: Double, grid: GridSize, into frame: inout [UInt8]) {
        let w = grid.width, h = grid.height
        for y in 0..<h {
            for x in 0..<w {
                let v: UInt8
                switch self {
                case .solid(let level):
                    v = level
                case .gradient:
                    v = w == 1 ? 255 : UInt8((255.0 * Double(x) / Double(w - 1)).rounded())
                case .checker(let size):
                    let phase = Int(time.rounded(.down)) & 1
                    v = ((x / size + y / size + phase) & 1) == 1 ? 255 : 0
                case .sine(let periods):
                    let a = 2 * Double.pi * (periods * (Double(x) + 0.5) / Double(w) - time / 2)
                    let centre = (Double(h) - 1) / 2 * (1 - sin(a))
                    let d = abs(Double(y) - centre)
                    v = UInt8((255 * max(0, 1 - d)).rounded())
                case .sweep:
                    v = x == k % w ? 255 : 0
                }
                frame[y * w + x] = v
            }
        }
    }
}
