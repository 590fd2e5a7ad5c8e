/// Everything that can go wrong between a file on disk and a `Clip`.
///
/// Each case carries a complete one-line message naming the offending value and what
/// is accepted, so the command line can print it as is.
public enum MediaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A user-supplied value (grid, fps, levels, pattern spec...) is out of range.
    case invalidArgument(String)
    /// The input cannot be opened or is not a video cpuplay can read.
    case unreadableInput(String)
    /// A Y4M clip is malformed or truncated.
    case malformedClip(String)
    /// Writing output failed.
    case writeFailed(String)

    public var description: String {
        switch self {
        case .invalidArgument(let m), .unreadableInput(let m), .malformedClip(let m), .writeFailed(let m):
            return m
        }
    }
}
