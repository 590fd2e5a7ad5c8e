import CPUPlayCore
import CPUPlayEngine
import CPUPlayFleet
import CPUPlayLoad
import CPUPlayRender

/// The option each library value is typed as. A library does not know the command line, so
/// its refusal of a value names the value by what it is, as the error's subject and the start
/// of its message ("start time 'tomorrow': expected ..."); the command line says it with the
/// option instead ("--start-at 'tomorrow': expected ...").
enum OptionSubjects {
    static let options: [String: String] = [
        StartTime.subject: "--start-at", GridRegion.subject: "--region", FleetSplit.subject: "--parts",
        AllowedCPUs.subject: "--cpus", ViewerSyncRequest.subject: "--sync", PrometheusClient.subject: "--prometheus",
        FleetPlan.Subject.nodes: "--nodes", FleetPlan.Subject.cpusPerNode: "--cpus-per-node",
        FleetPlan.Subject.startLead: "--start-lead", FleetPlan.Subject.image: "--image",
        FleetPlan.Subject.instances: "--instances", RenderStyle.subject: "--style",
    ]

    /// `error` as the command line says it, or nil when it names no value an option gives.
    static func named(_ error: CPUPlayError) -> CPUPlayError? {
        guard error.kind == .invalidArgument, let subject = error.subject, let option = options[subject] else {
            return nil
        }
        guard error.message.hasPrefix(subject + " ") else {
            return CPUPlayError(error.kind, subject: option, value: error.value, error.message)
        }
        return CPUPlayError(error.kind, subject: option, value: error.value, option + error.message.dropFirst(subject.count))
    }
}
