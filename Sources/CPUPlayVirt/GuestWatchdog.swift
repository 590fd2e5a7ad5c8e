import CPUPlayCore
import Synchronization
import CPUPlaySystem
import Foundation

/// Ends a guest's processes and removes its run directory when cpuplay dies without doing so
/// itself (SIGKILL, a crash), so that no QEMU or virsh outlives it.
///
/// Why a separate process: nothing runs in a process that SIGKILL ends, and PR_SET_PDEATHSIG
/// does not reach QEMU, which libvirt daemonises (a fork clears the death signal). So a small
/// shell waits on a pipe whose only write end cpuplay holds (close-on-exec: virsh and QEMU do
/// not inherit it): end of file on it is cpuplay's exit. It then kills every process whose
/// command line names the run directory (virsh's driver root and QEMU's files are all inside
/// it) and removes the directory. The directory comes in its environment, so its own command
/// line names no run. It ignores the stop signals (Ctrl-C and SIGHUP are cpuplay's to handle);
/// once cpuplay has torn the guest down it dismisses the watchdog with SIGKILL (nothing is
/// ever written to the pipe, so a watchdog already gone cannot raise SIGPIPE in cpuplay).
public final class GuestWatchdog: Sendable {
    private let process: ChildProcess
    /// The pipe's write end, until `dismiss()` takes it (once, from any thread).
    private let channel = Mutex<FileDescriptor?>(nil)

    static let script = """
    trap '' INT TERM HUP PIPE QUIT
    dir=$CPUPLAY_WATCHED_RUN
    case "$dir" in /*/cpuplay-vm-*) ;; *) exit 0 ;; esac
    read -r _
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
            process = try ChildProcess("/bin/sh", ["-c", Self.script], extraEnvironment: ["CPUPLAY_WATCHED_RUN": directory],
                                       stdin: .descriptor(ends.read.rawValue), stdout: .null, stderr: .null)
        } catch {
            ends.write.close()
            throw CPUPlayError(.toolFailed, subject: "/bin/sh", "cannot start the guest watchdog: \(error)")
        }
        channel.withLock { $0 = ends.write }
    }

    /// The guest is torn down: the watchdog is ended before it can act.
    public func dismiss() {
        guard let channel = channel.withLock({ end in defer { end = nil }; return end }) else { return }
        process.send(ProcessSignal.killNow)
        _ = process.wait(timeout: 1)
        channel.close()
    }

    deinit { dismiss() }
}
