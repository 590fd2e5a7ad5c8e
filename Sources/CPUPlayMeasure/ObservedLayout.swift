import CPUPlayHost
import CPUPlayEngine
import CPUPlayMedia

/// The layout a viewer draws: the same layouts as `play`, over the CPUs it observes.
///
/// A viewer pins nothing, so it may show any online CPU (not only the allowed ones), and a
/// rows grid larger than the CPU count simply shows CPUs more than once.
public enum ObservedLayout {
    public static func make(layout: String, grid: String, cpus: String?) throws -> Layout {
        let kind = try LayoutKind(parsing: layout)
        let request = try GridRequest(parsing: grid)
        let allowed = try AllowedCPUs.current()
        let ids: [Int]
        if let cpus {
            ids = try CPUList.parse(cpus)
            let online = Set(allowed.online)
            let missing = ids.filter { !online.contains($0) }
            guard missing.isEmpty, !ids.isEmpty else {
                throw CPUPlayError.invalidArgument("--cpus '\(cpus)': CPU \(CPUList.format(missing)) is not online; online CPUs are \(CPUList.format(allowed.online))")
            }
        } else {
            ids = allowed.online
        }
        return try Layout.make(kind, cpus: ids, grid: request, overcommit: true)
    }
}
