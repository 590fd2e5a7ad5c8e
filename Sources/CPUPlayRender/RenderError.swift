/// Everything that can go wrong turning an observed clip into a video file.
///
/// Each case carries a complete one-line message naming the value and what is accepted, so
/// the command line prints it as is.
public enum RenderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A user-supplied value (size, style, extension, grid) is not accepted.
    case invalidArgument(String)
    /// An input (observed clip, intended clip or video, audio source) cannot be used.
    case badInput(String)
    /// The encoder or muxer failed, or the output could not be written.
    case encodeFailed(String)
    /// The render was stopped (Ctrl-C); nothing was written.
    case interrupted

    public var description: String {
        switch self {
        case .invalidArgument(let m), .badInput(let m), .encodeFailed(let m): return m
        case .interrupted: return "render interrupted; no output was written"
        }
    }
}
