import CPUPlayCore
/// A command's outputs, checked together with its inputs before the command starts.
///
/// Each command names its outputs by option (`--record`, `--trace`, `--report`, `-o`) and its
/// inputs (the clip, a layout file, a preset); this checks every output (`OutputTarget`) and
/// refuses any two that are one file, so no work starts that could end by overwriting an
/// input or failing to write a report.
public struct OutputCheck: Sendable {
    private let targets: [String: OutputTarget]

    /// Checks each given output (nil paths are options not given) against the others and
    /// against `inputs` (nil paths ignored).
    public init(outputs: [(option: String, path: String?)], inputs: [(option: String, path: String?)] = []) throws(CPUPlayError) {
        var checked = [OutputTarget]()
        for (option, path) in outputs {
            guard let path else { continue }
            checked.append(try OutputTarget(path, option: option))
        }
        try OutputTarget.checkDistinct(checked, inputs: inputs.compactMap { i in i.path.map { (i.option, $0) } })
        targets = Dictionary(checked.map { ($0.option, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The checked target of `option`, nil when it was not given.
    public subscript(_ option: String) -> OutputTarget? { targets[option] }
}
