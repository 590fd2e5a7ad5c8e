import CPUPlaySystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

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

    /// Writes `bytes` as the file `name` in the directory (created, or emptied first) the way
    /// cpuplay writes its own files (`SystemFile.write`: no hidden temporary beside it), and
    /// returns its URL.
    @discardableResult
    public func write(_ bytes: [UInt8], to name: String) throws -> URL {
        try SystemFile.write(bytes, to: path(name))
        return file(name)
    }

    /// Writes the UTF-8 bytes of `text` as the file `name` (see `write(_:to:)`).
    @discardableResult
    public func write(_ text: String, to name: String) throws -> URL { try write(Array(text.utf8), to: name) }

    /// Binds a Unix socket named `name` in the directory and closes it (the socket file
    /// stays: neither a file nor a device, for the paths cpuplay must refuse), and returns its
    /// path; nil when the bind failed.
    public func socketFile(_ name: String) -> String? {
        let sock = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(sock) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let socketPath = path(name)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in socketPath.utf8.prefix(raw.count - 1).enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return bound == 0 ? socketPath : nil
    }

    /// Names of the files now in the directory (to prove no partial output was left behind).
    public var contents: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
