import CPUPlayCore
import CPUPlaySystem
import Foundation

/// Where `vm play` finds a Linux kernel for its throwaway guest.
///
/// Any x86-64 kernel with the 8250 serial driver built in works; Debian's linux-image-amd64 is the
/// one `Scripts/install-deps.sh` fetches (`apt-get download` + `dpkg-deb -x`, nothing installed)
/// into the cache directory. Looked for in order: `--kernel PATH`, `$CPUPLAY_GUEST_KERNEL`, then
/// `<cache>/vmlinuz`. The host's own /boot kernel is not guessed at: it may lack the serial driver
/// built in, and a run should not depend on which kernel the host happens to boot.
public enum GuestKernel {
    /// `$CPUPLAY_GUEST_CACHE`, else `$XDG_CACHE_HOME/cpuplay/guest`, else `~/.cache/cpuplay/guest`.
    public static func cacheDirectory() -> URL {
        let env = ProcessInfo.processInfo.environment
        if let dir = env["CPUPLAY_GUEST_CACHE"], !dir.isEmpty { return URL(fileURLWithPath: dir) }
        if let xdg = env["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("cpuplay/guest")
        }
        return URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".cache/cpuplay/guest")
    }

    /// The kernel to boot, or an error naming every place looked at and what to run.
    public static func locate(explicit: String?) throws(CPUPlayError) -> String {
        if let explicit {
            guard FilePath.isReadable(explicit), !isDirectory(explicit) else {
                throw CPUPlayError(.unreadableInput, setting: .kernel, value: explicit,
                        "\(Setting.kernel) \(CPUPlayError.quoted(explicit)): no readable kernel image there; give the "
                            + "path of a vmlinuz, or run bash Scripts/install-deps.sh to fetch Debian's")
            }
            return URL(fileURLWithPath: explicit).standardizedFileURL.path
        }
        var looked: [String] = []
        if let env = ProcessInfo.processInfo.environment["CPUPLAY_GUEST_KERNEL"], !env.isEmpty {
            if FilePath.isReadable(env) { return env }
            looked.append("$CPUPLAY_GUEST_KERNEL=\(env)")
        }
        let cached = cacheDirectory().appendingPathComponent("vmlinuz").path
        if FilePath.isReadable(cached) { return cached }
        looked.append(cached)
        throw CPUPlayError(.unreadableInput, setting: .kernel,
                "no guest kernel found (looked at \(looked.joined(separator: ", "))); run bash "
                    + "Scripts/install-deps.sh, which fetches Debian's linux-image-amd64 kernel into "
                    + "\(cacheDirectory().path), or pass \(Setting.kernel) PATH")
    }

    static func isDirectory(_ path: String) -> Bool {
        FilePath.kind(path) == .directory
    }
}
