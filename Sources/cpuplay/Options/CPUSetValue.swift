import ArgumentParser
import CPUPlayCore

/// `--cpus` and `--host-cpus` take a CPU set as Linux writes it ("0,2,5-7"), checked for
/// syntax when parsed and naming at least one CPU. Whether the CPUs are online and allowed is
/// asked of the system when the command runs (`AllowedCPUs`).
extension CPUSet: CommandLineValue {
    public init(commandLine text: String) throws(ArgumentRejection) {
        do { self = try CPUSet(parsing: text) } catch { throw ArgumentRejection(error, value: text) }
        guard !isEmpty else { throw ArgumentRejection("names no CPU; expected ids or ranges like 0,2,5-7") }
    }
}
