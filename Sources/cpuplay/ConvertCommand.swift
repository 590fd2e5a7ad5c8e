import CPUPlayHost
import ArgumentParser
import Glibc
import CPUPlayMedia
import CPUPlayTerminal
import Glibc

/// `cpuplay convert INPUT -o OUT.y4m`: decode once, play many times.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a video, clip or pattern to a grid clip (.y4m, one byte per cell).",
        discussion: """
        The clip is YUV4MPEG2 with 'C mono': one frame per output frame, one byte per cell, \
        0 = idle CPU, 255 = fully busy. ffmpeg, ffplay and mpv read it. The output is written \
        to a temporary name beside OUT and renamed when complete, so a failed or interrupted \
        conversion leaves no partial file. An existing OUT is replaced only with -y. A progress bar is drawn on stderr when it is a terminal.
        """
    )

    @OptionGroup var source: InputArgument

    @Option(name: [.short, .long], help: ArgumentHelp("The clip to write (.y4m).", valueName: "out.y4m"))
    var output: String

    @Flag(name: [.customShort("y"), .customLong("overwrite")], help: "Replace OUT.y4m if it exists (as ffmpeg -y); without it an existing file is refused.")
    var overwrite = false

    @OptionGroup var conversion: ConversionOptionGroup
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        // `-`, a device or a FIFO takes the clip as it is; a file is named for what it holds.
        var st = stat()
        let inPlace = output == "-" || (stat(output, &st) == 0 && [S_IFCHR, S_IFIFO].contains(st.st_mode & S_IFMT))
        guard inPlace || (output.lowercased().hasSuffix(".y4m") && !output.hasSuffix("/")) else {
            throw CPUPlayError.invalidArgument("output '\(output)': expected a file name ending in .y4m")
        }
        if !overwrite, stat(output, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
            throw CPUPlayError(.outputConflict, subject: "--output", value: output, "output '\(output)' exists; pass -y to replace it, or choose another name")
        }
    }

    func run() throws {
        let outputs = try OutputCheck(outputs: [("-o", output)], inputs: [("input", source.inputPath)])
        let options = try conversion.conversionOptions()
        // A stop signal during the write removes the temporary file (StopSignals calls
        // OutputRegistry.removeUnfinished on its way out).
        let clip = try ClipLoading.load(try source.resolved(), options: options, label: "convert", keepBar: true)
        try Y4MWriter.write(clip, to: outputs["-o"]!)
        if TerminalIO.isTTY(2) {
            TerminalIO.write("wrote \(output): \(clip.frameCount) frames of \(clip.grid) at \(clip.frameRate) fps (\(ProgressBar.clock(clip.durationSeconds)))\n", to: 2)
        }
    }
}
