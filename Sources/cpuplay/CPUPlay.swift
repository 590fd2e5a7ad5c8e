import ArgumentParser
import CPUPlaySystem

/// The `cpuplay` command: one subcommand per job, each in its own file.
@main
struct CPUPlay: ParsableCommand {
    /// The release this build is (`cpuplay --version`).
    /// The one place the version is written: Scripts/package-deb.sh reads it from `--version`.
    static let version = "0.4.0"
    /// The container image Scripts/build-image.sh builds (`podman load` names it localhost/cpuplay:VERSION).
    static let imageName = "cpuplay:\(version)"

    static let configuration = CommandConfiguration(
        commandName: "cpuplay",
        abstract: "Play a video on your per-CPU utilisation graphs (htop, btop, Task Manager).",
        discussion: """
        Every logical CPU is one pixel: a thread pinned to it spins for the dark part of \
        each frame and sleeps for the rest. INPUT is any video FFmpeg reads, a .y4m clip, \
        or pattern:NAME (solid:LEVEL, gradient, checker, sine, sweep); with no INPUT the \
        bundled sample is used.

        Every subcommand takes -q/--quiet and -v/--verbose. Shell completions: \
        cpuplay --generate-completion-script bash|zsh|fish; a man page from the same parser: \
        python3 Scripts/make-manpage.py > cpuplay.1.
        """,
        version: version,
        subcommands: [
            PlayCommand.self, ShowCommand.self, WatchCommand.self,
            ConvertCommand.self, InfoCommand.self, CPUsCommand.self,
            CompareCommand.self, AccuracyCommand.self, RenderCommand.self, VMCommand.self, FleetCommand.self,
        ]
    )

    /// Fills a closed stdin/stdout/stderr before anything opens a file (see
    /// `StandardOutput.reserveClosedDescriptors`), then parses, runs, and reports any error as
    /// one line (see `OneLineError`); a stop signal ends it with the signal's status (see
    /// `StopExit`). An argument that is not UTF-8 is refused before parsing (`ArgumentBytes`). SIGXFSZ is ignored, so `ulimit -f` makes a write fail with one line
    /// (`SignalHandling.ignoreFileSizeLimitSignal`).
    static func main() {
        StandardOutput.reserveClosedDescriptors()
        StopSignals.install()
        SignalHandling.ignoreFileSizeLimitSignal()
        var parsed = false
        do {
            if let bad = ArgumentBytes.firstNonUTF8() { throw ArgumentBytes.refusal(position: bad.position, shown: bad.shown) }
            var command = try parseAsRoot()
            parsed = true
            try command.run()
        } catch {
            StopExit.ifStopped(after: error)
            OneLineError.exit(error, command: self, parsing: !parsed)
        }
        StopExit.ifStopped(after: nil)
    }
}
