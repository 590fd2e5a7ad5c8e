/// Everything that can go wrong while measuring what a CPU graph showed.
///
/// Each case carries a complete one-line message naming the offending value and what to do,
/// so the command line can print it as is.
public enum MeasureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A statistics source (/proc/stat, /proc/cpuinfo...) cannot be read or parsed.
    case unreadableSource(String)
    /// Two clips or runs cannot be compared (different grids, lengths...).
    case mismatch(String)
    /// A user-supplied value is out of range.
    case invalidArgument(String)
    /// Writing a report, trace or recording failed.
    case writeFailed(String)

    public var description: String {
        switch self {
        case .unreadableSource(let m), .mismatch(let m), .invalidArgument(let m), .writeFailed(let m):
            return m
        }
    }
}
