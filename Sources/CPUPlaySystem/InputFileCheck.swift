#if canImport(Glibc)
import Glibc
import CPUPlayCore
#endif

/// The one answer to "can this path be read as an input file", checked before a reader or a
/// library opens it.
///
/// Opening a socket fails with "No such device or address", a directory opens and then reads
/// as nothing, and a /proc or /sys file reports a size of 0 however much it holds: each reader
/// that asked on its own gave a raw errno, or called a kernel file empty. Here every input is
/// judged by what kind of file it is, in the same words, naming what the reader accepts.
public enum InputFileCheck {
    /// Refuses `path` with one line ("input 'PATH' is a socket; expected EXPECTED") when it is
    /// missing, a directory, a socket, another kind that is not a stream of bytes, unreadable,
    /// or (with `refusingEmpty`) a regular file with no bytes. Regular files, FIFOs and
    /// character and block devices pass. A FIFO is not opened here (that would take the data
    /// its writer meant for the reader); a regular file of size 0 is read for one byte, so a
    /// /proc or /sys file is not called empty.
    /// - Parameters:
    ///   - subject: how the message names the path ("input", "--layout").
    ///   - expected: what the reader accepts ("a video file, a .y4m clip, ...").
    public static func check(_ path: String, subject: String = "input", expected: String,
                             refusingEmpty: Bool = true) throws(CPUPlayError) {
        func refuse(_ why: String) -> CPUPlayError {
            CPUPlayError(.unreadableInput, subject: subject, value: path,
                         "\(subject) \(CPUPlayError.quoted(path))\(why); expected \(expected)")
        }
        let kind = FilePath.kind(path)
        if kind == .missing {
            let e = Errno.current
            throw e == .noSuchFile ? refuse(": no such file") : refuse(": cannot be read (\(e.message))")
        }
        if let noun = kind.notReadableNoun { throw refuse(" is \(noun)") }
        guard FilePath.isReadable(path) else { throw refuse(": cannot be read (\(Errno.current.message))") }
        if refusingEmpty, kind == .regular, FilePath.size(path) == 0 {
            if try !hasAByte(path, refuse) { throw refuse(" is empty (0 bytes)") }
        }
    }

    /// True when the regular file `path` holds at least one byte (its stated size may be 0).
    private static func hasAByte(_ path: String, _ refuse: (String) -> CPUPlayError) throws(CPUPlayError) -> Bool {
        let fd: FileDescriptor
        do { fd = try .open(path, .readOnly) } catch { throw refuse(": cannot be read (\(error.message))") }
        defer { fd.close() }
        var byte: UInt8 = 0
        do { return try withUnsafeMutableBytes(of: &byte) { raw throws(Errno) in try fd.read(into: raw) } > 0 } catch {
            throw refuse(": cannot be read (\(error.message))")
        }
    }
}

extension FilePath.Kind {
    /// How a message names a kind that cannot be read as a file ("a directory", "a socket"),
    /// nil for the kinds that can (regular files, FIFOs, character and block devices) and for
    /// a missing path (the caller says why from errno).
    public var notReadableNoun: String? {
        switch self {
        case .directory: "a directory"
        case .socket: "a socket"
        case .other: "not a regular file, a FIFO or a device"
        case .missing, .regular, .characterDevice, .blockDevice, .fifo: nil
        }
    }
}
