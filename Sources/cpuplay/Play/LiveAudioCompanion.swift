import CPUPlayAudio
import CPUPlayClip
import CPUPlayCore
import CPUPlayEngine
import CPUPlayMedia
import CPUPlayRender
import CPUPlayPlayback
import CPUPlaySystem
import CPUPlayTerminal
import Foundation

/// `play --audio`: the input's soundtrack, started when frame 0 is published (the sound
/// thread aligns it to frame 0's deadline) and stopped with the playback.
final class LiveAudioCompanion: PlayCompanion, Sendable {
    let soundtrack: LiveSoundtrack

    init(soundtrack: LiveSoundtrack) { self.soundtrack = soundtrack }

    /// True when `input` is a media file that may carry sound (not a pattern or a clip).
    static func hasSoundtrack(_ input: String) -> Bool {
        !TestPattern.isPattern(input) && !((try? Y4MReader.header(path: input))?.isMono ?? false)
    }

    /// The companion, or nil with one notice when there is nothing to hear or nowhere to play it.
    static func make(input: String?, setup: PlaySetup, device name: SoundDeviceName) -> LiveAudioCompanion? {
        func notice(_ text: String) -> LiveAudioCompanion? {
            _ = DescriptorWrite.all("notice: \(text); playing without sound\n", to: .standardError)
            return nil
        }
        guard let source = input ?? (try? SampleLocator.find()) else { return notice("no input to take sound from") }
        guard hasSoundtrack(source) else { return notice("\(CPUPlayError.quoted(source)) is a pattern or a clip and has no soundtrack") }
        let reader: SoundtrackReader
        do {
            guard let r = try SoundtrackReader.open(source) else { return notice("\(CPUPlayError.quoted(source)) has no audio stream") }
            reader = r
        } catch { return notice("\(CPUPlayError.quoted(source)): \(error)") }
        let clip = setup.clip
        let frames = setup.player.frameLimit.map(Int.init) ?? clip.frameCount * 10_000
        let range = PlayedRange(frameRate: clip.frameRate, framesPlayed: frames, clipFrames: clip.frameCount)
        let stretches = range.segments.map { (start: range.seconds($0.clipStart), end: range.seconds($0.clipEnd)) }
        do {
            let device = try SoundDevice(device: name, sampleRate: 48_000, channels: 2)
            let soundtrack = try LiveSoundtrack(reader: reader, stretches: stretches, device: device, frameSeconds: 1 / clip.frameRate.framesPerSecond)
            return LiveAudioCompanion(soundtrack: soundtrack)
        } catch {
            return notice("\(error)")
        }
    }

    func frame(_ progress: FrameProgress) {
        soundtrack.start(t0: progress.startNanoseconds)
    }

    func finish(_ result: PlaybackResult) throws -> [String] {
        guard let figures = soundtrack.stop() else { return [] }
        return [LiveSoundtrack.summary(figures)]
    }

    func cancel() { _ = soundtrack.stop() }
}
