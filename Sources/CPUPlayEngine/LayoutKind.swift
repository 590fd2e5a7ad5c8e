import CPUPlayCore
/// The layouts a user can name with `--layout`.
public enum LayoutKind: Sendable, Equatable, CustomStringConvertible {
    /// Row-major over the CPUs in id order: Task Manager's tile order on one NUMA node.
    case rows
    /// htop's default CPU meters for the CPU count (see `Layout.htop`).
    case htop
    /// btop's CPU box, column-major; `boxHeight` is the CPU box's height in lines.
    case btop(boxHeight: Int)
    /// An explicit map from a JSON file (see Configs/layouts/).
    case file(String)

    /// btop's CPU box height assumed when none is given (lines, borders included).
    public static let defaultBtopBoxHeight = 16

    /// Parses `rows`, `htop`, `btop`, `btop:HEIGHT`, `file:PATH`.
    public init(parsing text: String) throws(CPUPlayError) {
        let lower = text.lowercased()
        if lower == "rows" { self = .rows; return }
        if lower == "htop" { self = .htop; return }
        if lower == "btop" { self = .btop(boxHeight: Self.defaultBtopBoxHeight); return }
        if lower.hasPrefix("btop:") {
            guard let h = Int(text.dropFirst(5)), h >= 7, h <= 10_000 else {
                throw .invalidArgument("layout \(CPUPlayError.quoted(text)): btop:HEIGHT needs the CPU box height in "
                    + "lines, at least 7")
            }
            self = .btop(boxHeight: h); return
        }
        if lower.hasPrefix("file:") {
            let path = String(text.dropFirst(5))
            guard !path.isEmpty else {
                throw .invalidArgument("layout \(CPUPlayError.quoted(text)): file: needs a path, like "
                    + "file:Configs/layouts/2x1.json")
            }
            self = .file(path); return
        }
        throw .invalidArgument("layout \(CPUPlayError.quoted(text)): expected rows, htop, btop, "
            + "btop:HEIGHT or file:PATH")
    }

    /// The layout file a `file:PATH` layout reads (an input no output may overwrite).
    public var filePath: String? {
        if case .file(let p) = self { return p }
        return nil
    }

    public var description: String {
        switch self {
        case .rows: return "rows"
        case .htop: return "htop"
        case .btop(let h): return h == Self.defaultBtopBoxHeight ? "btop" : "btop:\(h)"
        case .file(let p): return "file:\(p)"
        }
    }
}
