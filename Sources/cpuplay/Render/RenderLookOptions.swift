import ArgumentParser
import CPUPlayRender

/// How a rendered video looks: the viewer's style and the picture size. Shared by
/// `cpuplay render` and `play --export`, so both spell and check them alike.
struct RenderLookOptions: ParsableArguments {
    @Option("--style", help: ArgumentHelp("""
        How the CPUs are drawn: tiles (Task Manager's logical processors), meters (htop's CPU bars with \
        percentages) or heatmap (cpuplay's own view).
        """, valueName: "tiles|meters|heatmap"))
    var style = "tiles"

    @Option("--size", help: ArgumentHelp("""
        Video size in pixels, even sides, at most 7680x4320. Too small for the grid is refused with the minimum.
        """, valueName: "WxH"))
    var size = "1280x720"

    func validate() throws {
        _ = try RenderStyle(parsing: style)
        _ = try VideoSize(parsing: size)
    }

    func parsedStyle() throws -> RenderStyle { try RenderStyle(parsing: style) }
    func parsedSize() throws -> VideoSize { try VideoSize(parsing: size) }
}
