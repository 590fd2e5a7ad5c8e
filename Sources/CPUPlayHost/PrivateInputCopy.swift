import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An input read exactly once, into a file only this process can see, for tools that each
/// open the input themselves.
///
/// A FIFO (or /dev/stdin, or a file being rewritten) given to two tools in turn feeds the
/// first and leaves the second blocked for ever or checking something else. Reading it once
/// and handing every tool the same private copy (a 0600 file in a fresh 0700 directory, with
/// an absolute path, so a name like `-x.xml` is never taken for an option) makes them check the
/// same bytes. The copy is removed when the value is released, and by the signal watcher's
/// exit actions if the process is ended by a signal.
public final class PrivateInputCopy {
    /// The copy's absolute path.
    public let path: String
    private let directory: String
    private var exitAction: Int?

    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads `source` whole (at most `limit` bytes) and writes the copy, named `name`.
    public init(of source: String, name: String = "input", limit: Int = 64 << 20) throws(ReadError) {
        var template = Array((NSTemporaryDirectory() + "/cpuplay-input-XXXXXX").utf8CString)
        guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) }) else {
            throw ReadError(description: "cannot create a private temporary directory in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))")
        }
        directory = dir
        path = dir + "/" + name
        do throws(ReadError) {
            let data = try Self.readOnce(source, limit: limit)
            guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw ReadError(description: "cannot write a private copy of \(source) in \(dir)")
            }
        } catch {
            rmdirAll()
            throw error
        }
        let dirCopy = dir, pathCopy = path
        exitAction = StopSignals.addExitAction { unlink(pathCopy); rmdir(dirCopy) }
    }

    deinit {
        if let exitAction { StopSignals.removeExitAction(exitAction) }
        rmdirAll()
    }

    private func rmdirAll() {
        unlink(path)
        rmdir(directory)
    }

    /// One open, one sequential read to the end (works on FIFOs, pipes and character devices).
    private static func readOnce(_ source: String, limit: Int) throws(ReadError) -> Data {
        let fd = open(source, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ReadError(description: "cannot read \(source): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw ReadError(description: "cannot read \(source): it is a directory; give a domain XML file")
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReadError(description: "cannot read \(source): \(String(cString: strerror(errno)))")
            }
            data.append(contentsOf: buffer[0..<n])
            if data.count > limit {
                throw ReadError(description: "cannot read \(source): larger than \(limit >> 20) MiB; a domain XML file is far smaller")
            }
        }
        return data
    }
}
