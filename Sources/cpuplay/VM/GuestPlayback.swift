import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayGuestLink
import CPUPlayLoad
import CPUPlayMeasure
import CPUPlaySystem
import CPUPlayTerminal
import CPUPlayVirt
import Foundation

/// `vm play`'s stop request: the process-wide one the stop signals set (see `StopSignals`).
let vmPlayStop = StopSignal.process

/// One `vm play` run: everything decided up front (plan, clip, image), then boot, play, stream
/// and tear down, with the guest stopped and its files removed on every path out.
final class GuestPlayback {
    struct Outcome {
        var report: VMPlayReport
        /// The signal that ended the run, if one did.
        var signal: Int32?
        /// Why the run failed, if it did (thrown after the summary is printed).
        var failure: CPUPlayError?
    }

    let plan: VMPlan
    let layout: Layout
    let clip: Clip
    let options: VMPlayOptions
    let machine: GuestMachine
    let xml: String
    /// `--guest-viewer`: what the viewer in the guest drew, nil when not asked for.
    private(set) var viewerObservation: GuestViewerObservation?

    private init(plan: VMPlan, layout: Layout, clip: Clip, options: VMPlayOptions, machine: GuestMachine, xml: String) {
        self.plan = plan
        self.layout = layout
        self.clip = clip
        self.options = options
        self.machine = machine
        self.xml = xml
    }

    /// TCG in QEMU before 9.0 emulates no x2APIC, so APIC ids stop at 254.
    static let tcgMaxVCPUs = 255

    static func prepare(input: String?, shape: VMShapeOptions, engine: PlayEngineOptions, shaping: LevelShapingOptions,
                        options: VMPlayOptions, correction: CorrectionSettings? = nil, viewer: ScreenViewer? = nil) throws -> GuestPlayback {
        var request = try shape.request()
        guard let n = request.vcpus else {
            throw CPUPlayError(.invalidArgument, subject: "--vcpus", "--vcpus is required: how many vCPUs the guest gets (1 to \(tcgMaxVCPUs) under TCG)")
        }
        guard n >= 1 else { throw CPUPlayError(.invalidArgument, subject: "--vcpus", value: "\(n)", "--vcpus \(n) is not a vCPU count; give 1 or more") }
        let type = request.type ?? .qemu
        request.type = type
        if type == .qemu, n > tcgMaxVCPUs {
            throw CPUPlayError(.invalidArgument, subject: "--vcpus", value: "\(n)", "--vcpus \(n) is above the \(tcgMaxVCPUs) vCPUs a TCG guest can have here: \(QEMUVersion.describe()) emulates no x2APIC under TCG, so APIC ids stop at 254; use at most \(tcgMaxVCPUs), or --type kvm where KVM works (or QEMU 9.0 or later)")
        }
        for (given, flag) in [(engine.cpuOption.cpus != nil, "--cpus"), (engine.overcommit, "--overcommit"), (engine.frameSocket != nil, "--frame-socket"), (engine.onFrame != nil, "--on-frame")] where given {
            throw CPUPlayError(.invalidArgument, subject: flag, "\(flag) is a host playback option; vm play draws one pixel per guest vCPU and has no frame socket or hook")
        }
        let layoutText: String
        switch engine.placement.layout {
        case .rows: layoutText = "rows"
        case .htop: layoutText = "htop"
        case .btop(let h): layoutText = "btop:\(h)"
        case .file(let path):
            throw CPUPlayError(.invalidArgument, subject: "--layout", value: path, "--layout file:\(path): layout files are not taken into the guest; use rows, htop or btop[:H]")
        }
        let kernel = try GuestKernel.locate(explicit: options.kernel)
        if let record = options.record { _ = try OutputTarget(record, option: "--record") }
        let guestCPUs = CPUSet(0..<n)
        let (layout, clip, playerOptions) = try Self.shape(input: input, engine: engine, shaping: shaping, cpus: guestCPUs)

        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let image = try GuestImage.locate(executableDirectory: executable)
        let viewerTools = try viewer.map { v throws(CPUPlayError) in try GuestViewerTools.locate(viewer: v.rawValue) }
        let base = try image.base(viewerTools: viewerTools) { progress in _ = DescriptorWrite.all("cpuplay: \(progress)\n", to: FileDescriptor.standardError.rawValue) }
        let located = EmbeddedQEMUDriver.locate()
        guard let driver = located.driver else {
            throw CPUPlayError(.toolFailed, subject: "virsh", "vm play needs libvirt's QEMU driver: \(located.reason ?? "not available"); run bash Scripts/install-deps.sh")
        }

        let machine = try GuestMachine(driver: driver, domainName: "cpuplay-play-\(ProcessFacts.id)")
        do {
            // The per-run archive (clip + arguments) appended to the cached image.
            let clipPath = machine.directory.appendingPathComponent("clip.y4m").path
            let writer = try Y4MWriter(OutputTarget(clipPath, option: "clip"), grid: clip.grid, frameRate: clip.frameRate)
            try writer.append(clip)
            try writer.finish()
            var arguments = ["--clip", "/cpuplay/clip.y4m", "--stream", "/dev/ttyS1", "--layout", layoutText,
                             "--grid", layout.name.hasPrefix("rows") ? "\(layout.grid)" : "auto",
                             "--pwm-slices", "\(playerOptions.pwmSlices)", "--pixel-priority", playerOptions.pixelPriority.rawValue]
            if playerOptions.loop { arguments.append("--loop") }
            if let d = playerOptions.duration { arguments += ["--duration", "\(d)"] }
            if let correction { arguments += ["--correct", "--viewer", correction.viewer.rawValue] }
            if let viewer { arguments += ["--guest-viewer", viewer.rawValue] }
            guard var initrd = FileManager.default.contents(atPath: base.path.path).map(Array.init),
                  let clipBytes = FileManager.default.contents(atPath: clipPath) else {
                throw CPUPlayError(.unreadableInput, subject: base.path.path, "cannot read the guest image \(base.path.path)")
            }
            while initrd.count % 4 != 0 { initrd.append(0) }
            initrd += GuestImage.runArchive(clip: Array(clipBytes), arguments: arguments)
            let initrdPath = machine.directory.appendingPathComponent("initrd").path
            do throws(Errno) { try SystemFile.write(initrd, to: initrdPath) } catch {
                throw CPUPlayError.writeFailed("cannot write the guest's initramfs \(initrdPath): \(error)")
            }

            request.os = .linux
            request.name = machine.domainName
            request.kernel = kernel
            request.initrd = initrdPath
            // no_timer_check: on a loaded host TCG is too slow for the kernel's IO-APIC timer check,
            // which then panics ("IO-APIC + timer doesn't work"); a VM has no broken timer to catch.
            request.cmdline = "console=ttyS0 quiet panic=-1 no_timer_check"
            request.serials = ["file:\(machine.consolePath)", "file:\(machine.streamPath)"]
            request.nohzFull = options.nohzFull
            request.memoryMiB = request.memoryMiB ?? max(512, 8 * n)
            let host = HostFacts.gather(machine: request.machine ?? VMPlanner.defaultMachine, type: type, askLibvirt: false)
            let plan = try VMPlanner().plan(request, host: host)
            let xml = DomainXML.string(for: plan)
            if options.verbose {
                for line in plan.explanation { _ = DescriptorWrite.all("cpuplay: \(line)\n", to: FileDescriptor.standardError.rawValue) }
                _ = DescriptorWrite.all("cpuplay: run directory \(machine.directory.path); guest image \(base.path.path)\(base.built ? " (built now)" : "")\n", to: FileDescriptor.standardError.rawValue)
            }
            for w in plan.warnings { _ = DescriptorWrite.all("warning: \(w)\n", to: FileDescriptor.standardError.rawValue) }
            if let keep = options.keepXml { try VMPlayOutputs.write(Array(xml.utf8), to: keep, what: "--keep-xml") }
            let playback = GuestPlayback(plan: plan, layout: layout, clip: clip, options: options, machine: machine, xml: xml)
            playback.viewerObservation = viewer.map { GuestViewerObservation(viewer: $0, clip: clip, layout: layout, loop: playerOptions.loop) }
            return playback
        } catch {
            machine.tearDown()
            throw error
        }
    }

    /// The layout over the guest's CPUs and the input converted to its grid, as `play` decides
    /// them for the host's CPUs (PlaySetup), without the host-only parts (fleet regions, --cpus).
    static func shape(input: String?, engine: PlayEngineOptions, shaping: LevelShapingOptions, cpus: CPUSet) throws -> (Layout, Clip, PlayerOptions) {
        let playerOptions = try engine.playerOptions()
        let source = try PlaySetup.openSource(input, engine: engine, shaping: shaping, options: playerOptions)
        let (layout, clip) = try PlaySetup.layOut(source, engine: engine, cpus: cpus, displayed: cpus, options: playerOptions, budget: .standard)
        return (layout, clip, playerOptions)
    }

    /// Boots, plays and streams until the guest ends, fails, or a signal arrives; the guest is
    /// always torn down before this returns.
    func run() throws -> Outcome {
        let session = options.view ? TerminalSession() : nil
        // A stop signal ends the loop below; the guest is torn down and the report printed.
        StopSignals.honourUntilExit()
        let status = VMPlayStatus(enabled: session == nil && ProcessFacts.isTerminal(2) && ProcessInfo.processInfo.environment["TERM"] != "dumb")
        let recorder: ObservationRecorder?
        do { recorder = try options.record.map { try ObservationRecorder(OutputTarget($0, option: "--record"), grid: layout.grid, frameRate: clip.frameRate) } } catch {
            machine.tearDown()
            session?.restore()
            throw error
        }
        let observation = GuestObservation(clip: clip, layout: layout)
        let view = LiveView(numbers: false)
        let clock = MonotonicClock()
        let start = clock.now()
        var hello: GuestHello?
        var lastLevels: [UInt8]?
        var bootSeconds: Double?
        var guestReport: [String: Any]?
        var guestFailure: String?
        var ended = false
        var failure: CPUPlayError?
        var endedBy = "end"

        func handle(_ messages: [GuestMessage]) {
            for m in messages {
                switch m {
                case .hello(let h):
                    hello = h
                    bootSeconds = Double(clock.now() - start) / 1e9
                case .frame(let s):
                    let levels = observation.add(s)
                    viewerObservation?.add(s)
                    // One recorded frame per played frame: a window spanning dropped frames (or
                    // frames before the first window) stands for each of them.
                    if let recorder { while Int64(recorder.frames) < s.frame + Int64(max(1, s.covered)) { try? recorder.append(levels) } }
                    lastLevels = levels
                    if let session { draw(session, view: view, frame: s, observed: levels) }
                    status.playing(frame: s.frame, planned: nil, dropped: s.dropped)
                case .screen(let screen): viewerObservation?.add(screen)
                case .report(let json):
                    guestReport = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
                case .failure(let text): guestFailure = text
                case .end: ended = true
                }
            }
        }

        failure = startGuest()
        let reader = GuestStreamReader(path: machine.streamPath)
        var nextQEMUSearch: Int64 = 0
        var nextBootDraw: Int64 = 0
        while failure == nil {
            if let sig = vmPlayStop.signal ?? (session?.interruptRequested == true ? SIGINT : nil) {
                _ = sig
                endedBy = "signal"
                break
            }
            handle(reader?.poll() ?? [])
            if ended { break }
            if machine.qemu == nil, clock.now() >= nextQEMUSearch {
                nextQEMUSearch = clock.now() + 500_000_000
                if let q = machine.findQEMU(), options.verbose {
                    _ = DescriptorWrite.all("cpuplay: qemu pid \(q.pid)\n", to: FileDescriptor.standardError.rawValue)
                }
            }
            let virshGone = machine.virsh?.isRunning == false || machine.domainStopped
            let qemuGone = machine.qemu.map { !$0.isRunning } ?? false
            if virshGone || qemuGone {
                ProcessFacts.sleep(microseconds: 50_000)
                handle(reader?.poll() ?? [])
                if ended { break }
                if hello == nil {
                    failure = CPUPlayError(.toolFailed, subject: "virsh", "the guest did not boot: \(Self.virshErrors(machine.virshLog)); console: \(Self.orNothing(machine.consoleTail()))")
                } else {
                    failure = CPUPlayError(.system, "the guest stopped mid-play after frame \(observation.lastFrame + 1) (QEMU exited); console: \(Self.orNothing(machine.consoleTail()))")
                }
                endedBy = "guest stopped"
                break
            }
            if hello == nil, machine.virshLog.lowercased().contains("error:") {
                // define or start failed; virsh would go on to wait for events that never come.
                failure = CPUPlayError(.toolFailed, subject: "virsh", "the guest did not boot: \(Self.virshErrors(machine.virshLog)); console: \(Self.orNothing(machine.consoleTail()))")
                endedBy = "guest stopped"
                break
            }
            if hello == nil {
                let waited = Double(clock.now() - start) / 1e9
                if waited > options.bootTimeout.seconds {
                    failure = CPUPlayError(.system, "the guest was not ready to play within \(Self.seconds(options.bootTimeout.seconds)) s (--boot-timeout); console: \(Self.orNothing(machine.consoleTail()))")
                    endedBy = "boot timeout"
                    break
                }
                status.booting(seconds: waited, console: machine.consoleTail(lines: 1))
                if let session, clock.now() >= nextBootDraw {
                    nextBootDraw = clock.now() + 250_000_000
                    // The console's last line only when the guest has printed one (quiet boots print
                    // nothing for seconds): no empty field between the separators.
                    let parts = [String(format: "booting a %d-vCPU guest: %.1f s", plan.vcpus, waited),
                                 String(machine.consoleTail(lines: 1).suffix(50)), "Ctrl-C stops"]
                    let line = parts.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: " · ")
                    try session.draw(view.renderer.screen(TileImage(lines: [], columns: 0), status: [String(line.prefix(LiveView.size.columns))]))
                }
            }
            ProcessFacts.sleep(microseconds: 10_000)
        }
        if ended, let text = guestFailure {
            failure = CPUPlayError(.system, "the guest player failed: \(text)")
            endedBy = "guest error"
        }
        // A guest that ended powers itself off; give it a moment, then stop whatever is left.
        if ended { _ = machine.qemu?.wait(seconds: 10) }
        machine.tearDown()
        status.clear()
        session?.restore()
        if let recorder {
            // The clock ends at t0 + N*T without publishing frames dropped at the very end.
            if let total = guestReport?["frames_total"] as? Int, let levels = lastLevels {
                while recorder.frames < total { try? recorder.append(levels) }
            }
            if observation.samples > 0 { try? recorder.finish() } else { recorder.cancel() }
        }
        let signal = vmPlayStop.signal ?? (endedBy == "signal" ? SIGINT : nil)
        if signal != nil { endedBy = "signal \(signal!)" }
        let stats = observation.errorStatistics
        let t = plan.topology
        let report = VMPlayReport(
            vcpus: plan.vcpus, hostCPUs: plan.placement?.hostCPUs.count ?? 0,
            topologyRequested: GuestTopology(sockets: t.sockets, dies: t.dies, cores: t.cores, threads: t.threads),
            topologySeen: hello?.topology, bootSeconds: bootSeconds,
            guestUptimeAtReadySeconds: hello.map { Double($0.uptimeMilliseconds) / 1000 },
            framesTotal: guestReport?["frames_total"] as? Int ?? observation.samples,
            framesShown: guestReport?["frames_shown"] as? Int ?? observation.samples,
            framesDropped: guestReport?["frames_dropped"] as? Int ?? Int(observation.dropped),
            ticksPerWall: observation.ticksPerWall, errorMeanPercent: stats.mean, errorP99Percent: stats.p99,
            biasPercent: observation.biasPercent, frameMeanBiasPercent: observation.frameMeanBiasPercent, nohzFull: plan.directBoot?.commandLine.contains("nohz_full=") ?? false,
            endedBy: endedBy, guest: guestReport, guestViewer: viewerObservation)
        return Outcome(report: report, signal: signal, failure: failure)
    }

    /// Starts virsh; the error, if it could not.
    private func startGuest() -> CPUPlayError? {
        do {
            try machine.start(domainXML: xml, waitSeconds: Int(options.bootTimeout.seconds) + 86_400)
        } catch {
            return error
        }
        if options.verbose, let v = machine.virsh { _ = DescriptorWrite.all("cpuplay: virsh pid \(v.pid)\n", to: FileDescriptor.standardError.rawValue) }
        return nil
    }

    private func draw(_ session: TerminalSession, view: LiveView, frame s: GuestFrameSample, observed: [UInt8]) {
        let line = "\(plan.vcpus) vCPUs · frame \(s.frame + 1)/\(clip.frameCount) · \(clip.frameRate) fps · dropped \(s.dropped) · Ctrl-C stops"
        // A terminal that stops taking output is gone (SIGHUP ends the run).
        try? view.drawComparison(intended: Array(clip.frame(min(max(0, s.clipFrame), clip.frameCount - 1))), intendedGrid: clip.grid,
                                 observed: observed, observedGrid: layout.grid, frame: s.frame,
                                 observedTitle: "guest observed (/proc/stat)", status: line, session: session)
    }

    static func virshErrors(_ log: String) -> String {
        let errors = log.split(separator: "\n").filter { $0.lowercased().hasPrefix("error:") }.map { $0.dropFirst(6).trimmingCharacters(in: .whitespaces) }
        return errors.isEmpty ? "virsh ended without an error message" : errors.joined(separator: "; ")
    }

    static func orNothing(_ s: String) -> String { s.isEmpty ? "(nothing printed)" : s }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(s) }
}
