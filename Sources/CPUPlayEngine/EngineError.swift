/// Everything that stops the engine from starting or running.
///
/// Each case carries a complete one-line message naming the offending value and what to
/// do about it, so the command line prints it as is. Nothing has been started when any of
/// these is thrown from a validation step; a `startFailed` means every thread already
/// created was released and joined before the error surfaced.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A user-supplied value (CPU list, layout, grid, fps, thread count) is out of range.
    case invalidArgument(String)
    /// A layout file is missing, empty or malformed.
    case badLayout(String)
    /// The platform refused something the engine needs (pinning, thread creation).
    case startFailed(String)
    /// Reading a system file (/proc, /sys) failed.
    case system(String)

    public var description: String {
        switch self {
        case .invalidArgument(let m), .badLayout(let m), .startFailed(let m), .system(let m):
            return m
        }
    }
}
