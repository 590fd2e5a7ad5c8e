import CPUPlayCore
import CPUPlaySystem

/// Where the muxer writes, through the project's one output mechanism (`OutputFile`): a
/// temporary file beside a regular output, renamed into place on success, or a device or FIFO
/// such as /dev/null written in place (renaming over a device would replace it).
///
/// libavformat opens the file itself (`path`); `finish()` makes it appear under its name,
/// `cancel()` removes every trace.
final class OutputFileTarget {
    let destination: String
    /// The path libavformat writes to.
    let path: String
    private let file: OutputFile

    init(destination: String, option: String = "-o", overwrite: Bool) throws(CPUPlayError) {
        self.destination = destination
        let target = try OutputTarget(destination, option: SettingText(verbatim: option), overwrite: overwrite)
        file = try OutputFile(target)
        path = file.pathForOtherWriters
    }

    /// Flushes and renames the finished file onto the destination.
    func finish() throws(CPUPlayError) { try file.finish() }

    /// Removes the temporary file (a device is left alone). Safe to call twice.
    func cancel() { file.cancel() }
}
