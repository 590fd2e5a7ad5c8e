/// Everything `cpuplay vm` refuses, as one value per reason.
///
/// Each description is one line that names the offending value, the rule it broke and what to
/// do instead, because ArgumentParser prints a thrown error as `Error: <description>` and a person
/// should be able to act on that single line.
public struct VMError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: String, Sendable {
        case vcpus, machine, topology, windowsSockets, numa, hostCPUs, name, option, preset, tool, validation, io
    }
    public var kind: Kind
    public var message: String
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        // One line, whatever the caller built.
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
    public var description: String { message }
}
