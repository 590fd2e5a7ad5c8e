import CPUPlayHost
import Foundation

/// Ends a guest's processes and removes its run directory when cpuplay dies without doing so
/// itself (SIGKILL, a crash), so that no QEMU or virsh outlives it.
///
/// Why a separate process: nothing runs in a process that SIGKILL ends, and PR_SET_PDEATHSIG
/// does not reach QEMU, which libvirt daemonises (a fork clears the death signal). So a small
/// shell waits on a pipe whose only write end cpuplay holds (close-on-exec: virsh and QEMU do
/// not inherit it): the pipe's end of file is cpuplay's exit. It reads the run directory as its
/// first line (not an argument, so its own command line names no run), then a second line:
/// `done` after cpuplay tore the guest down, or end of file, on which it kills every process
/// whose command line names the directory (virsh's driver root, QEMU's files are all inside it)
/// and removes the directory. It ignores the stop signals: a terminal's Ctrl-C or SIGHUP is
/// cpuplay's to handle, and cpuplay then tears down and dismisses it.
public final class GuestWatchdog: @unchecked Sendable {
    private let process: ChildProcess
    private var channel: FileDescriptor?

    static let script = """
    trap '' INT TERM HUP PIPE QUIT
    IFS= read -r dir || exit 0
    case "$dir" in /*/cpuplay-vm-*) ;; *) exit 0 ;; esac
    IFS= read -r word
    [ "$word" = done ] && exit 0
    for round in 1 2 3 4 5; do
      for f in $(grep -lsaF -e "$dir/" /proc/[0-9]*/cmdline); do
        p=${f#/proc/}; kill -9 "${p%/cmdline}" 2>/dev/null
      done
      sleep 0.1
    done
    rm -rf -- "$dir"
    """

    /// Starts the watchdog for `directory` (an absolute `.../cpuplay-vm-*` path).
    public init(directory: String) throws(CPUPlayError) {
        let ends: (read: FileDescriptor, write: FileDescriptor)
        do { ends = try FileDescriptor.pipe() } catch {
            throw .system("cannot make the guest watchdog's pipe", error)
        }
        defer { ends.read.close() }
        do {
            process = try ChildProcess("/bin/sh", ["-c", Self.script], stdin: .descriptor(ends.read.rawValue),
                                       stdout: .null, stderr: .null)
        } catch {
            ends.write.close()
            throw CPUPlayError(.toolFailed, subject: "/bin/sh", "cannot start the guest watchdog: \(error)")
        }
        // It must outlive cpuplay: no end of its group when this value goes away.
        process.terminationGrace = 0
        channel = ends.write
        try? ends.write.writeAll(directory + "\n")
    }

    /// The guest is torn down: the watchdog exits without touching anything.
    public func dismiss() {
        guard let channel else { return }
        try? channel.writeAll("done\n")
        channel.close()
        self.channel = nil
        _ = process.wait(timeout: 5)
    }

    deinit { dismiss() }
}
