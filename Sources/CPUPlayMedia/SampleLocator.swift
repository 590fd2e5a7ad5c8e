import CPUPlayHost
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        if let env = getenv(environmentVariable), env.pointee != 0 { out.append(String(cString: env)) }
        out.append(relativePath)
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        if n > 0 {
            var dir = String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
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
        if let env = getenv(environmentVariable), env.pointee != 0 {
            let p = String(cString: env)
            guard FilePath.isReadable(p) else {
                throw .unreadableInput("sample \(CPUPlayError.quoted(p)) named by $\(environmentVariable) cannot be read: \(String(cString: strerror(errno)))")
            }
            return p
        }
        for c in candidates() where FilePath.isReadable(c) { return c }
        throw .unreadableInput("no INPUT given and the bundled sample (\(relativePath)) was not found: run from the repository, set $\(environmentVariable)=/path/to/video, or pass a file or pattern:NAME")
    }
}
