import CALSA
import CPUPlayCore

/// An ALSA playback device taking signed 16-bit interleaved samples.
///
/// ALSA is the layer every Linux desktop offers: PulseAudio and PipeWire serve its "default"
/// device through their ALSA plugins, and bare machines have it directly. It also reports
/// how much is queued (`delay`), which is what keeping sound on the frame clock needs, and
/// it has a `null` device, so tests need no sound card.
public final class SoundDevice {
    public let name: String
    public let sampleRate: Int
    public let channels: Int
    private var pcm: OpaquePointer?

    /// Opens `name` ("default", "null", "hw:0"...) for about `latencyMicroseconds` of buffer.
    /// Only a checked name is opened (`SoundDeviceName`): ALSA names can run commands.
    public convenience init(name: String, sampleRate: Int, channels: Int,
                            latencyMicroseconds: UInt32 = 100_000) throws(CPUPlayError) {
        try self.init(device: SoundDeviceName(parsing: name), sampleRate: sampleRate, channels: channels,
                      latencyMicroseconds: latencyMicroseconds)
    }

    /// Opens `device` for about `latencyMicroseconds` of buffer.
    public init(device: SoundDeviceName, sampleRate: Int, channels: Int,
                latencyMicroseconds: UInt32 = 100_000) throws(CPUPlayError) {
        calsa_silence_errors()
        let name = device.name
        self.name = name
        self.sampleRate = sampleRate
        self.channels = channels
        var handle: OpaquePointer?
        var r = snd_pcm_open(&handle, name, SND_PCM_STREAM_PLAYBACK, 0)
        guard r >= 0, let handle else {
            throw .unreadableInput("no sound output: ALSA device \(CPUPlayError.quoted(name)) cannot be opened "
                + "(\(Self.text(r)))", subject: name)
        }
        pcm = handle
        r = snd_pcm_set_params(handle, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, UInt32(channels),
                               UInt32(sampleRate), 1, latencyMicroseconds)
        guard r >= 0 else {
            throw .unreadableInput("no sound output: ALSA device \(CPUPlayError.quoted(name)) refuses \(channels) "
                + "channel(s) at \(sampleRate) Hz (\(Self.text(r)))", subject: name)
        }
    }

    static func text(_ code: Int32) -> String { String(cString: snd_strerror(code)) }

    /// Sample frames queued and not yet heard (0 for a device that consumes at once, such as null).
    public func delay() -> Int {
        var d: snd_pcm_sframes_t = 0
        return snd_pcm_delay(pcm, &d) == 0 ? max(0, Int(d)) : 0
    }

    /// Writes all of `samples` (interleaved), blocking while the device is full. An underrun
    /// is recovered and counted. Returns false when the device failed for good.
    public func write(_ samples: UnsafeBufferPointer<Int16>, underruns: inout Int) -> Bool {
        var offset = 0
        let frames = samples.count / channels
        while offset < frames {
            let n = snd_pcm_writei(pcm, samples.baseAddress! + offset * channels, snd_pcm_uframes_t(frames - offset))
            if n >= 0 { offset += Int(n); continue }
            let code = Int32(n)
            if code == -EINTR || code == -EAGAIN { continue }
            if code == -EPIPE { underruns += 1 }
            if snd_pcm_recover(pcm, code, 1) < 0 { return false }
        }
        return true
    }

    /// Stops at once, discarding what is queued.
    public func stop() { if let pcm { snd_pcm_drop(pcm) } }

    deinit { if let pcm { snd_pcm_close(pcm) } }
}
