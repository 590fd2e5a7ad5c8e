import CPUPlayCore
import CPUPlayEngine
import CPUPlayGuestLink
import CPUPlayLoad
import CPUPlaySystem
import Foundation

/// `vm play --guest-viewer`: htop or btop running inside the guest on a tmux pty of a fixed
/// size, its screen captured after every `stride`-th frame and sent to the host whenever it
/// changed (so each message is, in practice, one new viewer sample).
///
/// The capture runs on a thread of its own, woken by the frame observer (which never blocks),
/// so a slow tmux client delays only the next capture, never a frame. That thread is pinned to
/// one CPU (`ScreenViewer.pinnedCPU`, the highest) before it starts tmux, so tmux, the viewer
/// and every capture inherit it: the viewer's own work (tens of ms a refresh under TCG) is a
/// steady outside load on one known CPU, which `--correct` subtracts, instead of noise on
/// whichever CPU the scheduler picks; at nice -10 they run ahead of that CPU's pixel thread.
/// The tools come from the guest image's
/// viewer variant (`GuestViewerTools` on the host).
// @unchecked: the state shared with its capture thread is behind `lock`; the rest is set before the thread starts.
final class GuestViewerSession: @unchecked Sendable {
    static let tmux = "/usr/bin/tmux"
    static let home = "/tmp/cpuplay-viewer"
    let viewer: ScreenViewer
    let link: HostLink
    let stride: Int
    private let lock = NSLock()
    private var pending: (frame: Int64, clipFrame: Int)?
    private var nextCapture: Int64 = 0
    private var stopping = false
    private var running = false
    private var finished = false
    private let wake = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let started = DispatchSemaphore(value: 0)
    private var startFailure: String?
    private var lastScreen = ""

    /// Starts the viewer in a detached tmux session sized for `layout`'s meters.
    init(viewer: ScreenViewer, layout: Layout, kind: LayoutKind, framesPerSecond: Double, cpu: Int, link: HostLink) throws(CPUPlayError) {
        self.viewer = viewer
        self.link = link
        stride = ScreenViewer.captureStride(framesPerSecond: framesPerSecond)
        var boxHeight = LayoutKind.defaultBtopBoxHeight
        if case .btop(let h) = kind { boxHeight = h }
        let size = viewer.terminalSize(meterColumns: layout.grid.width, meterRows: layout.grid.height, btopBoxHeight: boxHeight)
        let command: String
        switch viewer {
        case .htop:
            command = "/usr/bin/htop -d \(Int(ScreenViewer.refreshSeconds * 10))"
        case .btop:
            let dir = Self.home + "/.config/btop"
            do {
                try FileTree.makeDirectories(dir)
                try SystemFile.write("update_ms = \(Int(ScreenViewer.refreshSeconds * 1000))\nshown_boxes = \"cpu\"\n", to: dir + "/btop.conf")
            } catch {
                throw .writeFailed("cannot write btop's configuration in \(dir): \(error)")
            }
            command = "/usr/bin/btop --utf-force"
        }
        let start = ["-f", "/dev/null", "new-session", "-d", "-s", "v", "-x", "\(size.columns)", "-y", "\(size.lines)", command]
        running = true
        let t = Thread { [self] in capture(starting: start, on: Int32(cpu)) }
        t.name = "cpuplay-viewer"
        t.start()
        started.wait()
        if let failure = startFailure {
            finish()
            throw CPUPlayError(.toolFailed, subject: "tmux", "cannot start \(viewer.rawValue) in tmux inside the guest: \(failure)")
        }
    }

    /// A published frame (the frame observer; never blocks).
    func frame(_ p: FrameProgress) {
        lock.lock()
        // Every `stride` frames, counted from the last capture asked for: dropped frames
        // (published numbers skip) delay a capture by no more than they last.
        guard p.frame >= nextCapture else { lock.unlock(); return }
        nextCapture = p.frame + Int64(stride)
        let wasPending = pending != nil
        pending = (p.frame, p.clipFrame)
        lock.unlock()
        if !wasPending { wake.signal() }
    }

    /// Stops and joins the capture thread and ends tmux with the viewer.
    func finish() {
        lock.lock()
        let wasRunning = running, wasFinished = finished
        stopping = true
        running = false
        finished = true
        lock.unlock()
        guard !wasFinished else { return }
        if wasRunning {
            wake.signal()
            done.wait()
        }
        _ = Self.run(["kill-server"])
    }

    /// Pins itself to `cpu`, starts tmux with the viewer, then captures on every wake-up.
    private func capture(starting start: [String], on cpu: Int32) {
        defer { done.signal() }
        // Both are best effort (the guest runs as root, so neither is refused in practice): an
        // unpinned or un-niced viewer still draws, only later than its pixel's frame.
        try? CurrentThread.pin(to: [Int(cpu)])
        // Nice -10, inherited by tmux and the viewer: on their CPU they run ahead of its pixel
        // thread, so their work takes the place of part of its spin (the pixel spins to an
        // absolute deadline) instead of waiting behind it and drawing late.
        try? CurrentThread.setNice(-10)
        let r = Self.run(start)
        if r.status != 0 { startFailure = r.output.isEmpty ? "tmux exited with status \(r.status)" : r.output }
        started.signal()
        guard r.status == 0 else { return }
        var failures = 0
        while true {
            wake.wait()
            lock.lock()
            let job = pending
            pending = nil
            let stop = stopping
            lock.unlock()
            if stop { return }
            guard let job else { continue }
            let r = Self.run(["capture-pane", "-p", "-t", "v"])
            // A viewer that ended leaves no pane: after three failed captures in a row (one
            // may just time out on a starved vCPU) stop capturing; playback goes on.
            guard r.status == 0 else {
                failures += 1
                if failures >= 3 { return }
                continue
            }
            failures = 0
            if r.output != lastScreen {
                lastScreen = r.output
                link.send(.screen(GuestScreen(frame: job.frame, clipFrame: job.clipFrame, text: r.output)))
            }
        }
    }

    /// Runs tmux on this session's server socket; its status and standard output.
    static func run(_ arguments: [String]) -> (status: Int32, output: String) {
        let env = ["HOME": home, "TERM": "screen", "LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        try? FileTree.makeDirectories(home)
        guard let r = try? ChildProcess.run(tmux, ["-u", "-S", home + "/tmux.sock"] + arguments, extraEnvironment: env, timeout: 20) else {
            return (-1, "\(tmux) could not be started")
        }
        return (r.timedOut ? -1 : r.status, r.stdoutText + (r.status == 0 ? "" : r.stderrText))
    }
}
