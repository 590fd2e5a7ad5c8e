import CPUPlayHost
#if canImport(Glibc)
import Glibc
#endif

/// Where the muxer writes: a temporary file beside a regular output that is renamed into
/// place on success (the project's `AtomicFileWriter`), or a device such as /dev/null
/// written in place (renaming over a device would replace it).
///
/// libavformat opens the file itself (`path`); `finish()` makes it appear under its name,
/// `cancel()` removes every trace.
final class OutputFileTarget {
    let destination: String
    /// The path libavformat writes to.
    let path: String
    private let atomic: AtomicFileWriter?

    init(destination: String) throws(CPUPlayError) {
        self.destination = destination
        var st = stat()
        if stat(destination, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw .invalidArgument("output '\(destination)' is a directory; expected a file name like run.mp4")
        }
        if stat(destination, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG {
            atomic = nil
            path = destination
            return
        }
        do { atomic = try AtomicFileWriter(path: destination) } catch { throw .writeFailed(error.description) }
        path = atomic!.temporaryPath
    }

    /// Flushes and renames the finished file onto the destination.
    func finish() throws(CPUPlayError) {
        do { try atomic?.finish() } catch { throw .writeFailed(error.description) }
    }

    /// Removes the temporary file (a device is left alone). Safe to call twice.
    func cancel() { atomic?.cancel() }
}
