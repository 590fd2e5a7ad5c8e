import CLinux
import Synchronization
#if canImport(Glibc)
import Glibc
import CPUPlayCore
#endif

/// The one way cpuplay writes an output: whole or not at all, never over anything but a
/// regular file, never through a link or into a folder another user controls, every write checked.
///
/// Written as an unnamed file (O_TMPFILE) that `finish()` links under its name, so nothing is
/// visible until it is complete and a SIGKILL leaves nothing; without O_TMPFILE, as
/// `.NAME.partial-PID`, renamed at the end. `cancel()`, a failed write or a terminating signal
/// leaves nothing. docs/outputs.md describes every case.
public final class OutputFile {
    public let target: OutputTarget
    /// The name a partial file has (or will have when linked) in the folder, nil for unnamed
    /// files until `finish()` and for in-place targets.
    public private(set) var temporaryPath: String?
    private var fd: Int32
    /// The folder (a duplicate of `OutputPlace.directory`), -1 for in-place targets.
    private var directory: Int32 = -1
    private var name = ""
    private var partialName: String?
    private var slot: Int?
    private var done = false

    /// Opens the target (for a regular or new file: creates the unnamed or partial file).
    public convenience init(_ target: OutputTarget) throws(CPUPlayError) {
        try self.init(target, namedPartial: false)
    }

    /// `namedPartial` takes the path of a file system without O_TMPFILE (a named partial file
    /// from the start), so tests exercise it on any file system.
    init(_ target: OutputTarget, namedPartial: Bool) throws(CPUPlayError) {
        self.target = target
        switch target.destination {
        case .standardOutput:
            fd = STDOUT_FILENO
        case .inPlace(let path):
            fd = try Self.openInPlace(path, target)
        case .replacing(let path):
            fd = -1
            try openReplacing(path, namedPartial: namedPartial)
        }
    }

    /// A device or FIFO, opened without O_CREAT or O_TRUNC (the node stays what it is) and
    /// checked to be one after opening. A FIFO blocks here until read.
    private static func openInPlace(_ path: String, _ target: OutputTarget) throws(CPUPlayError) -> Int32 {
        let refuse = OutputTarget.refusal(path, option: target.option)
        let place = try OutputPlace(path, refuse: refuse)
        let follow = place.isKernelLink ? 0 : O_NOFOLLOW
        let fd = Self.retryingEINTR { openat(place.directory.rawValue, place.name,
                                             O_WRONLY | O_NOCTTY | O_CLOEXEC | follow) }
        guard fd >= 0 else { throw Self.failure(target) }
        var st = stat()
        guard fstat(fd, &st) == 0, [S_IFCHR, S_IFIFO].contains(st.st_mode & S_IFMT) else {
            close(fd)
            throw refuse("changed since it was checked: no longer a device or FIFO; nothing was written")
        }
        return fd
    }

    /// The folder is walked and checked again (it may have changed since `OutputTarget`), then
    /// the file is created unseen in it.
    private func openReplacing(_ path: String, namedPartial: Bool) throws(CPUPlayError) {
        let refuse = OutputTarget.refusal(path, option: target.option)
        let place = try OutputPlace(path, refuse: refuse)
        guard try OutputTarget.destination(path, option: target.option, place: place, overwrite: target.overwrite,
                                           refuse) == .replacing(path) else {
            throw refuse("changed since it was checked: it is now a device or FIFO; nothing was written")
        }
        directory = fcntl(place.directory.rawValue, F_DUPFD_CLOEXEC, 0)
        guard directory >= 0 else { throw Self.failure(target) }
        name = place.name
        PartialSweep.sweep(directory: directory, name: name)
        let keptMode = place.status.map { $0.st_mode & 0o777 }
        let unnamed = namedPartial ? -EOPNOTSUPP : clinux_open_tmpfile(directory, 0o666)
        if unnamed >= 0 {
            fd = unnamed
        } else if [EOPNOTSUPP, EISDIR, EINVAL].contains(-unnamed) {
            let partial = Self.temporaryName(for: name)
            fd = Self.retryingEINTR { openat(directory, partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                             mode_t(0o666)) }
            guard fd >= 0 else { let f = Self.failure(target); close(directory); directory = -1; throw f }
            partialName = partial
            temporaryPath = "/proc/self/fd/\(directory)/\(partial)"
            slot = OutputRegistry.register(temporaryPath!)
        } else {
            errno = -unnamed
            let f = Self.failure(target)
            close(directory)
            directory = -1
            throw f
        }
        if let keptMode, fchmod(fd, keptMode) != 0 {
            let failure = Self.failure(target)
            cancel()
            throw failure
        }
    }

    /// Where a library that opens files itself (libavformat) should write instead of calling
    /// `write`: this file's own descriptor through /proc (the unnamed file, the partial file,
    /// the device or FIFO, or standard output), so nothing is looked up by name again.
    public var pathForOtherWriters: String { "/proc/self/fd/\(fd)" }

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

    /// Flushes and closes; a file is linked or renamed into place. Safe to call twice.
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
        case .replacing:
            if fsync(fd) != 0, errno != EINVAL {
                let failure = Self.failure(target)
                cancel()
                throw failure
            }
            if let failure = putInPlace() {
                cancel()
                throw failure
            }
            done = true
            let rc = close(fd)
            fd = -1
            release()
            if rc != 0 && errno != EINTR { throw Self.failure(target) }
        }
    }

    /// Gives the finished file its name: a new name is linked (never replacing anything that
    /// appeared meanwhile); with `-y` the file goes to its partial name and is renamed over.
    private func putInPlace() -> CPUPlayError? {
        if partialName == nil && !target.overwrite {
            if linkat(AT_FDCWD, "/proc/self/fd/\(fd)", directory, name, AT_SYMLINK_FOLLOW) == 0 { return nil }
            return errno == EEXIST ? appeared() : Self.failure(target)
        }
        if partialName == nil {
            let partial = Self.temporaryName(for: name)
            unlinkat(directory, partial, 0)
            temporaryPath = "/proc/self/fd/\(directory)/\(partial)"
            slot = OutputRegistry.register(temporaryPath!)
            guard linkat(AT_FDCWD, "/proc/self/fd/\(fd)", directory, partial, AT_SYMLINK_FOLLOW) == 0 else {
                return Self.failure(target)
            }
            partialName = partial
        }
        guard let partial = partialName else { return nil }
        if target.overwrite {
            return renameat(directory, partial, directory, name) == 0 ? nil : Self.failure(target)
        }
        guard linkat(directory, partial, directory, name, 0) == 0 else {
            return errno == EEXIST ? appeared() : Self.failure(target)
        }
        unlinkat(directory, partial, 0)
        partialName = nil
        return nil
    }

    private func appeared() -> CPUPlayError {
        target.error(.outputConflict,
                     "\(target.option) \(CPUPlayError.quoted(target.path)) appeared while cpuplay was writing it; "
                         + "nothing was replaced (pass -y to replace it)")
    }

    /// Abandons the output: an unnamed file vanishes on close, a partial file is removed (a
    /// device or FIFO is only closed; standard output is left open). Safe to call twice.
    public func cancel() {
        guard !done else { return }
        done = true
        if case .standardOutput = target.destination { return }
        if fd >= 0 { close(fd); fd = -1 }
        if let partialName, directory >= 0 { unlinkat(directory, partialName, 0) }
        partialName = nil
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
        if directory >= 0 { close(directory) }
        directory = -1
    }

    /// `.NAME.partial-PID` for the file `name`, or `.cpuplay-PID-N.partial` when that name
    /// would be longer than a file name may be.
    static func temporaryName(for name: String) -> String {
        let long = ".\(name).partial-\(getpid())"
        if long.utf8.count <= OutputTarget.maxNameBytes { return long }
        return ".cpuplay-\(getpid())-\(shortNameCounter.add(1, ordering: .relaxed).newValue).partial"
    }

    private static func failure(_ target: OutputTarget) -> CPUPlayError {
        if target.destination == .standardOutput { return StandardOutput.failure(errno) }
        return target.error(.writeFailed,
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
