import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayMedia
import CPUPlayRender
import CPUPlaySystem
import ArgumentParser
import Foundation

/// `--export OUT` with its look (`--style`, `--size`): render a run when it ends, from its
/// recording, beside the clip that was played, with the input's sound cut to what was played.
/// Shared by `play` and `vm play` (which renders the guest's observed frames).
struct ExportOptions: ParsableArguments {
    @Option("--export", help: ArgumentHelp("""
        When the run ends, render what the graph showed (as recorded from /proc/stat) beside the input, with the \
        input's sound cut to what was played: .mp4, .mkv or .webm.
        """, valueName: "OUT.mp4"))
    var export: String?

    @OptionGroup var look: RenderLookOptions

    func validate() throws {
        if let export { _ = try ContainerFormat(path: export) }
    }

    /// Where a run that exports without --record keeps its recording: a `ScratchDirectory`,
    /// removed after the render, and by a signal at any point. The recording is `recording(in:)`.
    static func scratchForRecording() throws(CPUPlayError) -> ScratchDirectory {
        try ScratchDirectory(prefix: "cpuplay-export")
    }

    /// The recording's path in `scratch`.
    static func recording(in scratch: ScratchDirectory) -> String { scratch.file("recording.y4m") }
}
