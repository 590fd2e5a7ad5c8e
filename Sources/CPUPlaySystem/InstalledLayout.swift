import CPUPlayCore

/// Where an installed cpuplay keeps what it ships besides itself, found from its own executable
/// (PREFIX/bin/cpuplay): PREFIX/lib/cpuplay/cpuplay-guest, PREFIX/share/cpuplay/sample.mp4 and
/// PREFIX/share/cpuplay/{vm,layouts,schemas}/, as Scripts/package-deb.sh installs them.
///
/// A checkout's files come first; these are the last place looked, and a file missing from an
/// installed copy is named in one line.
public struct InstalledLayout: Sendable, Equatable {
    /// The folder holding `bin/cpuplay`.
    public let prefix: String

    public init(prefix: String) { self.prefix = prefix }

    /// The running executable's layout: the folder above the one it lies in (nil when
    /// /proc/self/exe cannot be read).
    public static func current() -> InstalledLayout? {
        guard let exe = ProcessFacts.executablePath else { return nil }
        let bin = parent(of: exe)
        return InstalledLayout(prefix: parent(of: bin))
    }

    /// PREFIX/share/cpuplay: the sample, VM presets, layouts and JSON schemas.
    public var dataDirectory: String { join(prefix, "share/cpuplay") }
    /// PREFIX/lib/cpuplay: programs cpuplay runs but a person does not (cpuplay-guest).
    public var helperDirectory: String { join(prefix, "lib/cpuplay") }
    /// Whether this copy was installed: its data folder exists.
    public var isInstalled: Bool { FilePath.kind(dataDirectory) == .directory }

    /// `name` (like "sample.mp4" or "vm") inside the data folder.
    public func dataFile(_ name: String) -> String { join(dataDirectory, name) }
    /// `name` inside the helper folder.
    public func helper(_ name: String) -> String { join(helperDirectory, name) }

    /// The one line for a file an installed copy should have and does not.
    public func missing(_ path: String, what: String) -> CPUPlayError {
        CPUPlayError(.unreadableInput, subject: path,
                     "\(what) \(path) is missing from this installation; "
                        + "reinstall it (apt-get install --reinstall cpuplay)")
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
