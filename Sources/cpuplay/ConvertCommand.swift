import CPUPlayHost
import ArgumentParser
import CPUPlayMedia
import CPUPlayTerminal

/// `cpuplay convert INPUT -o OUT.y4m`: decode once, play many times.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a video, clip or pattern to a grid clip (.y4m, one byte per cell).",
        discussion: """
        The clip is YUV4MPEG2 with 'C mono': one frame per output frame, one byte per cell, \
        0 = idle CPU, 255 = fully busy. ffmpeg, ffplay and mpv read it. The output is written \
        to a temporary name beside OUT and renamed when complete, so a failed or interrupted \
        conversion leaves no partial file. A progress bar is drawn on stderr when it is a terminal.
        """
    )

    @OptionGroup var source: InputArgument

    @Option(name: [.short, .long], help: ArgumentHelp("The clip to write (.y4m).", valueName: "out.y4m"))
    var output: String

    @OptionGroup var conversion: ConversionOptionGroup

    func validate() throws {
        guard output.lowercased().hasSuffix(".y4m"), !output.hasSuffix("/") else {
            throw CPUPlayError.invalidArgument("output '\(output)': expected a file name ending in .y4m")
        }
    }

    func run() throws {
        let options = try conversion.conversionOptions()
        // Ctrl-C at any point ends the run; while the clip is being written it also removes
        // the temporary file, so an interrupted conversion leaves nothing behind.
        let cleanup = OutputCleanup()
        defer { cleanup.done() }
        let clip = try ClipLoading.load(source.input, options: options, label: "convert", keepBar: true)
        try Y4MWriter.write(clip, to: output) { writer in cleanup.watch(writer.temporaryPath) }
        if TerminalIO.isTTY(2) {
            TerminalIO.write("wrote \(output): \(clip.frameCount) frames of \(clip.grid) at \(clip.frameRate) fps (\(ProgressBar.clock(clip.durationSeconds)))\n", to: 2)
        }
    }
}
