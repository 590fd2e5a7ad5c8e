import CPUPlayClip
import CPUPlayCore

/// How the user asked for the grid: `auto` fits the CPU count to the clip's aspect ratio.
public enum GridRequest: Sendable, Equatable {
    case auto
    case exact(GridSize)

    /// Parses `auto` or `WxH`.
    public init(parsing text: String) throws(CPUPlayError) {
        if text.lowercased() == "auto" { self = .auto; return }
        do { self = .exact(try GridSize(parsing: text)) } catch { throw .invalidArgument(error.description) }
    }
}
