import CPUPlayAudio
import CPUPlayCore
import CPUPlayMedia
import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing

/// Live sound into ALSA's null device (no sound card needed): the assertions are on the
/// sound thread's own record of each write (when, what the device held, which sample), not
/// on wall-clock luck, so a busy machine cannot make them fail.
@Suite struct LiveSoundtrackTests {
    @Test func soundStartsOnFrameZeroAndPlaysTheWholeRangeInPlace() throws {
        let dir = try TemporaryDirectory()
        let source = dir.path("tone.mkv")
        try SystemTool.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=64x36:rate=30:duration=2", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2",
                               "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "libopus", source])
        guard let reader = try SoundtrackReader.open(source) else { Issue.record("no audio stream in the fixture"); return }
        let device = try SoundDevice(name: "null", sampleRate: 48_000, channels: 2)
        let frame = 1.0 / 30
        // 1.5 s of the clip, from clip second 0.25 (a cut), as the played range would give.
        let live = try LiveSoundtrack(reader: reader, stretches: [(start: 0.25, end: 1.75)], device: device, frameSeconds: frame)
        let t0 = MonotonicClock().now() + 100_000_000
        live.start(t0: t0)
        guard let figures = live.waitUntilPlayed() else { Issue.record("the sound thread never ran"); return }
        let log = live.log
        let rate = 48_000.0
        print(LiveSoundtrack.summary(figures))
        #expect(!log.isEmpty)
        // The first sample written is the one due when it is heard (t0 is in the future, so
        // silence fills up to it and sample 0 lands on frame 0's deadline).
        let first = log[0]
        let heardAt = Double(first.nanoseconds - t0) / 1e9 + Double(first.delayFrames) / rate
        #expect(abs(Double(first.firstSample) / rate - max(0, heardAt)) <= frame / 2,
                "first write: sample \(first.firstSample) heard at \(heardAt) s after frame 0")
        // Every write puts its sample within half a frame of where the clock says it belongs.
        for w in log {
            let due = Double(w.nanoseconds - t0) / 1e9 + Double(w.delayFrames) / rate
            #expect(abs(Double(w.firstSample) / rate - due) <= frame / 2 + 0.005, "sample \(w.firstSample) written for \(due) s")
        }
        // Contiguous except where a resync skipped, and played to the exact end of the range.
        var jumps = 0
        for (a, b) in zip(log, log.dropFirst()) where b.firstSample != a.firstSample + a.frames { jumps += 1 }
        #expect(jumps <= figures.resyncs)
        let last = log[log.count - 1]
        #expect(last.firstSample + last.frames == 72_000, "1.5 s at 48 kHz ends at sample 72000, got \(last.firstSample + last.frames)")
        #expect(abs(figures.endErrorSeconds) <= frame, "drift at the end \(figures.endErrorSeconds) s")
    }

    @Test func aMissingDeviceIsOneLine() {
        #expect(throws: CPUPlayError.self) { try SoundDevice(name: "cpuplay-no-such-device", sampleRate: 48_000, channels: 2) }
        do { _ = try SoundDevice(name: "cpuplay-no-such-device", sampleRate: 48_000, channels: 2) } catch {
            #expect(error.description.hasPrefix("no sound output: ALSA device 'cpuplay-no-such-device' cannot be opened"), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }
}
