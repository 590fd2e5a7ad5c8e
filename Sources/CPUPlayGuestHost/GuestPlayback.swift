import CPUPlayClip
import CPUPlayEngine
import CPUPlayLoad
import CPUPlayCore
import CPUPlaySystem
import CPUPlayVirt
import Foundation

/// One `vm play` run, prepared: the plan, the domain XML and the guest's initramfs written into
/// the machine's private run directory. `run()` (GuestRun) boots, plays and tears down; the
/// guest is stopped and its files removed on every path out.
public final class GuestPlayback {
    public let plan: VMPlan
    public let settings: GuestPlaybackSettings
    public let machine: GuestMachine
    public let xml: String
    /// When each preparation step ended (names in order), for the boot breakdown.
    public internal(set) var timeline: BootTimeline

    public var layout: Layout { settings.layout }
    /// What the guest plays: the settings' clip, or with `--fps auto` the carrier retimed to the
    /// rate the guest chose (once it chose).
    public internal(set) var clip: Clip
    /// How `--fps auto` chose the rate in the guest; nil for a given rate or before the choice.
    public internal(set) var fpsAuto: FrameRateCalibration.Outcome?

    init(plan: VMPlan, settings: GuestPlaybackSettings, machine: GuestMachine, xml: String, timeline: BootTimeline) {
        self.plan = plan
        self.settings = settings
        clip = settings.clip
        self.machine = machine
        self.xml = xml
        self.timeline = timeline
    }

    /// TCG in QEMU before 9.0 emulates no x2APIC, so APIC ids stop at 254.
    public static let tcgMaxVCPUs = 255

    /// Everything decided and written up front; `progress` receives one-line notes (an image
    /// being built). Nothing is left behind when this throws.
    public static func prepare(_ settings: GuestPlaybackSettings,
                               progress: @escaping (String) -> Void) throws -> GuestPlayback {
        var timeline = BootTimeline()
        let (image, driver) = try locateTools(settings, progress: progress, timeline: &timeline)
        let machine = try GuestMachine(driver: driver, domainName: "cpuplay-play-\(ProcessFacts.id)")
        do {
            let initrd = try writeInitramfs(settings, base: image.path, into: machine)
            timeline.mark("initramfs")
            // Booted through its PVH entry, the kernel skips decompressing itself at emulated speed.
            let cache = GuestKernel.cacheDirectory()
            let unpacked = PVHKernel.uncompressed(settings.kernel, cache: cache, digests: FileDigests(directory: cache))
            let kernel = unpacked ?? settings.kernel
            timeline.mark("kernel unpack")
            let plan = try planGuest(settings, machine: machine, initrd: initrd, kernel: kernel)
            let xml = DomainXML.string(for: plan)
            if settings.verbose {
                for line in plan.explanation { progress(line) }
                progress("run directory \(machine.directory.path); guest image "
                    + "\(image.path.path)\(image.built ? " (built now)" : "")")
            }
            for w in plan.warnings {
                _ = DescriptorWrite.all("warning: \(w)\n", to: FileDescriptor.standardError.rawValue)
            }
            if let keep = settings.keepXML {
                let target = try OutputTarget(keep, option: "\(Setting.keepXML)", overwrite: settings.overwrite)
                try OutputFile.write(Array(xml.utf8), to: target)
            }
            timeline.mark("plan")
            return GuestPlayback(plan: plan, settings: settings, machine: machine, xml: xml, timeline: timeline)
        } catch {
            machine.tearDown()
            throw error
        }
    }

    /// The cached guest image (built when the player changed) and libvirt's embedded driver.
    static func locateTools(_ settings: GuestPlaybackSettings, progress: @escaping (String) -> Void,
                            timeline: inout BootTimeline) throws -> ((path: URL, built: Bool), EmbeddedQEMUDriver) {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let image = try GuestImage.locate(executableDirectory: executable)
        let viewerTools = try settings.guestViewer.map { v throws(CPUPlayError) in
            try GuestViewerTools.locate(viewer: v.rawValue)
        }
        let base = try image.base(viewerTools: viewerTools, progress: progress)
        timeline.mark("guest image")
        let located = EmbeddedQEMUDriver.locate()
        guard let driver = located.driver else {
            throw CPUPlayError(.toolFailed, subject: "virsh",
                    "vm play needs libvirt's QEMU driver: \(located.reason ?? "not available"); run bash "
                        + "Scripts/install-deps.sh")
        }
        timeline.mark("libvirt driver")
        return (base, driver)
    }

    /// The per-run initramfs: the cached image, padded to 4 bytes, then an archive with the clip
    /// and the player's arguments. Returns its path.
    static func writeInitramfs(_ settings: GuestPlaybackSettings, base: URL,
                               into machine: GuestMachine) throws -> String {
        let clipPath = machine.directory.appendingPathComponent("clip.y4m").path
        let writer = try Y4MWriter(OutputTarget(clipPath, option: "clip"), grid: settings.clip.grid,
                                   frameRate: settings.clip.frameRate)
        try writer.append(settings.clip)
        try writer.finish()
        guard var initrd = FileTree.contents(base.path), let clipBytes = FileTree.contents(clipPath) else {
            throw CPUPlayError(.unreadableInput, subject: base.path, "cannot read the guest image \(base.path)")
        }
        while initrd.count % 4 != 0 { initrd.append(0) }
        initrd += GuestImage.runArchive(clip: clipBytes, arguments: settings.guestArguments)
        let initrdPath = machine.directory.appendingPathComponent("initrd").path
        do throws(Errno) { try SystemFile.write(initrd, to: initrdPath) } catch {
            throw CPUPlayError.writeFailed("cannot write the guest's initramfs \(initrdPath): \(error)")
        }
        FileTree.removeTree(clipPath)
        return initrdPath
    }

    /// The guest's plan: the requested shape, booted straight from the kernel with the
    /// per-run initramfs, its console and link on two serial files.
    static func planGuest(_ settings: GuestPlaybackSettings, machine: GuestMachine, initrd: String,
                          kernel: String) throws -> VMPlan {
        var request = settings.request
        let n = request.vcpus ?? 1
        request.os = .linux
        request.name = machine.domainName
        request.kernel = kernel
        request.initrd = initrd
        // no_timer_check: on a loaded host TCG is too slow for the kernel's IO-APIC timer check,
        // which then panics ("IO-APIC + timer doesn't work"); a VM has no broken timer to catch.
        let words = ["console=ttyS0", "quiet", "panic=-1", "no_timer_check"] + DirectKernelBoot.fastBootWords
        request.cmdline = words.joined(separator: " ")
        request.serials = ["file:\(machine.consolePath)", "file:\(machine.streamPath)"]
        request.nohzFull = settings.nohzFull
        request.memoryMiB = request.memoryMiB ?? max(512, 8 * n)
        let type = request.type ?? .qemu
        let host = HostFacts.gather(machine: request.machine ?? VMPlanner.defaultMachine, type: type, askLibvirt: false)
        var plan = try VMPlanner().plan(request, host: host, names: settings.settingNames)
        plan.directBoot?.firmware = DirectKernelBoot.qbootPaths.first { FilePath.isReadable($0) }
        return plan
    }

    static func virshErrors(_ log: String) -> String {
        let errors = log.split(separator: "\n").filter { $0.lowercased().hasPrefix("error:") }
            .map { $0.dropFirst(6).trimmingCharacters(in: .whitespaces) }
        return errors.isEmpty ? "virsh ended without an error message" : errors.joined(separator: "; ")
    }

    static func orNothing(_ s: String) -> String { s.isEmpty ? "(nothing printed)" : s }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? String(Int(s)) : String(s) }
}
