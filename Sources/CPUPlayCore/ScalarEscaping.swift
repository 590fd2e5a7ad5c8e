/// Text with some of its Unicode scalars written another way: the one loop behind every
/// escaping writer (values in error lines, JSON trace strings, YAML and PromQL strings, HTML
/// and SVG text). Each writer keeps only its rule for which scalar becomes what.
public enum ScalarEscaping {
    /// `text` with each scalar for which `replacement` returns a string written as that
    /// string, every other scalar as it is.
    public static func escaped(_ text: some StringProtocol,
                               _ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let written = replacement(scalar) { out += written } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
