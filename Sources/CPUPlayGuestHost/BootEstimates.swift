import CPUPlayCore
import CPUPlaySystem
import CPUPlayVirt
import Foundation

/// The ready time of the last boot on this machine per vCPU count, kept in the guest cache
/// (`boot-times.json`), so the boot bar can say how long this boot will take.
public struct BootEstimates: Equatable, Sendable {
    /// Seconds to ready by vCPU count.
    public var readySeconds: [Int: Double]

    public init(readySeconds: [Int: Double] = [:]) { self.readySeconds = readySeconds }

    public static var path: String { GuestKernel.cacheDirectory().appendingPathComponent("boot-times.json").path }

    /// The last boot of `vcpus` vCPUs; else the nearest count's, scaled by the vCPU ratio's
    /// square root (boot time grows with the count, less than in proportion); nil when none.
    public func estimate(vcpus: Int) -> Double? {
        if let exact = readySeconds[vcpus] { return exact }
        guard let near = readySeconds.keys.min(by: { abs($0 - vcpus) < abs($1 - vcpus) }), near > 0,
              let seconds = readySeconds[near] else { return nil }
        return seconds * (Double(vcpus) / Double(near)).squareRoot()
    }

    /// The file's text: `{"ready_s_by_vcpus": {"16": 15.5}}`.
    public var json: String {
        let entries = readySeconds.keys.sorted().map { "\"\($0)\": \((readySeconds[$0]! * 1000).rounded() / 1000)" }
        return "{\"ready_s_by_vcpus\": {\(entries.joined(separator: ", "))}}\n"
    }

    /// Parses `json`; an unreadable or foreign file is no estimate, never an error.
    public init(json: String) {
        var found: [Int: Double] = [:]
        if let data = json.data(using: .utf8),
           let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
           let table = object["ready_s_by_vcpus"] as? [String: Any] {
            for (key, value) in table {
                if let n = Int(key), n > 0, let s = (value as? NSNumber)?.doubleValue, s.isFinite, s > 0 {
                    found[n] = s
                }
            }
        }
        readySeconds = found
    }

    public static func load(from path: String = Self.path) -> BootEstimates {
        guard let bytes = try? SystemFile.read(path, limit: 65_536, truncate: true) else { return BootEstimates() }
        return BootEstimates(json: String(decoding: bytes, as: UTF8.self))
    }

    /// Keeps `readySeconds` for `vcpus` (best effort: a cache that cannot be written costs only
    /// the next estimate). Written to a temporary name and renamed, as other runs may read it.
    public static func record(vcpus: Int, readySeconds: Double, to path: String = Self.path) {
        var estimates = load(from: path)
        estimates.readySeconds[vcpus] = readySeconds
        let tmp = path + ".\(ProcessFacts.id).tmp"
        try? FileTree.makeDirectories((path as NSString).deletingLastPathComponent)
        guard (try? SystemFile.write(estimates.json, to: tmp)) != nil else { return }
        if (try? FilePath.rename(tmp, to: path)) == nil { FileTree.removeTree(tmp) }
    }
}
