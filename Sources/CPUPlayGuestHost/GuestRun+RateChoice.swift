import CPUPlayClip
import CPUPlayCore
import CPUPlayMeasure
import CPUPlaySystem

/// `vm play --fps auto` on the host's side of the loop: the guest's choice arrives after its
/// hello and before its first frame; the clip, the observation and the recording follow it.
extension GuestRun {
    /// True while an auto run waits for the guest's choice.
    var awaitingRate: Bool { playback.settings.fpsAutoMaxError != nil && playback.fpsAuto == nil }

    /// Takes the guest's outcome: retimes the clip, starts the observation (and the recording)
    /// at the chosen rate and says the choice in one line. A choice that cannot be taken ends
    /// the run with one line.
    func choose(json: String) {
        guard awaitingRate else {
            refuse("the guest sent a frame rate choice that was not asked for")
            return
        }
        let settings = playback.settings
        do {
            let choice = try GuestRateChoice(json: json, carrier: settings.clip)
            playback.timeline.mark("fps auto calibration")
            recorder = try Self.recorder(settings, rate: choice.clip.frameRate)
            playback.clip = choice.clip
            playback.fpsAuto = choice.outcome
            observation = GuestObservation(clip: choice.clip, layout: settings.layout)
            viewerObservation = settings.guestViewer.map {
                GuestViewerObservation(viewer: $0, clip: choice.clip, layout: settings.layout,
                                       loop: settings.player.loop)
            }
            say(choice.line(settings.settingNames))
        } catch {
            failure = (error as? CPUPlayError) ?? CPUPlayError(.system, setting: nil, "\(Setting.fps) auto: \(error)")
            endedBy = "guest error"
        }
    }

    /// Ends the run: the guest said something out of turn.
    func refuse(_ text: SettingText) {
        guard failure == nil else { return }
        failure = CPUPlayError(.system, setting: nil, text)
        endedBy = "guest error"
    }

    /// One line on standard error, past the status line.
    func say(_ text: String) {
        status.clear()
        note(text)
    }

    /// `--record`'s writer at `rate` (nil without --record).
    static func recorder(_ settings: GuestPlaybackSettings, rate: FrameRate) throws -> ObservationRecorder? {
        try settings.record.map {
            try ObservationRecorder(OutputTarget($0, option: "\(Setting.record)", overwrite: settings.overwrite),
                                    grid: settings.layout.grid, frameRate: rate)
        }
    }
}
