import CPUPlayCore
import CPUPlaySystem

/// Finds the bundled sample video, so that `cpuplay play` works with no argument when run
/// from a checkout, an installed package (/usr/share/cpuplay), or anywhere with $CPUPLAY_SAMPLE.
public enum SampleLocator {
    /// The sample's path inside the repository.
    public static let relativePath = "Media/sample.mp4"
    public static let environmentVariable = "CPUPLAY_SAMPLE"

    /// The installed sample's name in the data folder (`InstalledLayout`).
    public static let installedName = "sample.mp4"

    /// The places searched, in order: $CPUPLAY_SAMPLE, ./Media/sample.mp4, Media/sample.mp4 in
    /// each folder above the executable (the checkout a development build runs from), then the
    /// installed copy's PREFIX/share/cpuplay/sample.mp4.
    public static func candidates(layout: InstalledLayout? = .current()) -> [String] {
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
        if let layout { out.append(layout.dataFile(installedName)) }
        return out
    }

    /// The first existing candidate; an installed copy whose sample is missing names that file.
    public static func find(layout: InstalledLayout? = .current()) throws(CPUPlayError) -> String {
        if let p = ProcessFacts.environment(environmentVariable), !p.isEmpty {
            guard FilePath.isReadable(p) else {
                throw .unreadableInput("sample \(CPUPlayError.quoted(p)) named by $\(environmentVariable) cannot be "
                    + "read: \(Errno.current.message)")
            }
            return p
        }
        for c in candidates(layout: layout) where FilePath.isReadable(c) { return c }
        if let layout, layout.isInstalled {
            throw layout.missing(layout.dataFile(installedName), what: "the bundled sample")
        }
        throw .unreadableInput("no INPUT given and the bundled sample (\(relativePath)) was not found: run from the "
            + "repository, set $\(environmentVariable)=/path/to/video, or pass a file or pattern:NAME")
    }
}
