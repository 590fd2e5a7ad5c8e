import CPUPlayCore
import CPUPlayFleet
import CPUPlayTerminal
import ArgumentParser
import Foundation

/// `watch --prometheus URL [--fleet-layout FILE]`: the fleet's heat map from Prometheus.
struct PrometheusWatchOptions: ParsableArguments {
    @Option("--prometheus",
            help: ArgumentHelp("Draw the whole fleet from this Prometheus server's node_exporter series instead of "
                + "local /proc/stat.", valueName: "URL"))
    var prometheus: String?

    @Option("--fleet-layout",
            help: ArgumentHelp("Where each instance's CPUs go (written by `fleet plan`); default: one "
                + "row per instance.", valueName: "FILE"))
    var fleetLayout: String?

    @Option("--window", help: ArgumentHelp("""
        Rate window of the busy fraction, in Prometheus' syntax (at least four scrapes).
        """, valueName: "RANGE"))
    var window = "5s"

    /// The fleet watch these options ask for, or nil for a local watch.
    func watch(pace: WatchPace, numbers: Bool) throws -> FleetWatch? {
        guard let prometheus else {
            if fleetLayout != nil {
                throw CPUPlayError.invalidArgument("--fleet-layout places a fleet's CPUs: give --prometheus URL too")
            }
            return nil
        }
        guard window.range(of: #"^[0-9]+(ms|s|m|h)$"#, options: .regularExpression) != nil else {
            throw CPUPlayError.invalidArgument("--window \(CPUPlayError.quoted(window)): expected a Prometheus range "
                + "such as 5s, 30s or 1m")
        }
        let layout = try fleetLayout.map { path throws(FleetError) in try FleetLayout(contentsOf: path) }
        var watch = FleetWatch(client: try PrometheusClient(url: prometheus), layout: layout, pace: pace,
                               window: window, numbers: numbers)
        watch.names = OptionSubjects.names
        return watch
    }
}
