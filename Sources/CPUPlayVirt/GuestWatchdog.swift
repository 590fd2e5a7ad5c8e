import CPUPlayCore
import CPUPlaySystem
import Foundation

/// Ends a guest's processes and removes its run directory when cpuplay dies without doing so
/// itself (SIGKILL, a crash), so that no QEMU or virsh outlives it.
///
/// A separate process, because nothing runs in one SIGKILL ends and PR_SET_PDEATHSIG does not
/// reach the QEMU libvirt daemonises. A small shell waits for end of file on a pipe only cpuplay
/// holds, then kills every process whose command line names the run directory and removes it;
/// cpuplay dismisses it with SIGKILL once it has torn the guest down itself.
public final class GuestWatchdog: @unchecked Sendable {
    private let process: ChildProcess
    private var channel: FileDescriptor?

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
            process = try ChildProcess("/bin/sh", ["-c", Self.script],
                                       extraEnvironment: ["CPUPLAY_WATCHED_RUN": directory],
                                       stdin: .descriptor(ends.read.rawValue), stdout: .null, stderr: .null)
        } catch {
            ends.write.close()
            throw CPUPlayError(.toolFailed, subject: "/bin/sh", "cannot start the guest watchdog: \(error)")
        }
        channel = ends.write
    }

    /// The guest is torn down: the watchdog is ended before it can act.
    public func dismiss() {
        guard let channel else { return }
        process.send(ProcessSignal.killNow)
        _ = process.wait(timeout: 1)
        channel.close()
        self.channel = nil
    }

    deinit { dismiss() }
}
