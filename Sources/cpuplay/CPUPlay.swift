import ArgumentParser
import CPUPlayHost

/// The `cpuplay` command: one subcommand per job, each in its own file.
@main
struct CPUPlay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cpuplay",
        abstract: "Play a video on your per-CPU utilisation graphs (htop, btop, Task Manager).",
        discussion: """
        Every logical CPU is one pixel: a thread pinned to it spins for the dark part of \
        each frame and sleeps for the rest. INPUT is any video FFmpeg reads, a .y4m clip, \
        or pattern:NAME (solid:LEVEL, gradient, checker, sine, sweep); with no INPUT the \
        bundled sample is used.
        """,
        subcommands: [
            PlayCommand.self, ShowCommand.self, WatchCommand.self,
            ConvertCommand.self, InfoCommand.self, CPUsCommand.self,
            CompareCommand.self, AccuracyCommand.self, VMCommand.self,
        ]
    )

    /// Fills a closed stdin/stdout/stderr before anything opens a file (see
    /// `StandardOutput.reserveClosedDescriptors`), then parses and runs.
    static func main() {
        StandardOutput.reserveClosedDescriptors()
        main(Array(CommandLine.arguments.dropFirst()))
    }
}
