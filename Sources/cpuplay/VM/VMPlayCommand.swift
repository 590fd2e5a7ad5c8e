import CPUPlaySystem
import ArgumentParser
import CPUPlayGuestHost
import Foundation

/// `cpuplay vm play [INPUT] --vcpus N`: boots a throwaway guest and plays the clip inside it.
struct VMPlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Boot a throwaway Linux guest with N vCPUs, play the clip on all of them, and show what the guest's "
            + "/proc/stat drew.",
        discussion: """
        The input is converted here (any video, clip or pattern, as for play) onto a grid of the \
        guest's CPUs. The guest is written by the same planner as 'vm xml' (TCG unless --type kvm), \
        booted straight from a kernel under libvirt's embedded QEMU driver (no daemon, no root, no \
        disk), and plays with the same engine as 'play'. Each frame the guest reads its per-CPU \
        /proc/stat as htop would and sends it back over a serial port. On a terminal the intended \
        and observed pictures are shown side by side (--no-view for none; without a terminal \
        nothing is drawn), with a boot bar whose estimate is the last boot of a guest this size \
        on this machine; q quits at any moment with the report. The guest chooses the frame \
        rate (--fps auto, the default here): once ready it plays about 4 s of excerpts of the clip \
        on its vCPUs at 30 and 6 fps, and the clip plays at the highest rate expected to stay under \
        --max-error (said in one line and in the report); --fps 10 plays a given rate. \
        --record keeps the observed picture, --export renders it as a video with the input's \
        sound, --report writes the figures. \
        The guest image (kernel + a small initramfs with cpuplay-guest and busybox) is cached and \
        rebuilt when the guest player changes. Ctrl-C or SIGTERM at any moment stops the guest, \
        leaves no QEMU, virsh or temporary files behind and exits 130 or 143.

        A kernel: run bash Scripts/install-deps.sh once (it fetches Debian's linux-image-amd64 into \
        ~/.cache/cpuplay/guest without installing it), or pass --kernel PATH.

        Without --vcpus the guest gets 8 vCPUs per usable host CPU (16 at least, 255 at most), \
        the count play's grid advice names.

        Example: cpuplay vm play --vcpus 16 --cores 8 --threads 2
        """
    )

    @OptionGroup var source: InputArgument
    @OptionGroup var shape: VMShapeOptions
    @OptionGroup var engine: PlayEngineOptions
    @OptionGroup var shaping: LevelShapingOptions
    @OptionGroup var options: VMPlayOptions
    @OptionGroup var feedback: CorrectionOptions
    @OptionGroup var guestViewer: VMGuestViewerOptions
    @OptionGroup var exporting: ExportOptions

    func run() throws {
        // --export renders the guest's observed frames: from --record, or a recording made for it.
        var options = self.options
        _ = try OutputCheck(outputs: [("--record", options.record), ("--report", options.report),
                                      ("--keep-xml", options.keepXml),
                                      ("--export", exporting.export)], inputs: [("input", source.input)],
                                          overwrite: options.overwrite)
        let scratch = exporting.export != nil && options.record == nil ? try ExportOptions.scratchForRecording() : nil
        if let scratch { options.record = ExportOptions.recording(in: scratch) }
        defer { scratch?.remove() }
        let viewer = try guestViewer.viewer(layout: engine.placement.layout)
        let settings = try VMPlaySetup.settings(input: source.input, shape: shape, engine: engine, shaping: shaping,
                                                options: options, correction: try feedback.settings(), viewer: viewer)
        let playback = try GuestPlayback.prepare(settings) { note in _ = DescriptorWrite.all("cpuplay: \(note)\n",
                to: FileDescriptor.standardError.rawValue) }
        let outcome = try playback.run()
        // The file first: a closed terminal must not cost the --report JSON.
        if let path = options.report {
            try VMPlayOutputs.writeJSON(outcome.report, to: path, overwrite: options.overwrite)
        }
        try StandardOutput.line(outcome.report.table)
        if let sig = outcome.signal { throw ExitCode(128 + sig) }
        if let failure = outcome.failure { throw failure }
        if let export = exporting.export, let recording = options.record {
            try VMPlayExport.render(to: export, overwrite: options.overwrite, look: exporting.look,
                                    recording: recording, playback: playback, input: source.input)
        }
        if let viewer, !guestViewer.allowNoScreens, !outcome.quit, (outcome.report.guestViewer?.compared ?? 0) == 0 {
            let received = outcome.report.guestViewer?.received ?? 0
            _ = DescriptorWrite.all("warning: \(viewer.rawValue) in the guest: no screen was compared (\(received) "
                + "read, \(outcome.report.guestViewer?.unreadable ?? 0) unreadable), so the report has no viewer "
                + "figures; --allow-no-screens accepts such a run\n", to: FileDescriptor.standardError.rawValue)
            throw ExitCode(1)
        }
    }
}
