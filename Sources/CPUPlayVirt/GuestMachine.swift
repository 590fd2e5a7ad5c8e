import CPUPlayCore
import CPUPlaySystem
import Foundation
import Synchronization

/// One throwaway guest under libvirt's embedded QEMU driver: its private run directory, the virsh
/// that defines, starts and waits for it, and the QEMU process, all stopped and removed by
/// `tearDown()` whatever state they are in.
///
/// Facts this relies on (measured on Debian 12, libvirt 9.0, QEMU 7.2): the embedded driver lives
/// inside the virsh process, so define, start and the wait for the domain's end are one virsh
/// invocation; QEMU is daemonised by libvirt and would end up a zombie of init, so cpuplay is a
/// child subreaper and adopts it; virsh ignores SIGTERM while it waits, so stopping is by pid with
/// bounded waits: QEMU first (virsh then sees the domain stop), then virsh.
///
/// When cpuplay cannot tear down in order, nothing is left either: on the signal watcher's forced
/// exit an exit action kills virsh and QEMU and removes the directory, and if cpuplay is killed
/// outright (ProcessSignal.killNow) its `GuestWatchdog` does the same.
// @unchecked: processes and exit action are set and cleared by the run's thread; the exit action reads `pids`.
public final class GuestMachine: @unchecked Sendable {
    public let directory: URL
    public let root: URL
    public let consolePath: String
    public let streamPath: String
    public let domainName: String
    let driver: EmbeddedQEMUDriver
    public private(set) var virsh: GuestProcess?
    public private(set) var qemu: GuestProcess?
    private let started = StartedProcesses()
    private var watchdog: GuestWatchdog?
    private var exitAction: Int?

    /// Creates the run directory `cpuplay-vm-PID-XXXXXX` under `$TMPDIR`, or under /tmp when
    /// `$TMPDIR` is too long: libvirt puts QEMU's monitor socket at
    /// ROOT/lib/qemu/domain-N-NAME/monitor.sock, and a unix socket path has at most 107 bytes.
    public init(driver: EmbeddedQEMUDriver, domainName: String) throws(CPUPlayError) {
        self.driver = driver
        self.domainName = domainName
        let tmp = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let fixed = """
            /cpuplay-vm-\(ProcessFacts.id)-XXXXXX/libvirt/lib/qemu/domain-999-\(domainName)/monitor.sock
            """.utf8.count
        let base = tmp.utf8.count + fixed <= 107 ? tmp : "/tmp"
        let made: String
        do throws(Errno) {
            made = try FilePath.makeUniqueDirectory(template: "\(base)/cpuplay-vm-\(ProcessFacts.id)-XXXXXX")
        } catch {
            throw .writeFailed("cannot create a run directory under \(base): \(error.message)")
        }
        directory = URL(fileURLWithPath: made)
        root = directory.appendingPathComponent("libvirt")
        consolePath = directory.appendingPathComponent("console.log").path
        streamPath = directory.appendingPathComponent("stream.log").path
        do { try prepareRunFiles() } catch {
            FileTree.removeTree(directory.path)
            throw error
        }
        GuestProcess.becomeSubreaper()
        let (dir, pids) = (directory, started)
        exitAction = StopSignals.addExitAction { Self.forceEnd(directory: dir, pids: pids.all) }
        // Without a watchdog a ProcessSignal.killNow would leave the guest running; the run goes on (said once).
        do { watchdog = try GuestWatchdog(directory: directory.path) } catch {
            _ = DescriptorWrite.all("cpuplay: notice: \(error); a ProcessSignal.killNow of cpuplay would leave "
                + "this guest running\n", to: FileDescriptor.standardError.rawValue)
        }
    }

    /// The forced way out: every process of this run killed (by pid and by its command line
    /// naming the directory), reaped where it is a child, and the directory removed.
    static func forceEnd(directory: URL, pids: [Int32]) {
        for pid in pids + processes(naming: directory.path + "/") {
            ProcessSignal.send(ProcessSignal.killNow, toProcessOrGroup: pid)
        }
        ProcessFacts.sleep(microseconds: 20_000)
        ProcessSignal.reapEveryEndedChild()
        FileTree.removeTree(directory.path)
    }

    /// Live processes other than this one whose command line contains `text`.
    static func processes(naming text: String) -> [Int32] {
        let me = ProcessFacts.id
        var found: [Int32] = []
        for entry in FileTree.entries("/proc") {
            guard let pid = Int32(entry), pid != me,
                  let cmd = try? SystemFile.read("/proc/\(pid)/cmdline", limit: 65_536, truncate: true),
                  String(decoding: cmd, as: UTF8.self).contains(text) else { continue }
            found.append(pid)
        }
        return found
    }

    /// Writes the domain XML and starts one virsh that defines, starts and waits for the domain;
    /// virsh's own output goes to `virsh.log`. `waitSeconds` bounds virsh's wait.
    public func start(domainXML: String, waitSeconds: Int) throws(CPUPlayError) {
        let xml = directory.appendingPathComponent("domain.xml")
        do throws(Errno) { try SystemFile.write(domainXML, to: xml.path) } catch {
            throw .writeFailed("cannot write \(xml.path): \(error)")
        }
        let script = "define \(xml.path); start \(domainName); event --domain \(domainName) --event lifecycle --loop "
            + "--timeout \(waitSeconds)"
        let log = directory.appendingPathComponent("virsh.log").path
        virsh = try GuestProcess.spawn(driver.invocation(root: root) + [script],
                                       environment: driver.environment(root: root),
                                       stdout: log, stderr: log)
        if let virsh { started.add(virsh.pid) }
    }

    /// virsh's output so far (errors from define/start land here).
    public var virshLog: String {
        (try? String(contentsOfFile: directory.appendingPathComponent("virsh.log").path, encoding: .utf8)) ?? ""
    }

    /// Finds QEMU once libvirt has started it: the adopted child whose command line names this
    /// run's directory. nil until then.
    ///
    /// A QEMU that exited while starting (a file that is no kernel, say) is reaped here: as our
    /// zombie it has no command line to be recognised by, and libvirt, which waits for its
    /// monitor while the pid exists, would wait out its timeout before saying why (80 s seen).
    @discardableResult
    public func findQEMU() -> GuestProcess? {
        if let qemu { return qemu }
        let me = ProcessFacts.id
        for entry in FileTree.entries("/proc") {
            guard let pid = Int32(entry), pid != me,
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  stat.contains("(qemu-system-") else { continue }
            if Self.isEndedChild(stat: stat, of: me) {
                _ = ProcessSignal.reapIfExited(pid)
                continue
            }
            guard let cmd = FileTree.contents("/proc/\(pid)/cmdline"),
                  String(decoding: cmd, as: UTF8.self).contains(directory.path) else { continue }
            qemu = GuestProcess.adopt(pid: pid, name: "qemu")
            started.add(pid)
            return qemu
        }
        return nil
    }

    /// True when /proc/PID/stat says a zombie whose parent is `parent`.
    static func isEndedChild(stat: String, of parent: Int32) -> Bool {
        guard let line = ProcessStatLine(stat) else { return false }
        return line.state == "Z" && line.parent == parent
    }

    /// True once virsh reported the domain stopped (QEMU exited, whatever the reason).
    public var domainStopped: Bool { virshLog.contains(": Stopped") }

    /// The last `lines` lines the guest printed on its console.
    public func consoleTail(lines: Int = 8) -> String {
        let text = (try? String(contentsOfFile: consolePath, encoding: .utf8)) ?? ""
        let cleaned = text.replacingOccurrences(of: "\r", with: "")
            .split(separator: "\n").map { $0.filter { $0.isASCII && ($0 == "\t" || !$0.isASCIIControl) } }
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return cleaned.suffix(lines).joined(separator: " | ")
    }

    /// Stops this boot's QEMU and virsh at once and starts the guest again from `domainXML` on a
    /// fresh libvirt root and empty console and stream files (a boot that hung, `BootWatch`).
    public func bootAgain(domainXML: String, waitSeconds: Int) throws(CPUPlayError) {
        stopProcesses(qemuGrace: 0, virshGrace: 0)
        ProcessSignal.reapEveryEndedChild()
        // Their pids are free for others now: the forced exit must not kill by them.
        for p in [qemu, virsh].compactMap({ $0 }) { started.remove(p.pid) }
        qemu = nil
        virsh = nil
        FileTree.removeTree(root.path)
        FilePath.remove(directory.appendingPathComponent("virsh.log").path)
        try prepareRunFiles()
        try start(domainXML: domainXML, waitSeconds: waitSeconds)
    }

    /// The libvirt root, and the serial files QEMU opens, empty: they exist from the start so
    /// readers can open them.
    private func prepareRunFiles() throws(CPUPlayError) {
        do {
            try driver.prepareRoot(root)
            try SystemFile.write([], to: consolePath)
            try SystemFile.write([], to: streamPath)
        } catch {
            throw .writeFailed("cannot prepare the libvirt root in \(directory.path): \(error.localizedDescription)")
        }
    }

    /// Stops QEMU, then virsh, each by pid with a bounded wait, and a QEMU that appeared while
    /// virsh was stopping.
    private func stopProcesses(qemuGrace: Double, virshGrace: Double) {
        findQEMU()
        qemu?.stop(grace: qemuGrace)
        virsh?.stop(grace: virshGrace)
        if qemu == nil, findQEMU() != nil { qemu?.stop(grace: qemuGrace) }
    }

    /// Stops QEMU, then virsh, each by pid with a bounded wait, and removes the run directory.
    /// Safe to call more than once and from any state.
    public func tearDown(keepDirectory: Bool = false) {
        // After a stop signal the command must stop within 100 ms: the throwaway guest (no
        // disk) gets no grace and is killed at once. virsh ignores SIGTERM while it waits for
        // events, so a grace would only delay its SIGKILL (the two graces were up to 150 ms).
        let stopping = StopSignal.process.isRequested
        stopProcesses(qemuGrace: stopping ? 0 : 1.0, virshGrace: stopping ? 0 : 0.1)
        // The guest's processes are gone: the watchdog is ended and reaped now, before the reap of
        // every ended child below takes its pid from under its ChildProcess (whose wait would
        // then last its whole timeout, past the 3 s a stopped command has to report).
        watchdog?.dismiss()
        watchdog = nil
        // QEMU (and any helper libvirt daemonised) were re-parented here: reap them, so none
        // is left a zombie of init once cpuplay exits. A zombie has no command line to find it by.
        ProcessSignal.reapEveryEndedChild()
        driver.keepProbes(from: root)
        if !keepDirectory { FileTree.removeTree(directory.path) }
        if let exitAction { StopSignals.removeExitAction(exitAction); self.exitAction = nil }
    }
}

extension Character {
    var isASCIIControl: Bool { asciiValue.map { $0 < 0x20 || $0 == 0x7f } ?? false }
}

/// The pids a guest machine started or adopted, readable from the signal watcher's exit action.
final class StartedProcesses: Sendable {
    private let pids = Mutex<[Int32]>([])
    func add(_ pid: Int32) { pids.withLock { $0.append(pid) } }
    func remove(_ pid: Int32) { pids.withLock { $0.removeAll { $0 == pid } } }
    var all: [Int32] { pids.withLock { $0 } }
}
