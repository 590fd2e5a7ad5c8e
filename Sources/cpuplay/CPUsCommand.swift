import CPUPlayCore
import CPUPlayEngine
import CPUPlaySystem
import ArgumentParser

/// `cpuplay cpus`: which CPUs `play` would draw on, why, and on which grid.
struct CPUsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cpus",
        abstract: "Show the CPUs this process may use (affinity, cgroup cpuset, online) and the grid play would choose.",
        discussion: """
        A pixel can only be drawn on a CPU that is online, in this process's affinity mask \
        (taskset, a container) and in its cgroup's cpuset. The grid shown is what `play` \
        picks with the same --grid and --layout (auto: for a 16:9 picture, or --aspect), with \
        the layout's CPU map.
        """
    )

    @OptionGroup var cpuOption: CPUOption
    @OptionGroup var placement: LayoutOptions
    @OptionGroup var global: GlobalOptions

    @Option("--aspect", help: ArgumentHelp("Picture aspect ratio W:H or a number, for --grid auto.", valueName: "W:H"))
    var aspect = "16:9"

    func run() throws {
        let allowed = try AllowedCPUs.current()
        let drawing = try cpuOption.drawing(allowed)
        let ratio = try Self.parseAspect(aspect)
        let map = try Layout.make(placement.layout, cpus: drawing, displayed: allowed.online, grid: placement.grid, aspect: ratio, overcommit: true)
        try StandardOutput.line("affinity      \(allowed.affinity)  (\(allowed.affinity.count))")
        try StandardOutput.line("online        \(allowed.online)  (\(allowed.online.count))")
        if let cg = allowed.cgroupCpuset {
            try StandardOutput.line("cgroup cpuset \(cg)  (\(allowed.cgroupPath ?? "?"))")
        } else {
            try StandardOutput.line("cgroup cpuset none found")
        }
        try StandardOutput.line("usable        \(allowed.usable)  (\(allowed.usable.count))")
        if cpuOption.cpus != nil { try StandardOutput.line("--cpus        \(drawing)  (\(drawing.count))") }
        try StandardOutput.line("grid          \(map.grid) (\(map.pixels.count) pixel threads), layout \(map.name):")
        for line in map.description.split(separator: "\n", omittingEmptySubsequences: false) { try StandardOutput.line("  " + line) }
        if let advice = GridAdvice(grid: map.grid, hostCPUs: allowed.usable.count).line {
            try StandardOutput.line("advice        " + advice)
        }
    }

    static func parseAspect(_ text: String) throws(CPUPlayError) -> Double {
        let parts = text.split(separator: ":")
        let value: Double?
        if parts.count == 2, let w = Double(parts[0]), let h = Double(parts[1]), h > 0 { value = w / h } else { value = Double(text) }
        guard let v = value, v.isFinite, v > 0 else {
            throw .invalidArgument("--aspect \(CPUPlayError.quoted(text)): expected W:H like 16:9 or a number like 1.78")
        }
        return v
    }
}
