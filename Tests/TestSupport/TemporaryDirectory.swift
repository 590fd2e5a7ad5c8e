import Foundation

/// A fresh directory under /tmp for a test's files, removed when the value is released.
///
/// Every test that writes files gets its own, so tests never see each other's output and a
/// test can prove that a failed command left nothing behind (`contents`).
public final class TemporaryDirectory {
    public let url: URL
    /// The directory's path.
    public var path: String { url.path }

    public init() throws {
        url = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("cpuplay-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    public func path(_ name: String) -> String { file(name).path }

    /// Names of the files now in the directory (to prove no partial output was left behind).
    public var contents: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
