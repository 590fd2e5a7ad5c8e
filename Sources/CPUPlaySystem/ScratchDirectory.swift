import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
import CPUPlayCore
#endif

/// A private directory (0700, in TMPDIR) for files a command makes for itself: a copy of an
/// input handed to tools, libvirt's driver root, standard input spooled to a file, a recording
/// made only for `--export`. It is removed with everything in it when the value is released
/// or `remove()` is called, and by a `StopSignals` exit action when a signal ends the process.
///
/// Why one type: each hand-made scratch directory forgot one way out (an `atexit` handler that
/// a signal's `_exit` skips, a `defer` a forced exit never reaches, a fixed /tmp that ignores
/// TMPDIR), and the files stayed behind.
public final class ScratchDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String
    /// The exit action that removes the tree, until `remove()` takes it (once, from any thread).
    private let exitAction = Mutex<Int?>(nil)

    /// Creates `TMPDIR/PREFIX-XXXXXX` (mkdtemp: a fresh name, mode 0700).
    public init(prefix: String) throws(CPUPlayError) {
        var template = Array("\(Self.base)/\(prefix)-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .writeFailed("cannot create a scratch directory in \(Self.base): \(Errno.current.message); set TMPDIR to a writable directory")
        }
        path = String(cString: made)
        let p = path
        let token = StopSignals.addExitAction { Self.removeTree(p) }
        exitAction.withLock { $0 = token }
    }

    /// TMPDIR when set (without a trailing slash), else /tmp.
    public static var base: String {
        var dir = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        while dir.count > 1 && dir.hasSuffix("/") { dir.removeLast() }
        return dir.isEmpty ? "/tmp" : dir
    }

    /// The path of `name` inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Removes the directory and everything in it (safe to call twice).
    public func remove() {
        guard let token = exitAction.withLock({ token in defer { token = nil }; return token }) else { return }
        StopSignals.removeExitAction(token)
        Self.removeTree(path)
    }

    deinit { remove() }

    private static func removeTree(_ path: String) { FileTree.removeTree(path) }
}
