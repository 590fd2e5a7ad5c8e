/// This process's memory as the kernel counts it (/proc/self/status), for reports.
public enum ProcessMemory {
    /// Peak resident set size (VmHWM) in KiB, nil where /proc is not mounted.
    public static func peakResidentKiB(status path: String = "/proc/self/status") -> Int? {
        guard let text = try? SystemFile.readText(path) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst(6).split(whereSeparator: \.isWhitespace).first ?? "")
        }
        return nil
    }
}
