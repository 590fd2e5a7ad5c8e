import CPUPlayCore
import CPUPlaySystem
import Foundation

/// A named guest shape kept in Configs/vm/NAME.json, so common requests need one flag.
///
/// A preset holds a `VMRequest` (the same fields as the command-line options) plus a description;
/// options given on the command line override the preset's.
public struct VMPreset: Codable, Sendable, JSONDocument {
    public static let schema = "vm-preset"
    public static let schemaVersion = 1

    public var description: String
    public var vm: VMRequest

    public init(description: String, vm: VMRequest) { self.description = description; self.vm = vm }

    /// Where presets are looked for: $CPUPLAY_VM_PRESETS, ./Configs/vm, the Configs/vm of the
    /// checkout a development build runs from, and an installed copy's PREFIX/share/cpuplay/vm.
    public static var searchDirectories: [URL] {
        var dirs: [URL] = []
        if let env = ProcessInfo.processInfo.environment["CPUPLAY_VM_PRESETS"], !env.isEmpty {
            dirs.append(URL(fileURLWithPath: env))
        }
        dirs.append(URL(fileURLWithPath: FileTree.currentDirectory).appendingPathComponent("Configs/vm"))
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            dir = dir.deletingLastPathComponent()
            dirs.append(dir.appendingPathComponent("Configs/vm"))
        }
        if let layout = InstalledLayout.current() { dirs.append(URL(fileURLWithPath: layout.dataFile("vm"))) }
        return dirs
    }

    /// Names of the presets found (file names without .json).
    public static func available(in dirs: [URL] = searchDirectories) -> [String] {
        var names = Set<String>()
        for d in dirs {
            for f in FileTree.entries(d.path) where f.hasSuffix(".json") {
                names.insert(String(f.dropLast(5)))
            }
        }
        return names.sorted()
    }

    /// The file NAME (from the search directories) or a path to a .json file names; nil when
    /// no preset of that name exists.
    public static func file(named nameOrPath: String, in dirs: [URL] = searchDirectories) -> String? {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") { return nameOrPath }
        return dirs.map { $0.appendingPathComponent("\(nameOrPath).json").path }
            .first { FileTree.exists($0) }
    }

    /// Loads NAME (from the search directories) or a path to a .json file.
    public static func load(_ nameOrPath: String, from dirs: [URL] = searchDirectories) throws -> VMPreset {
        guard let file = file(named: nameOrPath, in: dirs), FileTree.exists(file) else {
            let known = available(in: dirs)
            throw CPUPlayError(.invalidArgument, setting: .preset,
                    "no VM preset \(CPUPlayError.quoted(nameOrPath)); known presets: "
                        + "\(known.isEmpty ? "none found in Configs/vm" : known.joined(separator: ", "))")
        }
        // Bounded like every small input: --preset /dev/zero must not fill memory.
        let data: Data
        do { data = Data(try SystemFile.read(file, limit: 1 << 20)) } catch {
            throw CPUPlayError(.unreadableInput, setting: .preset,
                               "preset \(CPUPlayError.quoted(file)): \(error.message)")
        }
        // Every count meets the range its option does (--vcpus, --memory...).
        let ranges = Dictionary(uniqueKeysWithValues: VMRequest.fieldRanges.map { ("vm." + $0.key, $0.value) })
        return try JSONInput.decode(VMPreset.self, from: data, document: "preset \(CPUPlayError.quoted(file))",
                                    accepted: "a preset has \"description\" and \"vm\" with the fields of "
                                        + "Configs/schemas/vm-preset.schema.json", ranges: ranges)
    }
}
