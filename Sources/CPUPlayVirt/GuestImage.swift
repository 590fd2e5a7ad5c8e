import CPUPlayCore
import CPUPlaySystem
import Foundation

/// The guest's initramfs: a cached, uncompressed archive with the guest player, busybox and the few
/// glibc libraries the player needs, plus a small per-run archive with the clip and arguments.
///
/// Why uncompressed: the guest kernel unpacks a zstd archive at emulated speed under TCG, and the
/// first things that ask for a kernel module wait for it; 60 MB stored as they are are unpacked
/// several times faster than 23 MB of zstd (docs/guests.md, "Where boot time goes").
///
/// Why this shape (measured, see README): the player links the Swift runtime statically and has
/// no FFmpeg, so the cached archive holds 5 files instead of the ~130 libraries a full cpuplay
/// needs (252 MB uncompressed, 6 s of firmware loading at 16 vCPUs). The archive is rebuilt when
/// the player, busybox or the init script change: it is named by their SHA-256.
public struct GuestImage {
    public let player: String
    public let busybox: String
    public let cacheDirectory: URL

    /// The guest's PID 1: mount the kernel file systems, play, power off.
    static let initScript = """
    #!/bin/busybox sh
    /bin/busybox mount -t proc proc /proc
    /bin/busybox mount -t sysfs sysfs /sys
    /bin/busybox mount -t devtmpfs devtmpfs /dev
    /cpuplay-guest $(/bin/busybox cat /cpuplay/args)
    /bin/busybox poweroff -f

    """
    /// The viewer image's PID 1 (`--guest-viewer`): also a /tmp and the pty file system tmux needs.
    static let viewerInitScript = initScript.replacingOccurrences(
        of: "/bin/busybox mount -t devtmpfs devtmpfs /dev\n", with: """
    /bin/busybox mount -t devtmpfs devtmpfs /dev
    /bin/busybox mkdir -p /dev/pts /tmp
    /bin/busybox mount -t devpts devpts /dev/pts

    """)
    /// 2: stored uncompressed (see the type's comment).
    static let formatVersion = "2"

    /// Finds the player (`$CPUPLAY_GUEST_PLAYER`, `cpuplay-guest` beside this executable, or an
    /// installed copy's PREFIX/lib/cpuplay/cpuplay-guest) and a static busybox.
    public static func locate(executableDirectory: URL,
                              layout: InstalledLayout? = .current()) throws(CPUPlayError) -> GuestImage {
        let env = ProcessInfo.processInfo.environment
        let player: String
        if let named = env["CPUPLAY_GUEST_PLAYER"].flatMap({ $0.isEmpty ? nil : $0 }) {
            player = named
        } else {
            let beside = executableDirectory.appendingPathComponent("cpuplay-guest").path
            let installed = layout.map { $0.helper("cpuplay-guest") }
            player = [beside, installed].compactMap { $0 }.first { FileTree.isExecutable($0) } ?? beside
            if !FileTree.isExecutable(player), let layout, layout.isInstalled, let installed {
                throw layout.missing(installed, what: "the guest player")
            }
        }
        guard FileTree.isExecutable(player) else {
            throw CPUPlayError(.toolFailed, subject: "cpuplay-guest",
                    "the guest player \(player) is missing; build it with swift build --product cpuplay-guest (same "
                        + "configuration as cpuplay)")
        }
        let candidates = ["/bin/busybox", "/usr/bin/busybox"]
        guard let busybox = candidates.first(where: { FileTree.isExecutable($0) && isStatic($0) }) else {
            throw CPUPlayError(.toolFailed, subject: "busybox",
                    "a static busybox is needed for the guest (looked at \(candidates.joined(separator: ", "))); "
                        + "install it with apt-get install busybox-static (Scripts/install-deps.sh does)")
        }
        return GuestImage(player: player, busybox: busybox, cacheDirectory: GuestKernel.cacheDirectory())
    }

    /// A static executable has no PT_INTERP program header.
    static func isStatic(_ path: String) -> Bool {
        guard let out = try? ToolRunner.run("/usr/bin/ldd", [path], timeout: 20) else { return false }
        return out.status != 0 || out.stdout.contains("not a dynamic executable")
            || out.stderr.contains("not a dynamic executable")
    }

    /// The shared libraries `path` loads, as ldd resolves them (the loader included).
    static func libraries(of path: String) throws(CPUPlayError) -> [String] {
        guard let out = try? ToolRunner.run("/usr/bin/ldd", [path], timeout: 30), out.status == 0 else {
            throw CPUPlayError(.toolFailed, subject: "ldd",
                               "ldd \(path) failed: cannot tell which libraries the guest player needs")
        }
        var libs: [String] = []
        for line in out.stdout.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let arrow = words.firstIndex(of: "=>"), arrow + 1 < words.count, words[arrow + 1].hasPrefix("/") {
                libs.append(String(words[arrow + 1]))
            } else if let first = words.first, first.hasPrefix("/") {
                libs.append(String(first))
            }
        }
        return libs
    }

    /// The cached base archive (built now if missing), its path, and whether it was built now.
    /// With `viewerTools` it is the viewer variant: the same plus tmux, the viewer, their
    /// libraries, terminfo and locale, cached under its own name so the plain image stays small.
    public func base(viewerTools: GuestViewerTools? = nil,
                     progress: (String) -> Void) throws(CPUPlayError) -> (path: URL, built: Bool) {
        let programs = viewerTools?.programs ?? [], data = viewerTools?.dataFiles ?? []
        var libs: [String] = []
        for program in [player] + programs {
            for lib in try Self.libraries(of: program) where !libs.contains(lib) { libs.append(lib) }
        }
        let script = viewerTools == nil ? Self.initScript : Self.viewerInitScript
        let key = try Self.sha256([player, busybox] + libs + programs + data, extra: script + Self.formatVersion,
                                  digests: FileDigests(directory: cacheDirectory))
        let target = cacheDirectory.appendingPathComponent("initramfs-\(key.prefix(16)).cpio")
        if FileTree.exists(target.path) {
            FileTree.touch(target.path)
            return (target, false)
        }
        progress("building the guest image (player, busybox, "
            + "\(programs.isEmpty ? "" : (viewerTools?.viewer ?? "") + ", tmux, ")\(libs.count) libraries)")
        do { try FileTree.makeDirectories(cacheDirectory.path) } catch {
            throw .writeFailed("cannot create the guest cache \(cacheDirectory.path): \(error.localizedDescription)")
        }
        let scratch = cacheDirectory.appendingPathComponent(".build-\(ProcessFacts.id)")
        FileTree.removeTree(scratch.path)
        defer { FileTree.removeTree(scratch.path) }
        do { try FileTree.makeDirectories(scratch.path) } catch {
            throw .writeFailed("cannot create \(scratch.path): \(error.localizedDescription)")
        }
        let bytes = try Self.archive(script: script, player: try strippedPlayer(in: scratch), busybox: busybox,
                                     files: libs + programs + data, data: data)
        let raw = scratch.appendingPathComponent("base.cpio")
        do throws(Errno) { try SystemFile.write(bytes, to: raw.path) } catch {
            throw .writeFailed("cannot write \(raw.path): \(error)")
        }
        do throws(Errno) { try FilePath.rename(raw.path, to: target.path) } catch {
            throw .writeFailed("cannot move the guest image into \(target.path): \(error)")
        }
        pruneStaleImages(keeping: target)
        return (target, true)
    }

    /// The player's bytes, stripped when `strip` is there: debug symbols are most of a debug build.
    func strippedPlayer(in scratch: URL) throws(CPUPlayError) -> [UInt8] {
        guard let strip = ToolRunner.find("strip") else { return try Self.read(player) }
        let stripped = scratch.appendingPathComponent("cpuplay-guest").path
        if let out = try? ToolRunner.run(strip, ["--strip-all", "-o", stripped, player], timeout: 120),
           out.status == 0 {
            return try Self.read(stripped)
        }
        return try Self.read(player)
    }

    /// The base image: the init script, busybox, the player, then `files` at their own paths
    /// (with their folders); `data` among them are not executable.
    static func archive(script: String, player: [UInt8], busybox: String, files: [String],
                        data: [String]) throws(CPUPlayError) -> [UInt8] {
        var archive = CPIOArchive()
        var made = Set<String>()
        func directories(for path: String) {
            var parts = path.split(separator: "/").dropLast().map(String.init)
            var prefix = ""
            while !parts.isEmpty {
                prefix += (prefix.isEmpty ? "" : "/") + parts.removeFirst()
                if made.insert(prefix).inserted { archive.directory(prefix) }
            }
        }
        for dir in ["proc", "sys", "dev", "bin", "cpuplay"] where made.insert(dir).inserted { archive.directory(dir) }
        archive.file("init", contents: Array(script.utf8), executable: true)
        archive.file("bin/busybox", contents: try read(busybox), executable: true)
        archive.symlink("bin/sh", to: "busybox")
        archive.file("cpuplay-guest", contents: player, executable: true)
        for file in files {
            let inside = String(file.drop(while: { $0 == "/" }))
            directories(for: inside)
            archive.file(inside, contents: try read(file), executable: !data.contains(file))
        }
        archive.finish()
        return archive.bytes
    }

    /// Removes images of older players not used for a day (a debug and a release build each
    /// keep theirs while both are in use).
    func pruneStaleImages(keeping current: URL) {
        for name in FileTree.entries(cacheDirectory.path) where name.hasPrefix("initramfs-") {
            let url = cacheDirectory.appendingPathComponent(name)
            guard url != current, let accessed = FileTree.modificationDate(url.path),
                  Date().timeIntervalSince(accessed) > 86_400 else { continue }
            FileTree.removeTree(url.path)
        }
    }

    /// The per-run archive: the clip and the player's arguments, appended uncompressed.
    public static func runArchive(clip: [UInt8], arguments: [String]) -> [UInt8] {
        var archive = CPIOArchive()
        archive.file("cpuplay/clip.y4m", contents: clip)
        archive.file("cpuplay/args", contents: Array((arguments.joined(separator: " ") + "\n").utf8))
        archive.finish()
        return archive.bytes
    }

    static func read(_ path: String) throws(CPUPlayError) -> [UInt8] {
        guard let data = FileTree.contents(path) else {
            throw .unreadableInput("cannot read \(path) for the guest image", subject: path)
        }
        return Array(data)
    }

    /// A short key for the files' contents and `extra`: their SHA-256s (by sha256sum, or from
    /// `digests` for files unchanged since it hashed them) folded with `extra` by FNV-1a.
    static func sha256(_ paths: [String], extra: String, digests: FileDigests? = nil) throws(CPUPlayError) -> String {
        let sums: [String]
        if let digests { sums = try digests.sha256(of: paths) } else { sums = try FileDigests.hash(paths) }
        let text = sums.joined() + extra
        var hash: UInt64 = 0xcbf29ce484222325
        for b in text.utf8 { hash = (hash ^ UInt64(b)) &* 0x100000001b3 }
        return String(hash, radix: 16)
    }
}
