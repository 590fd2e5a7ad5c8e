import Foundation

/// A scratch directory removed when released.
final class TempDir {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "cpuplay-virt-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
