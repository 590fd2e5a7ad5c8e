import Synchronization
#if canImport(Glibc)
import Glibc
import CPUPlayCore
#endif

/// The one way cpuplay writes an output: whole or not at all, never over anything but a
/// regular file, every write checked.
///
/// The `OutputTarget` decides how: a regular or new file gets a hidden temporary file beside it
/// (same directory, so the rename is atomic; `.NAME.partial-PID`, or a short
/// `.cpuplay-PID-N.partial` when that would pass the 255-byte name limit) that `finish()`
/// flushes and renames into place, keeping the old file's permissions; a device or FIFO is
/// opened and written in place; `-` writes to standard output. `cancel()`, a failed write, or
/// dropping the writer unfinished removes the temporary file, and so does a terminating signal
/// (see `OutputRegistry`). Every failure is one line naming the option, the path and the
/// system's reason, such as "No space left on device" for /dev/full.
public final class OutputFile {
    public let target: OutputTarget
    /// Where the bytes are until `finish()` for a replaced file (nil for in-place targets).
    public let temporaryPath: String?
    private var fd: Int32
    private var slot: Int?
    private var done = false

    /// Opens the target (for a regular or new file: creates the temporary file).
    public init(_ target: OutputTarget) throws(CPUPlayError) {
        self.target = target
        switch target.destination {
        case .standardOutput:
            fd = STDOUT_FILENO
            temporaryPath = nil
        case .inPlace(let path):
            // No O_CREAT, no O_TRUNC: the node stays what it is. A FIFO blocks here until read.
            fd = Self.retryingEINTR { open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC) }
            temporaryPath = nil
            guard fd >= 0 else { throw Self.failure(target) }
        case .replacing(let path):
            let temp = Self.temporaryName(for: path)
            unlink(temp)   // a stale file from an earlier process with our pid
            var st = stat()
            let mode = stat(path, &st) == 0 ? st.st_mode & 0o7777 : 0o644
            fd = Self.retryingEINTR { open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600)) }
            guard fd >= 0 else { throw Self.failure(target) }
            temporaryPath = temp
            slot = OutputRegistry.register(temp)
            if fchmod(fd, mode) != 0 {
                let failure = Self.failure(target)
                cancel()
                throw failure
            }
        }
    }

    /// Where a library that opens files itself (libavformat) should write instead of calling
    /// `write`: the temporary file, the device or FIFO itself, or /dev/stdout.
    public var pathForOtherWriters: String {
        switch target.destination {
        case .standardOutput: return "/dev/stdout"
        case .inPlace(let path): return path
        case .replacing(let path): return temporaryPath ?? path
        }
    }

    /// Appends `bytes`; on failure the temporary file is removed.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(CPUPlayError) {
        precondition(!done, "write after finish or cancel")
        let e = DescriptorWrite.all(bytes, to: fd)
        if e != 0 {
            errno = e
            let failure = Self.failure(target)
            cancel()
            throw failure
        }
    }

    /// Appends `bytes`; on failure the temporary file is removed.
    public func write(_ bytes: [UInt8]) throws(CPUPlayError) {
        let failure = bytes.withUnsafeBytes { raw -> CPUPlayError? in
            do throws(CPUPlayError) { try write(raw); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Appends the UTF-8 bytes of `text`.
    public func write(_ text: String) throws(CPUPlayError) { try write(Array(text.utf8)) }

    /// Flushes and closes; a replaced file is renamed into place. Safe to call twice.
    public func finish() throws(CPUPlayError) {
        guard !done else { return }
        switch target.destination {
        case .standardOutput:
            done = true
        case .inPlace:
            done = true
            let rc = close(fd)
            fd = -1
            if rc != 0 && errno != EINTR { throw Self.failure(target) }
        case .replacing(let path):
            if fsync(fd) != 0, errno != EINVAL {
                let failure = Self.failure(target)
                cancel()
                throw failure
            }
            if close(fd) != 0, errno != EINTR {
                fd = -1
                let failure = Self.failure(target)
                cancel()
                throw failure
            }
            fd = -1
            done = true
            guard let temp = temporaryPath else { return }
            if rename(temp, path) != 0 {
                let failure = Self.failure(target)
                unlink(temp)
                release()
                throw failure
            }
            release()
        }
    }

    /// Abandons the output: a temporary file is closed and removed (a device or FIFO is only
    /// closed; standard output is left open). Safe to call twice.
    public func cancel() {
        guard !done else { return }
        done = true
        if case .standardOutput = target.destination { return }
        if fd >= 0 { close(fd); fd = -1 }
        if let temp = temporaryPath { unlink(temp) }
        release()
    }

    deinit { cancel() }

    /// Writes `bytes` to `target` whole (one call for reports, JSON, HTML and XML).
    public static func write(_ bytes: [UInt8], to target: OutputTarget) throws(CPUPlayError) {
        let file = try OutputFile(target)
        try file.write(bytes)
        try file.finish()
    }

    /// Writes `text` to `target` whole.
    public static func write(_ text: String, to target: OutputTarget) throws(CPUPlayError) {
        try write(Array(text.utf8), to: target)
    }

    private func release() {
        if let slot { OutputRegistry.finished(slot) }
        slot = nil
    }

    /// `.NAME.partial-PID` beside `path`, or `.cpuplay-PID-N.partial` when that name would
    /// be longer than a file name may be.
    static func temporaryName(for path: String) -> String {
        let (dir, name) = FileIdentity.split(path)
        let prefix = path.contains("/") ? (dir == "/" ? "/" : dir + "/") : ""
        let long = ".\(name).partial-\(getpid())"
        if long.utf8.count <= OutputTarget.maxNameBytes { return prefix + long }
        return prefix + ".cpuplay-\(getpid())-\(shortNameCounter.add(1, ordering: .relaxed).newValue).partial"
    }

    private static func failure(_ target: OutputTarget) -> CPUPlayError {
        if target.destination == .standardOutput { return StandardOutput.failure(errno) }
        return CPUPlayError(.writeFailed, subject: target.option, value: target.path,
                            "cannot write \(target.option) '\(target.path)': \(OutputTarget.errnoText())")
    }

    private static func retryingEINTR(_ call: () -> Int32) -> Int32 {
        while true {
            let rc = call()
            if rc >= 0 || errno != EINTR { return rc }
        }
    }
}

private let shortNameCounter = Atomic<Int>(0)
