import CPUPlayCore

/// The command line as the kernel passed it, before Swift turns it into `String`s.
///
/// `CommandLine.arguments` repairs bytes that are not UTF-8 into U+FFFD, so a file name with
/// such bytes would become another name (and reach a generated file or `open` as that other
/// name). cpuplay refuses such an argument up front, in one line that shows its bytes.
public enum ArgumentBytes {
    /// The first argument (1-based, after the program name) that is not UTF-8, with its bytes
    /// shown as text and `\xNN` escapes.
    public static func firstNonUTF8(
        _ argv: [UnsafeMutablePointer<CChar>?] = Array(UnsafeBufferPointer(start: CommandLine.unsafeArgv,
                                                                           count: Int(CommandLine.argc)))
    ) -> (position: Int, shown: String)? {
        for (i, p) in argv.enumerated().dropFirst() {
            guard let p, String(validatingCString: p) == nil else { continue }
            return (i, shown(p))
        }
        return nil
    }

    /// Every byte that is not printable ASCII as `\xNN`.
    static func shown(_ p: UnsafePointer<CChar>) -> String {
        var out = ""
        var q = p
        while q.pointee != 0 {
            let b = UInt8(bitPattern: q.pointee)
            if (0x20...0x7E).contains(b)
                && b != UInt8(ascii: "\\") { out.unicodeScalars.append(Unicode.Scalar(b)) } else {
                out += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
            q += 1
        }
        return out
    }

    /// The refusal for `firstNonUTF8`'s answer.
    public static func refusal(position: Int, shown: String) -> CPUPlayError {
        CPUPlayError(.invalidArgument,
                "argument \(position) '\(shown)' is not UTF-8 text; cpuplay takes names and values as UTF-8 only "
                    + "(rename the file, or link it under a UTF-8 name)")
    }
}
