import CPUPlayEngine
import CPUPlayLoad
import CPUPlaySystem
import CPUPlayTerminal
import ArgumentParser
import Foundation

/// `cpuplay watch`: a live heat map of per-CPU load, read from /proc/stat like htop.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Show per-CPU load as a live heat map (one tile per CPU), like Task Manager.",
        discussion: """
        Reads /proc/stat (the source htop, btop and top read) and shades one tile per CPU: \
        white idle, black fully busy. Tiles are placed by the same layouts `play` uses, so \
        `watch --layout htop` shows the picture as htop's meters would. The tiles scale to the \
        terminal and redraw in place; resizing redraws at once. q quits (exit 0); Ctrl-C, \
        SIGTERM, SIGHUP or SIGPIPE stop within 100 ms, restore the terminal and exit with \
        130, 143, 129 or 141.

        --sync samples on every frame tick of a running `cpuplay play` instead of on a timer, \
        so each sample covers exactly one frame (in phase, like pressing F5 after every frame).

        Examples:
          cpuplay watch
          cpuplay watch --layout htop --interval 1
          cpuplay watch --numbers --count 5          (percentages, five samples, then exit)
          cpuplay watch --sync --record observed.y4m (record what a playback looked like)
          cpuplay watch --prometheus http://localhost:9090 --fleet-layout fleet/fleet-layout.json
        """
    )

    @OptionGroup var placement: LayoutOptions
    @OptionGroup var cpuOption: CPUOption
    @OptionGroup var global: GlobalOptions
    @OptionGroup var replacing: OverwriteOption

    @Option("--interval",
            help: ArgumentHelp("Time between samples: 0.5, 500ms, 2s (0.01 s to 1 h).", valueName: "duration"))
    var interval = TimeSpan(seconds: 0.5)

    @Flag(help: "Sample on each frame tick of a running `cpuplay play` (in phase) instead of --interval.")
    var sync = false

    @Option("--record", help: "Write what was observed to this clip (.y4m), one frame per sample.")
    var record: String?

    @Flag(help: "Print each CPU's load as a number (percent) instead of shaded tiles.")
    var numbers = false

    @Option("--count", help: "Stop after this many samples (0: run until q or Ctrl-C).")
    var count = Count(0)

    @OptionGroup(title: "A fleet through Prometheus") var fleet: PrometheusWatchOptions

    @OptionGroup var procStatOption: ProcStatOption
    var procStat: String { procStatOption.procStat }

    func validate() throws {
        try interval.check("--interval", in: 0.01...3600)
    }

    @Option("--frame-socket",
            help: ArgumentHelp("With --sync: the frame socket `play` sends ticks to (default: play's default).",
                               valueName: "PATH"))
    var frameSocket: String?

    func run() throws {
        let pace = WatchPace(interval: interval.seconds, count: count.value)
        if let watch = try fleet.watch(pace: pace, numbers: numbers) {
            try StopSignals.honouring { try watch.run() }
            return
        }
        let layout = try Layout.make(placement.layout, cpus: cpuOption.shown(AllowedCPUs.current()),
                                     grid: placement.grid, overcommit: true)
        let outputs = try OutputCheck(outputs: [("--record", record)],
                inputs: [("--layout", placement.layout.filePath), ("--proc-stat", procStat)],
                    overwrite: replacing.overwrite)
        var watch = LiveWatch(
            layout: layout, layoutName: placement.layout.description, pace: pace, sync: sync,
                frameSocket: frameSocket,
            record: outputs["--record"], numbers: numbers, procStat: procStat)
        watch.names = OptionSubjects.names
        try StopSignals.honouring { try watch.run() }
    }
}
