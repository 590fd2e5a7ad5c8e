import CLinux

extension FileDescriptor {
    /// A pipe whose two ends close on exec: a child gets an end only where it is handed one
    /// (as its stdin, say), so the write end's last close is the owner's own exit.
    public static func pipe() throws(Errno) -> (read: FileDescriptor, write: FileDescriptor) {
        var fds: [CInt] = [0, 0]
        _ = try SystemCall.runNegatedErrno { clinux_pipe_cloexec(&fds) }
        return (FileDescriptor(rawValue: fds[0]), FileDescriptor(rawValue: fds[1]))
    }
}
