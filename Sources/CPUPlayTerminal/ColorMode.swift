/// How many colours the terminal can show, which decides how tiles are shaded.
///
/// Detected from the environment the way other terminal tools do, so that a 256-colour
/// terminal still gets a readable picture and NO_COLOR (https://no-color.org) is honoured.
public enum ColorMode: String, Sendable, CaseIterable {
    /// 24-bit colour escapes (`ESC[48;2;R;G;Bm`).
    case truecolor
    /// The xterm 256-colour palette's grey ramp.
    case palette256
    /// No escapes at all: shading characters (` ░▒▓█`).
    case plain

    /// NO_COLOR (any value) -> plain; COLORTERM truecolor/24bit -> truecolor; TERM unset,
    /// `dumb`, `linux` or `vt*` -> plain; any other TERM -> 256 colours.
    public static func detect(environment: [String: String]? = nil) -> ColorMode {
        func env(_ k: String) -> String? { environment.map { $0[k] } ?? TerminalIO.environment(k) }
        if let nc = env("NO_COLOR"), !nc.isEmpty { return .plain }
        let colorterm = (env("COLORTERM") ?? "").lowercased()
        let term = (env("TERM") ?? "").lowercased()
        if term == "dumb" { return .plain }
        if colorterm.contains("truecolor") || colorterm.contains("24bit") { return .truecolor }
        if term.isEmpty || term == "linux" || term.hasPrefix("vt") { return .plain }
        return .palette256
    }
}
