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
    /// against `inputs` (nil paths ignored). An existing file is replaced only when
    /// `overwrite` (the command's `-y/--overwrite`).
    public init(outputs: [(option: String, path: String?)], inputs: [(option: String, path: String?)] = [],
                overwrite: Bool = false) throws(CPUPlayError) {
        let given = inputs.compactMap { i in i.path.map { (option: i.option, path: $0) } }
        for (option, path) in outputs {
            if let path { try OutputTarget.checkNotInput(path, option: option, inputs: given) }
        }
        var checked = [OutputTarget]()
        for (option, path) in outputs {
            guard let path else { continue }
            checked.append(try OutputTarget(path, option: SettingText(verbatim: option), overwrite: overwrite))
        }
        try OutputTarget.checkDistinct(checked, inputs: given)
        if checked.contains(where: { $0.destination == .standardOutput }) { StandardOutput.reserveForDocument() }
        targets = Dictionary(checked.map { ($0.option.rendered(), $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The checked target of `option`, nil when it was not given.
    public subscript(_ option: String) -> OutputTarget? { targets[option] }
}
