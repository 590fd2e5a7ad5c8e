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
/// same bytes. The copy lives in a `ScratchDirectory`, so it goes when the value is released
/// or a signal ends the process.
public final class PrivateInputCopy {
    /// The copy's absolute path.
    public let path: String
    private let directory: ScratchDirectory

    public struct ReadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads `source` whole (at most `limit` bytes) and writes the copy, named `name`.
    public init(of source: String, name: String = "input", limit: Int = 64 << 20) throws(ReadError) {
        do { directory = try ScratchDirectory(prefix: "cpuplay-input") } catch {
            throw ReadError(description: error.message)
        }
        path = directory.file(name)
        let bytes = try Self.readOnce(source, limit: limit)
        do throws(Errno) { try SystemFile.write(bytes, to: path, permissions: 0o600) } catch {
            throw ReadError(description: "cannot write a private copy of \(source) in \(directory.path): "
                + "\(error.message)")
        }
    }

    /// One open, one sequential read to the end (works on FIFOs, pipes and character devices).
    private static func readOnce(_ source: String, limit: Int) throws(ReadError) -> [UInt8] {
        let fd: FileDescriptor
        func notAFile(_ noun: String) -> ReadError { ReadError(description: "cannot read \(source): it is \(noun); "
            + "give a domain XML file") }
        do { fd = try .open(source, .readOnly) } catch {
            if let noun = FilePath.kind(source).notReadableNoun { throw notAFile(noun) }
            throw ReadError(description: "cannot read \(source): \(error.message)")
        }
        defer { fd.close() }
        if fd.isDirectory() { throw notAFile("a directory") }
        var bytes: [UInt8] = []
        let used: Int
        do { used = try fd.readToEnd(into: &bytes, limit: limit) } catch {
            throw ReadError(description: "cannot read \(source): \(error.message)")
        }
        guard used <= limit else {
            throw ReadError(description: "cannot read \(source): larger than \(limit >> 20) MiB; a domain XML "
                + "file is far smaller")
        }
        return Array(bytes[0..<used])
    }
}
