import CPUPlayClip
import CPUPlayEngine
import CPUPlayGuestLink
import CPUPlayCore
import CPUPlaySystem
import CPUPlayMeasure
import CPUPlayTerminal
import CPUPlayVirt
import Foundation

extension GuestPlayback {
    /// How a run ended.
    public struct Outcome {
        public var report: VMPlayReport
        /// The signal that ended the run, if one did.
        public var signal: Int32?
        /// True when `q` ended it (a normal end: exit 0, report printed).
        public var quit: Bool
        /// Why the run failed, if it did (thrown after the summary is printed).
        public var failure: CPUPlayError?
    }

    /// Boots, plays and streams until the guest ends, fails, `q` or a stop signal; the guest is
    /// always torn down (and the terminal restored) before this returns.
    public func run() throws -> Outcome {
        // A stop signal ends the loop below; the guest is torn down and the report printed.
        StopSignals.honourUntilExit()
        let run = try GuestRun(self)
        run.loop()
        return run.finish()
    }
}

/// The state of one boot-and-play loop: what the guest said so far, and the views of it.
final class GuestRun {
    let playback: GuestPlayback
    let machine: GuestMachine
    let session: TerminalSession?
    let quitKey: QuitKey?
    let quit = StopSignal()
    let status: VMPlayStatus
    var recorder: ObservationRecorder?
    var observation: GuestObservation
    var viewerObservation: GuestViewerObservation?
    let view: LiveView
    let clock = MonotonicClock()
    let estimate: Double?
    private(set) var start: Int64 = 0
    var hello: GuestHello?
    var lastLevels: [UInt8]?
    var bootSeconds: Double?
    var guestReport: [String: Any]?
    var guestFailure: String?
    var ended = false
    var failure: CPUPlayError?
    var endedBy = "end"
    private var nextQEMUSearch: Int64 = 0
    /// When this boot's QEMU was found (nil: not yet), for `bootWatch`.
    private var qemuFound: Int64?
    var bootWatch: BootWatch
    private var nextBootDraw: Int64 = 0

    init(_ playback: GuestPlayback) throws {
        self.playback = playback
        machine = playback.machine
        let settings = playback.settings
        view = LiveView(numbers: false, names: settings.settingNames)
        do {
            // With --fps auto the recording starts at the rate the guest chooses (GuestRun+RateChoice).
            let rate = settings.clip.frameRate
            recorder = try settings.fpsAutoMaxError == nil ? Self.recorder(settings, rate: rate) : nil
        } catch {
            machine.tearDown()
            throw error
        }
        session = settings.view ? TerminalSession() : nil
        quitKey = session == nil && settings.quitKey ? QuitKey(stop: quit) : nil
        let onTerminal = ProcessFacts.isTerminal(2) && ProcessInfo.processInfo.environment["TERM"] != "dumb"
        status = VMPlayStatus(enabled: session == nil && onTerminal)
        observation = GuestObservation(clip: settings.clip, layout: settings.layout)
        viewerObservation = settings.guestViewer.map {
            GuestViewerObservation(viewer: $0, clip: settings.clip, layout: settings.layout, loop: settings.player.loop)
        }
        estimate = BootEstimates.load().estimate(vcpus: playback.plan.vcpus)
        bootWatch = BootWatch(retryAfterSeconds: settings.bootRetryAfterSeconds
                                  ?? BootWatch.defaultBound(estimate: estimate))
    }

    var quitHint: String { session != nil || quitKey?.isActive == true ? "q quits" : "Ctrl-C stops" }

    /// Until the guest ends, fails, times out, `q` or a stop signal.
    func loop() {
        start = clock.now()
        failure = startGuest()
        var reader = GuestStreamReader(path: machine.streamPath)
        while failure == nil {
            if StopSignal.process.isRequested { endedBy = "signal"; break }
            if quitRequested() { endedBy = "q"; break }
            handle(reader?.poll() ?? [])
            if ended { break }
            followQEMU()
            if guestGone(reader) { break }
            if hello == nil, !waitForReady() || !watchBoot(&reader) { break }
            ProcessFacts.sleep(microseconds: 10_000)
        }
        if ended, let text = guestFailure {
            failure = CPUPlayError(.system, "the guest player failed: \(text)")
            endedBy = "guest error"
        }
    }

    /// `q` from the view's terminal or the quit-key watcher.
    func quitRequested() -> Bool {
        if quit.isRequested { return true }
        guard let session else { return false }
        while let key = session.pendingKey() { if key == UInt8(ascii: "q") || key == UInt8(ascii: "Q") { return true } }
        return false
    }

    /// How long virsh waits for the domain's events: past any boot and play.
    private var virshWaitSeconds: Int { Int(playback.settings.bootTimeoutSeconds) + 86_400 }

    /// Starts virsh; the error, if it could not.
    private func startGuest() -> CPUPlayError? {
        do {
            try machine.start(domainXML: playback.xml, waitSeconds: virshWaitSeconds)
        } catch {
            return error
        }
        playback.timeline.mark("virsh spawn")
        if playback.settings.verbose, let v = machine.virsh { note("virsh pid \(v.pid)") }
        return nil
    }

    func note(_ text: String) { _ = DescriptorWrite.all("cpuplay: \(text)\n",
                                                        to: FileDescriptor.standardError.rawValue) }

    /// Looks for QEMU (every 50 ms until found: its start time is a boot phase).
    private func followQEMU() {
        guard machine.qemu == nil, clock.now() >= nextQEMUSearch else { return }
        nextQEMUSearch = clock.now() + 50_000_000
        guard let q = machine.findQEMU() else { return }
        qemuFound = clock.now()
        playback.timeline.mark("libvirt define+start")
        if playback.settings.verbose { note("qemu pid \(q.pid)") }
    }

    /// True (with the failure set) when virsh or QEMU ended, or define/start failed.
    private func guestGone(_ reader: GuestStreamReader?) -> Bool {
        let virshGone = machine.virsh?.isRunning == false || machine.domainStopped
        let qemuGone = machine.qemu.map { !$0.isRunning } ?? false
        if virshGone || qemuGone {
            ProcessFacts.sleep(microseconds: 50_000)
            handle(reader?.poll() ?? [])
            if ended { return true }
            failure = hello == nil ? notBooted()
                : CPUPlayError(.system,
                        "the guest stopped mid-play after frame \(observation.lastFrame + 1) (QEMU exited); console: "
                            + "\(GuestPlayback.orNothing(machine.consoleTail()))")
            endedBy = "guest stopped"
            return true
        }
        if hello == nil, machine.virshLog.lowercased().contains("error:") {
            // define or start failed; virsh would go on to wait for events that never come.
            failure = notBooted()
            endedBy = "guest stopped"
            return true
        }
        return false
    }

    private func notBooted() -> CPUPlayError {
        CPUPlayError(.toolFailed, subject: "virsh",
                "the guest did not boot: \(GuestPlayback.virshErrors(machine.virshLog)); console: "
                    + "\(GuestPlayback.orNothing(machine.consoleTail()))")
    }

    /// Boots the guest again when it is not ready in time (`BootWatch`); false (with the failure
    /// set) when the boot again could not start.
    private func watchBoot(_ reader: inout GuestStreamReader?) -> Bool {
        let running = qemuFound.map { Double(clock.now() - $0) / 1e9 }
        guard bootWatch.bootAgain(runningSeconds: running) else { return true }
        let bound = GuestPlayback.seconds(bootWatch.retryAfterSeconds)
        let notice: SettingText = "notice: the guest was not ready \(bound) s after QEMU started "
            + "(\(Setting.bootRetryAfter)); booting it again, once"
        say(notice.rendered(playback.settings.settingNames))
        bootWatch.noteBootedAgain()
        qemuFound = nil
        do {
            try machine.bootAgain(domainXML: playback.xml, waitSeconds: virshWaitSeconds)
        } catch {
            failure = error
            return false
        }
        reader = GuestStreamReader(path: machine.streamPath)
        playback.timeline.mark("boot again")
        return true
    }

    /// Shows boot progress; false (with the failure set) once the boot timeout passed.
    private func waitForReady() -> Bool {
        let waited = Double(clock.now() - start) / 1e9
        let limit = playback.settings.bootTimeoutSeconds
        if waited > limit {
            failure = CPUPlayError(.system, setting: nil,
                    "the guest was not ready to play within \(GuestPlayback.seconds(limit)) s "
                        + "(\(Setting.bootTimeout)); "
                        + "console: \(GuestPlayback.orNothing(machine.consoleTail()))")
            endedBy = "boot timeout"
            return false
        }
        let console = machine.consoleTail(lines: 1)
        let bar = BootProgress(vcpus: playback.plan.vcpus, elapsed: waited, estimate: estimate)
        status.draw(bar.line(console: console, hint: quitHint, width: 100))
        if let session, clock.now() >= nextBootDraw {
            nextBootDraw = clock.now() + 250_000_000
            let width = LiveView.size.columns
            try? session.draw(view.renderer.screen(TileImage(lines: [], columns: 0),
                                                   status: [bar.line(console: console, hint: quitHint, width: width)]))
        }
        return true
    }
}
