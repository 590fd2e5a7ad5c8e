import CPUPlayHost

/// CPU lists ("0,2,5-7") as the engine reads them from `--cpus`, /sys and cgroups, with
/// errors as `CPUPlayError` so the command line reports them like any other bad argument.
public enum CPUList {
    /// The highest CPU id accepted in a list (Linux's largest NR_CPUS is 8192).
    public static let maxID = CPUListSyntax.maxID

    /// Parses "0,2,5-7" into ascending, de-duplicated ids; an empty string is an empty list.
    public static func parse(_ text: String) throws(CPUPlayError) -> [Int] {
        do {
            return try CPUListSyntax.parse(text, what: "CPU list")
        } catch {
            throw .invalidArgument(error.description)
        }
    }

    /// Formats ids compactly ("0,2,5-7").
    public static func format<S: Sequence>(_ ids: S) -> String where S.Element == Int {
        CPUListSyntax.format(ids)
    }
}
