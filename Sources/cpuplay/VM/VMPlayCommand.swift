import CPUPlaySystem
import ArgumentParser
import Foundation

/// `cpuplay vm play [INPUT] --vcpus N`: boots a throwaway guest and plays the clip inside it.
struct VMPlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Boot a throwaway Linux guest with N vCPUs, play the clip on all of them, and show what the guest's /proc/stat drew.",
        discussion: """
        The input is converted here (any video, clip or pattern, as for play) onto a grid of the \
        guest's CPUs. The guest is written by the same planner as 'vm xml' (TCG unless --type kvm), \
        booted straight from a kernel under libvirt's embedded QEMU driver (no daemon, no root, no \
        disk), and plays with the same engine as 'play'. Each frame the guest reads its per-CPU \
        /proc/stat as htop would and sends it back over a serial port; --view shows intended and \
        observed side by side, --record keeps the observed picture, --export renders it as a video with the input's sound, --report writes the figures. \
        The guest image (kernel + a small initramfs with cpuplay-guest and busybox) is cached and \
        rebuilt when the guest player changes. Ctrl-C or SIGTERM at any moment stops the guest, \
        leaves no QEMU, virsh or temporary files behind and exits 130 or 143.

        A kernel: run bash Scripts/install-deps.sh once (it fetches Debian's linux-image-amd64 into \
        ~/.cache/cpuplay/guest without installing it), or pass --kernel PATH.

        Example: cpuplay vm play --vcpus 16 --cores 8 --threads 2 --view
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
        if let export = exporting.export {
            try RenderInputs.refuseOverwrite(output: export, inputs: [source.input, options.record, options.report].compactMap { $0 })
        }
        let scratch = exporting.export != nil && options.record == nil ? try ExportOptions.scratchForRecording() : nil
        if let scratch { options.record = ExportOptions.recording(in: scratch) }
        defer { scratch?.remove() }
        let playback = try GuestPlayback.prepare(input: source.input, shape: shape, engine: engine, shaping: shaping, options: options,
                                                 correction: try feedback.settings(), viewer: try guestViewer.viewer(layout: engine.placement.layout))
        let outcome = try playback.run()
        try StandardOutput.line(outcome.report.table)
        if let path = options.report { try VMPlayOutputs.writeJSON(outcome.report, to: path) }
        if let sig = outcome.signal { throw ExitCode(128 + sig) }
        if let failure = outcome.failure { throw failure }
        if let export = exporting.export, let recording = options.record {
            try ExportOptions.render(to: export, style: try exporting.look.parsedStyle(), size: try exporting.look.parsedSize(),
                                     recording: recording, clip: playback.clip, layout: playback.layout, input: source.input)
        }
    }
}
