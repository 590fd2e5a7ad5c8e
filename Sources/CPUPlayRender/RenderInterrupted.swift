/// Thrown by `Renderer.render` when its stop request turned true (Ctrl-C, SIGTERM): the
/// partial file is already removed, and the caller exits with the signal's status.
public struct RenderInterrupted: Error, Equatable, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "render interrupted; no output was written" }
}
