import ArgumentParser
import CPUPlayEngine

/// `--layout` and `--grid`: where each grid cell sits among the CPUs, declared once for
/// `play`, `watch` and `cpus` so the three place cells the same way.
struct LayoutOptions: ParsableArguments {
    @Option("--layout", help: ArgumentHelp(
        "How cells map to CPUs: rows (Task Manager tile order), htop (htop's default CPU meters), btop or btop:HEIGHT (btop's CPU box of HEIGHT lines), file:PATH (a JSON map, see Configs/layouts/).",
        valueName: "layout"))
    var layout: LayoutKind = .rows

    @Option("--grid", help: ArgumentHelp(
        "Grid WxH, or auto: the CPU count arranged closest to the picture's aspect ratio. Only the rows layout takes an explicit grid; play needs --overcommit for more cells than CPUs, watch repeats CPUs.",
        valueName: "auto|WxH"))
    var grid: GridRequest = .auto
}
