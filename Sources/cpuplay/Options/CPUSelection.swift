import CPUPlayHost
import ArgumentParser
import CPUPlayEngine

/// CPU ids as typed with `--cpus` ("0,2,5-7"), checked for syntax when parsed. Whether they
/// are online and allowed is asked of the system when the command runs.
struct CPUSelection: CommandLineValue, Equatable, CustomStringConvertible {
    let text: String
    let ids: [Int]

    init(commandLine text: String) throws(ArgumentRejection) {
        do { ids = try CPUSet(parsing: text).ids } catch { throw ArgumentRejection(error, value: text) }
        guard !ids.isEmpty else { throw ArgumentRejection("names no CPU; expected ids or ranges like 0,2,5-7") }
        self.text = text
    }

    var description: String { text }
}
