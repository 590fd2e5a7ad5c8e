import CPUPlayCore
import CPUPlaySystem
import Foundation

/// What `play --sync` asks for: htop re-sampled at every frame boundary through tmux, or the
/// btop setting that matches the frame rate.
public enum ViewerSyncRequest: Equatable, Sendable {
    /// htop in tmux pane `target` (any tmux target: `session`, `session:window.pane`, `%3`).
    case htop(target: String)
    /// btop has no key that re-samples: print the update_ms to set.
    case btop

    /// Parses `htop:TARGET` or `btop`; the error names the value and what is accepted.
    public init(parsing text: String) throws(CPUPlayError) {
        if text.lowercased() == "btop" { self = .btop; return }
        if text.lowercased().hasPrefix("htop:"), text.count > 5 {
            self = .htop(target: String(text.dropFirst(5)))
            return
        }
        throw .invalidArgument("\(Setting.viewerSync) \(CPUPlayError.quoted(text)): expected htop:TMUX-TARGET (the "
            + "tmux pane running htop, e.g. htop:main:0.1) or btop", setting: .viewerSync, value: text)
    }

    /// btop's `update_ms` for a frame rate: one frame, but at least btop's minimum of 100 ms.
    public static func btopUpdateMilliseconds(fps: Double) -> Int {
        max(100, Int((1000 / fps).rounded()))
    }

    /// The line `--sync btop` prints.
    public static func btopAdvice(fps: Double) -> String {
        let ms = btopUpdateMilliseconds(fps: fps)
        let every = Double(ms) * fps / 1000
        let phase = every > 1.001 ? String(format: " (btop's minimum: it samples every %.1f frames)", every) : ""
        return "sync: btop has no key that re-samples; set update_ms = \(ms) in ~/.config/btop/btop.conf (or Options > "
            + "update ms) so each sample spans one frame\(phase), and start btop at a frame boundary"
    }
}

/// The key that makes an htop version re-sample /proc/stat at once.
///
/// htop re-reads the CPU counters whenever a key handler returns HTOP_RECALCULATE, over the
/// time since its last sample. Measured here with Debian 12's htop 3.2.2 (`htop -d 100` in
/// tmux, watching its Uptime meter, which only moves on a re-sample): Ctrl-L, F5, t, P, Z, I,
/// p and m do not re-sample; H (user threads) and K (kernel threads) do. From htop 3.3
/// (htop-dev/htop#1304) Ctrl-L re-samples and changes nothing on screen, while H also
/// rescans inside its handler, so pressing it would sample twice. So: Ctrl-L from 3.3 on;
/// before that H, which shows and hides the process list's thread rows on alternate frames
/// but leaves the meters exact (no key of 3.2 re-samples without changing the screen).
public struct HtopVersion: Comparable, Sendable, CustomStringConvertible {
    public let major: Int, minor: Int, patch: Int

    public init(major: Int, minor: Int, patch: Int = 0) {
        self.major = major; self.minor = minor; self.patch = patch
    }

    /// From `htop --version` output ("htop 3.2.2", "htop 3.3.0-dev").
    public init?(versionOutput: String) {
        guard let word = versionOutput.split(whereSeparator: { $0 == " " || $0 == "\n" }).dropFirst().first else {
            return nil
        }
        let parts = word.split(separator: ".").map { Int($0.prefix(while: \.isNumber)) }
        guard parts.count >= 2, let a = parts[0], let b = parts[1] else { return nil }
        self.init(major: a, minor: b, patch: parts.count > 2 ? (parts[2] ?? 0) : 0)
    }

    public static func < (a: HtopVersion, b: HtopVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }

    public var description: String { "\(major).\(minor).\(patch)" }

    /// The tmux key name that forces this version to re-sample.
    public var resampleKey: String { self >= HtopVersion(major: 3, minor: 3) ? "C-l" : "H" }
}

/// `--sync htop:TARGET`: presses htop's re-sample key in a tmux pane at every frame boundary,
/// the way the Task Manager player pressed F5 after each frame, so each htop sample spans
/// exactly one frame instead of smearing two at a random phase.
///
/// The keys go out on a thread of their own (`tmux send-keys` is a process start, too slow
/// for the frame loop or the monitor); frames that pass while one is being sent coalesce.
/// A pane that is missing at the start or goes away later costs one notice and nothing
/// else: playback goes on without sync.
// @unchecked: the state shared with the sync thread is behind `lock`; `thread` is set and joined by the owner.
public final class TmuxHtopSync: @unchecked Sendable {
    public let target: String
    /// The htop found in the pane and its version, when one was found.
    public private(set) var htopPID: Int32?
    public private(set) var version: HtopVersion?
    public let key: String
    private let lock = NSLock()
    private let wake = DispatchSemaphore(value: 0)
    private var pending = false
    private var stopping = false
    private var notices: [String] = []
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)
    /// Keys sent so far.
    public private(set) var sent = 0

    /// How notices say settings (the command line's options).
    private let names: SettingNames

    /// Looks up the pane and the htop in it. Never throws: a missing target is a notice, whose
    /// settings `names` says.
    public init(target: String, names: SettingNames = .plain) {
        self.target = target
        self.names = names
        var key = "C-l"
        if let panePID = Self.panePID(target) {
            if let pid = Self.findHtop(under: panePID) {
                htopPID = pid
                version = Self.version(ofProcess: pid)
                key = version?.resampleKey ?? "C-l"
            } else {
                notices.append(Self.notice("no htop runs in tmux pane \(CPUPlayError.quoted(target)) yet; sending "
                    + "Ctrl-L (current htop's re-sample key) at each frame", names))
            }
        } else {
            notices.append(Self.notice("tmux pane \(CPUPlayError.quoted(target)) not found (is tmux running, and "
                + "is the target right? see `tmux list-panes -a`); playing without sync", names))
            stopping = true
        }
        self.key = key
    }

    /// The notice line for `text`, the sync option said as `names` says it.
    private static func notice(_ text: String, _ names: SettingNames) -> String {
        ("notice: \(Setting.viewerSync): " as SettingText).rendered(names) + text
    }

    /// A one-line description of what will be done, for stderr at the start.
    public var plan: String? {
        guard !stopping else { return nil }
        let who = htopPID.map { "htop \(version?.description ?? "(version unknown)") (pid \($0))" } ?? "the pane"
        return "sync: pressing \(key) in tmux pane '\(target)' at every frame boundary so \(who) "
            + "re-samples once per frame"
    }

    /// Starts the sender thread (if the pane was found).
    public func start() {
        guard !stopping else { return }
        let t = Thread { [self] in run() }
        t.name = "cpuplay-sync"
        thread = t
        t.start()
    }

    /// A frame boundary (any thread; never blocks).
    public func frame() {
        lock.lock()
        let wasPending = pending
        pending = true
        lock.unlock()
        if !wasPending { wake.signal() }
    }

    /// The notices not yet taken (at most one per kind of failure), cleared.
    public func takeNotices() -> [String] {
        lock.lock(); defer { lock.unlock() }
        let out = notices
        notices = []
        return out
    }

    /// Stops and joins the sender; returns the notices not yet taken.
    public func finish() -> [String] {
        lock.lock()
        let running = thread != nil
        stopping = true
        thread = nil
        lock.unlock()
        if running {
            wake.signal()
            done.wait()
        }
        return takeNotices()
    }

    private func run() {
        defer { done.signal() }
        while true {
            wake.wait()
            lock.lock()
            if stopping { lock.unlock(); return }
            pending = false
            lock.unlock()
            let r = Self.tmux(["send-keys", "-t", target, key])
            if r.status != 0 {
                lock.lock()
                notices.append(Self.notice("tmux pane \(CPUPlayError.quoted(target)) went away after \(sent) "
                    + "frames (\(r.output.trimmingCharacters(in: .whitespacesAndNewlines))); playback "
                    + "went on without sync", names))
                stopping = true
                lock.unlock()
                return
            }
            sent += 1
        }
    }

    // MARK: looking at the pane

    static func panePID(_ target: String) -> Int32? {
        guard tmux(["list-panes", "-t", target]).status == 0 else { return nil }
        let r = tmux(["display-message", "-p", "-t", target, "#{pane_pid}"])
        return r.status == 0 ? Int32(r.output.trimmingCharacters(in: .whitespacesAndNewlines)) : nil
    }

    /// `pid` itself or its closest descendant whose command is htop.
    static func findHtop(under pid: Int32) -> Int32? {
        var parent: [Int32: Int32] = [:]
        var comm: [Int32: String] = [:]
        for entry in FileTree.entries("/proc") {
            guard let p = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(p)/stat", encoding: .utf8),
                  let line = ProcessStatLine(stat) else { continue }
            comm[p] = String(line.command)
            if let pp = line.parent { parent[p] = pp }
        }
        var frontier = [pid]
        while !frontier.isEmpty {
            if let hit = frontier.first(where: { comm[$0] == "htop" }) { return hit }
            let set = Set(frontier)
            frontier = parent.filter { set.contains($0.value) }.map(\.key).sorted()
        }
        return nil
    }

    static func version(ofProcess pid: Int32) -> HtopVersion? {
        guard let exe = FileTree.linkTarget("/proc/\(pid)/exe") else { return nil }
        return HtopVersion(versionOutput: run([exe, "--version"]).output)
    }

    static func tmux(_ args: [String]) -> (status: Int32, output: String) { run(["tmux"] + args) }

    /// Runs a tool (stdin from /dev/null, at most 5 s, its process group ended after), returning
    /// its status and its stdout followed by its stderr.
    static func run(_ args: [String]) -> (status: Int32, output: String) {
        guard let exe = ChildProcess.find(args[0]) else { return (127, "\(args[0]): not found on PATH") }
        do {
            let r = try ChildProcess.run(exe, Array(args.dropFirst()), timeout: 5)
            return (r.status, r.stdoutText + r.stderrText)
        } catch {
            return (127, "\(args[0]): \(error)")
        }
    }
}
