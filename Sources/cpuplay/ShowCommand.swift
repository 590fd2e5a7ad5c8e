import CPUPlayClip
import CPUPlayCore
import CPUPlaySystem
import CPUPlayTerminal
import ArgumentParser
import Foundation

/// `cpuplay show INPUT`: a real-time preview in the terminal of what the CPUs will draw.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Preview an input in the terminal as shaded tiles, at real time.",
        discussion: """
        Each grid cell is a tile that darkens with the load its CPU will carry (idle = white, \
        fully busy = black; with NO_COLOR, more ink = busier). Frames are shown at absolute \
        deadlines; a frame more than one period late is skipped and counted as dropped. \
        Press q to stop (exit 0); Ctrl-C, SIGTERM, SIGHUP or SIGPIPE stop within 100 ms \
        and exit with 130, 143, 129 or 141; the terminal is restored either way. \
        When standard output is not a terminal, every frame is printed as plain text \
        (shading characters, one block per frame, no pacing), for pipes and logs.
        """
    )

    @OptionGroup var source: InputArgument
    @OptionGroup var conversion: ConversionOptionGroup
    @OptionGroup var global: GlobalOptions

    @Flag(help: "Repeat the clip until q or Ctrl-C.")
    var loop = false

    func run() throws {
        let options = try conversion.conversionOptions()
        let clip = try ClipLoading.load(try source.resolved(), options: options, label: "decode")
        var preview = ClipPreview(clip: clip, input: source.input, loop: loop)
        preview.names = OptionSubjects.names
        // TERM=dumb: a terminal that cannot move the cursor or colour gets the plain frames.
        if TerminalIO.isTTY(1) && ProcessInfo.processInfo.environment["TERM"] != "dumb" {
            // A stop signal ends the loop; the summary is printed and `main` exits 128 + signal.
            let summary = StopSignals.honouring { preview.play() }
            TerminalIO.write(summary + "\n", to: 2)
        } else {
            try preview.printFrames { try StandardOutput.write($0) }
        }
    }
}
