import ArgumentParser
import CPUPlayAudio
import CPUPlayCore
import CPUPlayMedia
import CPUPlayRender
import CPUPlayPlayback
import CPUPlaySystem
import CPUPlayTerminal
import Foundation

/// `play`'s options for sharing what it plays: the soundtrack heard live (`--audio`), and a
/// video of what the graph showed, with that soundtrack, rendered when the run ends
/// (`--export`).
struct SharingOptions: ParsableArguments {
    @OptionGroup var exporting: ExportOptions

    /// The --export output, if asked for.
    var export: String? { exporting.export }

    @Flag(help: """
        Play the input's soundtrack while the CPUs play it, started on frame 0 and kept within a frame of the \
        picture.
        """)
    var audio = false

    @Option("--audio-device",
            help: ArgumentHelp("ALSA device for --audio: default (what PulseAudio or PipeWire serve), null, "
                + "hw:CARD,DEV, plughw:CARD,DEV or a name `aplay -L` lists.", valueName: "NAME"))
    var audioDevice = SoundDeviceName.default

    /// Starts observing as `observation` asks, plus what sharing needs: a recording for
    /// --export (a temporary one unless --record names it) and the live soundtrack.
    /// `outputs` holds play's checked outputs, --export among them (see `OutputCheck`).
    func start(_ observation: ObservationOptions, input: String?, setup: PlaySetup,
               outputs: OutputCheck) throws -> PlayObservation? {
        var record = outputs["--record"]
        let trace = outputs["--trace"]
        guard export != nil || audio else {
            return try observation.start(clip: setup.clip, layout: setup.layout, record: record, trace: trace)
        }
        var scratch: ScratchDirectory?
        if export != nil, record == nil {
            let made = try ExportOptions.scratchForRecording()
            record = try OutputTarget(ExportOptions.recording(in: made), option: "--export")
            scratch = made
        }
        let observing = try observation.start(clip: setup.clip, layout: setup.layout, record: record, trace: trace,
                                              force: true)!
        observing.announcesRecording = scratch == nil
        if audio, let live = LiveAudioCompanion.make(input: input, setup: setup, device: audioDevice) {
            observing.companions.append(live)
        }
        if let export, let recording = observing.recordingPath {
            let render = ExportRender(output: export, overwrite: outputs["--export"]?.overwrite ?? false,
                                      style: try exporting.look.parsedStyle(), size: try exporting.look.parsedSize(),
                                      recording: recording, clip: setup.clip, layout: setup.layout, input: input)
            observing.companions.append(ExportCompanion(render: render, scratch: scratch))
        }
        return observing
    }
}
