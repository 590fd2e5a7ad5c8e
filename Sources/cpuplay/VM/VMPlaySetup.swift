import CPUPlayClip
import CPUPlayEngine
import CPUPlayLoad
import CPUPlayGuestHost
import CPUPlayCore
import CPUPlayPlayback
import CPUPlaySystem
import CPUPlayVirt

/// `vm play`'s options turned into the library's settings: the checks that name options, and
/// the clip laid out over the guest's CPUs as `play` lays it out over the host's (PlaySetup).
enum VMPlaySetup {
    static func settings(input: String?, shape: VMShapeOptions, engine: PlayEngineOptions, shaping: LevelShapingOptions,
                         options: VMPlayOptions, correction: CorrectionSettings?,
                             viewer: ScreenViewer?) throws -> GuestPlaybackSettings {
        var request = try shape.request()
        let n = try vcpus(request)
        request.vcpus = n
        request.type = request.type ?? .qemu
        if request.type == .qemu, n > GuestPlayback.tcgMaxVCPUs {
            throw CPUPlayError(.invalidArgument, subject: "--vcpus", value: "\(n)",
                    "--vcpus \(n) is above the \(GuestPlayback.tcgMaxVCPUs) vCPUs a TCG guest can have here: "
                        + "\(QEMUVersion.describe()) emulates no x2APIC under TCG, so APIC ids stop at 254; use at "
                        + "most \(GuestPlayback.tcgMaxVCPUs), or --type kvm where KVM works (or QEMU 9.0 or later)")
        }
        try refuseHostOptions(engine)
        let kernel = try GuestKernel.locate(explicit: options.kernel)
        if let record = options.record {
            _ = try OutputTarget(record, option: "--record", overwrite: options.overwrite)
        }
        var engine = engine
        // --fps auto, also without --fps (what a guest draws well depends on its host's load and
        // on the picture): the clip is carried at the highest rate auto may choose; the guest
        // calibrates once ready and both sides retime it to the chosen rate (GuestRateChoice).
        if engine.fps == nil { engine.fps = .auto }
        let maxError = try engine.maxErrorPoints()
        let auto = engine.fps == .auto
        if auto { engine.fps = .rate(GuestRateChoice.carrierRate) }
        let player = try engine.playerOptions()
        let source = try PlaySetup.openSource(input, engine: engine, shaping: shaping, options: player)
        let cpus = CPUSet(0..<n)
        let (layout, clip) = try PlaySetup.layOut(source, engine: engine, cpus: cpus, displayed: cpus, options: player,
                                                  budget: .standard)
        var s = GuestPlaybackSettings(request: request, layoutKind: engine.placement.layout, layout: layout, clip: clip,
                                      player: player, kernel: kernel)
        s.nohzFull = options.nohzFull
        s.settingNames = OptionSubjects.names
        s.bootTimeoutSeconds = options.bootTimeout.seconds
        s.bootRetryAfterSeconds = options.bootRetryAfter?.seconds
        s.view = options.viewResolved
        s.quitKey = ProcessFacts.isTerminal(0)
        s.record = options.record
        s.keepXML = options.keepXml
        s.overwrite = options.overwrite
        s.verbose = options.verbose
        s.correction = correction
        s.guestViewer = viewer
        s.fpsAutoMaxError = auto ? maxError : nil
        return s
    }

    /// `--vcpus`, or without it the guest `play`'s grid advice names for this machine (8 per usable
    /// host CPU, 16 to 255), stated in one line so the choice is never silent.
    private static func vcpus(_ request: VMRequest) throws -> Int {
        guard let n = request.vcpus else {
            let usable = try AllowedCPUs.current().usable.count
            let n = GridAdvice.guestVCPUs(hostCPUs: usable)
            Console.note("no --vcpus: a \(n)-vCPU guest (\(GridAdvice.vcpusPerHostCPU) per host CPU, "
                + "\(usable) usable here)")
            return n
        }
        guard n >= 1 else {
            throw CPUPlayError(.invalidArgument, subject: "--vcpus", value: "\(n)",
                               "--vcpus \(n) is not a vCPU count; give 1 or more")
        }
        return n
    }

    /// Host playback options have no meaning in a guest; `--layout file:` is not taken in.
    private static func refuseHostOptions(_ engine: PlayEngineOptions) throws {
        let given = [(engine.cpuOption.cpus != nil, "--cpus"), (engine.overcommit, "--overcommit"),
                     (engine.frameSocket != nil, "--frame-socket"), (engine.onFrame != nil, "--on-frame")]
        for (isGiven, flag) in given where isGiven {
            throw CPUPlayError(.invalidArgument, subject: flag,
                    "\(flag) is a host playback option; vm play draws one pixel per guest vCPU and has no "
                        + "frame socket or hook")
        }
        if case .file(let path) = engine.placement.layout {
            throw CPUPlayError(.invalidArgument, subject: "--layout", value: path,
                    "--layout file:\(path): layout files are not taken into the guest; use rows, htop or btop[:H]")
        }
    }
}
