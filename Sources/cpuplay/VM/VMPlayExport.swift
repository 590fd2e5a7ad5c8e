import ArgumentParser
import CPUPlayGuestHost
import CPUPlayCore
import CPUPlaySystem
import CPUPlayTerminal

/// `vm play --export`: the guest's observed frames rendered beside the clip, `q` stopping it.
enum VMPlayExport {
    static func render(to output: String, overwrite: Bool, look: RenderLookOptions, recording: String,
                       playback: GuestPlayback,
                       input: String?) throws {
        // q requests the process's stop without a signal: the render ends, removes its partial
        // file and says so; the run still ends well (exit 0), its report already printed.
        let quitKey = QuitKey(stop: .process)
        defer { quitKey.finish() }
        do {
            try ExportRender(output: output, overwrite: overwrite, style: try look.parsedStyle(),
                             size: try look.parsedSize(), recording: recording, clip: playback.clip,
                             layout: playback.layout, input: input).run()
        } catch let code as ExitCode where StopSignal.process.isRequested && StopSignal.process.signal == nil {
            _ = code
            _ = DescriptorWrite.all("cpuplay: q stopped the export; \(output) was not written\n",
                                    to: FileDescriptor.standardError.rawValue)
        }
    }
}
