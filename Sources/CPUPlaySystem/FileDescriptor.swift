#if canImport(Glibc)
import Glibc
#endif

/// An open file descriptor, with the calls cpuplay makes on one (as swift-system's
/// `FileDescriptor`): every call goes through `SystemCall`, so EINTR is retried and a failure
/// is a typed `Errno`. It does not close itself: the owner calls `close()` (usually in a
/// `defer` right after opening).
public struct FileDescriptor: RawRepresentable, Hashable, Sendable {
    public let rawValue: CInt
    public init(rawValue: CInt) { self.rawValue = rawValue }

    public static let standardInput = FileDescriptor(rawValue: STDIN_FILENO)
    public static let standardOutput = FileDescriptor(rawValue: STDOUT_FILENO)
    public static let standardError = FileDescriptor(rawValue: STDERR_FILENO)

    /// O_NOCTTY, for `open(_:_:extraFlags:)`: a terminal opened is not made the controlling one.
    public static let noControllingTerminal: CInt = O_NOCTTY

    /// How a file is opened.
    public enum AccessMode: Sendable {
        case readOnly, writeOnly, readWrite
        var flags: CInt {
            switch self {
            case .readOnly: return O_RDONLY
            case .writeOnly: return O_WRONLY
            case .readWrite: return O_RDWR
            }
        }
    }

    /// Opens `path` (always close-on-exec, so no child process inherits it).
    public static func open(_ path: String, _ mode: AccessMode, extraFlags: CInt = 0) throws(Errno) -> FileDescriptor {
        let fd = try SystemCall.run { Glibc.open(path, mode.flags | O_CLOEXEC | extraFlags) }
        return FileDescriptor(rawValue: fd)
    }

    /// Opens `path` for writing from its start (O_CREAT | O_TRUNC, close-on-exec): a missing
    /// file is created with `permissions` (less the umask), an existing one is emptied. For the
    /// files cpuplay makes for itself (a scratch directory's contents, a tool's configuration);
    /// an output a user names goes through `OutputFile`, which never truncates in place.
    public static func create(_ path: String, permissions: mode_t = 0o644) throws(Errno) -> FileDescriptor {
        let fd = try SystemCall.run { Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions) }
        return FileDescriptor(rawValue: fd)
    }

    /// Closes the descriptor (EINTR is not retried: on Linux the descriptor is gone anyway).
    public func close() {
        _ = Glibc.close(rawValue)
    }

    /// Reads up to `buffer.count` bytes; 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        try SystemCall.run { Glibc.read(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Reads into `bytes[offset...]` (the array's existing storage: nothing is allocated or
    /// zeroed). Returns how many bytes were read; 0 at the end of the file.
    public func read(into bytes: inout [UInt8], from offset: Int) throws(Errno) -> Int {
        try bytes.withUnsafeMutableBytes { raw in
            Result { () throws(Errno) in try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[offset...])) }
        }.get()
    }

    /// Reads to the end of the file into `bytes`, reusing its storage and doubling it when
    /// full, until the end of the file or until more than `limit` bytes are in. Returns the
    /// number of bytes read (more than `limit` means the file is longer than `limit`).
    public func readToEnd(into bytes: inout [UInt8], limit: Int = .max) throws(Errno) -> Int {
        var used = 0
        if bytes.isEmpty { bytes = [UInt8](repeating: 0, count: 4096) }
        while used <= limit {
            if used == bytes.count {
                let room = limit - used   // >= 0 here; one byte more shows the file is longer
                bytes.append(contentsOf: repeatElement(0, count: room >= bytes.count ? bytes.count : room + 1))
            }
            let n = try read(into: &bytes, from: used)
            if n == 0 { break }
            used += n
        }
        return used
    }

    /// Reads up to `buffer.count` bytes at `offset` without moving the file position.
    public func read(fromAbsoluteOffset offset: Int64,
                     into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        try SystemCall.run { Glibc.pread(rawValue, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// Writes up to `buffer.count` bytes; returns how many were written.
    public func write(_ buffer: UnsafeRawBufferPointer) throws(Errno) -> Int {
        try SystemCall.run { Glibc.write(rawValue, buffer.baseAddress, buffer.count) }
    }

    /// Writes every byte of `bytes` (`DescriptorWrite`'s loop: short writes, EINTR and EAGAIN
    /// retried), so a frame never appears half drawn and a message is never half sent.
    public func writeAll(_ bytes: UnsafeRawBufferPointer) throws(Errno) {
        let e = DescriptorWrite.all(bytes, to: rawValue)
        if e != 0 { throw Errno(e) }
    }

    /// Writes every byte of `bytes`.
    public func writeAll(_ bytes: [UInt8]) throws(Errno) {
        try bytes.withUnsafeBytes { raw in Result { () throws(Errno) in try writeAll(raw) } }.get()
    }

    /// Writes every byte of `text`'s UTF-8.
    public func writeAll(_ text: String) throws(Errno) {
        var s = text
        try s.withUTF8 { buf in Result { () throws(Errno) in try writeAll(UnsafeRawBufferPointer(buf)) } }.get()
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) until any of `descriptors` has input
    /// (negative descriptors are ignored). True when one has, false on timeout or when a
    /// signal handler ran meanwhile (so the caller can look at what it set).
    public static func waitForInput(anyOf descriptors: [FileDescriptor],
                                    timeoutMilliseconds: Int32) throws(Errno) -> Bool {
        var fds = descriptors.map { pollfd(fd: $0.rawValue, events: Int16(POLLIN), revents: 0) }
        let n = Glibc.poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
        if n < 0 {
            let e = Errno.current
            if e == .interrupted { return false }
            throw e
        }
        return n > 0
    }

    /// True when the descriptor is a directory (opening one for reading succeeds on Linux).
    public func isDirectory() -> Bool {
        var st = stat()
        return fstat(rawValue, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// The size of the file when it is a regular file (nil for FIFOs, pipes, devices).
    public func regularFileSize() -> Int? {
        var st = stat()
        guard fstat(rawValue, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_size)
    }

    /// True when the descriptor is a terminal.
    public var isTerminal: Bool { isatty(rawValue) == 1 }

    /// Waits up to `timeoutMilliseconds` (-1: forever) for input. Returns true when input is
    /// ready, false on timeout; a signal handler that runs meanwhile ends the wait early
    /// (false), so a caller can notice a flag the handler set.
    public func waitForInput(timeoutMilliseconds: Int32) throws(Errno) -> Bool {
        try Self.waitForInput(anyOf: [self], timeoutMilliseconds: timeoutMilliseconds)
    }

    /// The terminal window size on this descriptor (TIOCGWINSZ), nil when it is not a terminal.
    public func windowSize() -> (columns: Int, rows: Int)? {
        var ws = winsize()
        guard (try? SystemCall.run({ ioctl(rawValue, UInt(TIOCGWINSZ), &ws) })) != nil,
              ws.ws_col > 0, ws.ws_row > 0 else {
            return nil
        }
        return (Int(ws.ws_col), Int(ws.ws_row))
    }

    /// ioctl(fd, request, argument) for requests that take an int and return one
    /// (KVM_CHECK_EXTENSION and the like).
    public func control(_ request: UInt, argument: CInt) throws(Errno) -> CInt {
        try SystemCall.run { ioctl(rawValue, request, argument) }
    }
}
