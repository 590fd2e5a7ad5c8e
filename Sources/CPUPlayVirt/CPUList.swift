import CPUPlayHost
import Foundation

/// A set of host CPU ids written the way Linux and libvirt write them ("0-3,8,10-11").
///
/// Host CPU lists arrive from the command line and from /sys, and leave as libvirt `cpuset`
/// attributes, so one type parses and formats that syntax and nothing else has to.
public struct CPUList: Equatable, Sendable, CustomStringConvertible {
    /// Sorted, without duplicates.
    public let ids: [Int]

    public init(_ ids: some Sequence<Int>) { self.ids = Array(Set(ids)).sorted() }

    /// Parses "0-3,8,10-11". Whitespace around items is ignored; an empty list is refused.
    public init(parsing text: String, what: String = "--host-cpus") throws {
        do {
            self.init(try CPUListSyntax.parse(text, what: what, allowEmpty: false))
        } catch {
            throw CPUPlayError(.invalidArgument, subject: "--host-cpus", error.description)
        }
    }

    public var count: Int { ids.count }

    /// Compact range form, e.g. "0-3,8,10-11".
    public var description: String { CPUListSyntax.format(ids) }

    /// The ids in `self` that are not in `other`.
    public func subtracting(_ other: CPUList) -> CPUList { CPUList(Set(ids).subtracting(other.ids)) }

    /// The CPUs this host has online (/sys/devices/system/cpu/online), or nil when unreadable.
    public static func hostOnline(path: String = "/sys/devices/system/cpu/online") -> CPUList? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return try? CPUList(parsing: text.trimmingCharacters(in: .whitespacesAndNewlines), what: path)
    }
}
