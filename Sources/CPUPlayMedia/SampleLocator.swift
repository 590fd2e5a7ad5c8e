import CPUPlayCore
import CPUPlaySystem

/// Finds the bundled sample video, so that `cpuplay play` works with no argument when run
/// from a checkout, an installed copy beside the repository, or anywhere with $CPUPLAY_SAMPLE.
public enum SampleLocator {
    /// The sample's path inside the repository.
    public static let relativePath = "Media/sample.mp4"
    public static let environmentVariable = "CPUPLAY_SAMPLE"

    /// The places searched, in order: $CPUPLAY_SAMPLE, ./Media/sample.mp4, then Media/sample.mp4
    /// in each folder above the executable.
    public static func candidates() -> [String] {
        var out: [String] = []
        if let env = ProcessFacts.environment(environmentVariable), !env.isEmpty { out.append(env) }
        out.append(relativePath)
        if var dir = ProcessFacts.executablePath, !dir.isEmpty {
            while let slash = dir.lastIndex(of: "/"), !dir.isEmpty {
                dir = String(dir[..<slash])
                out.append((dir.isEmpty ? "" : dir) + "/" + relativePath)
                if dir.isEmpty { break }
            }
        }
        return out
    }

    /// The first existing candidate.
    public static func find() throws(CPUPlayError) -> String {
        if let p = ProcessFacts.environment(environmentVariable), !p.isEmpty {
            guard FilePath.isReadable(p) else {
                throw .unreadableInput("sample \(CPUPlayError.quoted(p)) named by $\(environmentVariable) cannot be read: \(Errno.current.message)")
            }
            return p
        }
        for c in candidates() where FilePath.isReadable(c) { return c }
        throw .unreadableInput("no INPUT given and the bundled sample (\(relativePath)) was not found: run from the repository, set $\(environmentVariable)=/path/to/video, or pass a file or pattern:NAME")
    }
}
