import CFFmpeg
import CPUPlayCore

/// The audio stream of a source, decoded and resampled to whatever a consumer needs (an
/// encoder for `render`, the sound card for `play --audio`), addressed in clip time.
///
/// Clip time 0 is the source's first video frame (where `VideoDecoder` starts the clip), so
/// an audio stream that starts earlier or later than the picture is placed by its
/// timestamps, not assumed to start with it.
public final class SoundtrackReader {
    public let path: String
    let input: FormatInput
    let streamIndex: Int32
    let stream: UnsafeMutablePointer<AVStream>
    let codec: UnsafePointer<AVCodec>
    /// Source seconds of clip time 0: the first video frame's time (audio's own start for a
    /// file without video).
    public let clipOrigin: Double

    /// Opens `path`; nil when it holds no audio stream. Throws when it is not a media file.
    public static func open(_ path: String) throws(CPUPlayError) -> SoundtrackReader? {
        try ClipLoader.checkReadableFile(path)
        let input = try FormatInput(path: path)
        var decoder: UnsafePointer<AVCodec>?
        let idx = av_find_best_stream(input.pointer, AVMEDIA_TYPE_AUDIO, -1, -1, &decoder, 0)
        if idx == AVERROR_DECODER_NOT_FOUND_VALUE {
            throw .unreadableInput("input \(CPUPlayError.quoted(path)): no decoder for its audio stream in "
                + "this FFmpeg build")
        }
        guard idx >= 0, let decoder else { return nil }
        return SoundtrackReader(path: path, input: input, index: idx, codec: decoder)
    }

    private init(path: String, input: FormatInput, index: Int32, codec: UnsafePointer<AVCodec>) {
        self.path = path
        self.input = input
        streamIndex = index
        stream = input.pointer.pointee.streams[Int(index)]!
        self.codec = codec
        let video = av_find_best_stream(input.pointer, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        let origin = video >= 0 ? input.pointer.pointee.streams[Int(video)]! : stream
        clipOrigin = Self.startSeconds(origin)
    }

    static func startSeconds(_ s: UnsafeMutablePointer<AVStream>) -> Double {
        let st = s.pointee.start_time
        guard st != cffmpeg_nopts_value() else { return 0 }
        return Double(st) * Double(s.pointee.time_base.num) / Double(s.pointee.time_base.den)
    }

    /// The source's codec name (aac, opus, mp3...).
    public var codecName: String { String(cString: avcodec_get_name(stream.pointee.codecpar.pointee.codec_id)) }
    public var sampleRate: Int { Int(stream.pointee.codecpar.pointee.sample_rate) }
    public var channelCount: Int { Int(stream.pointee.codecpar.pointee.ch_layout.nb_channels) }

    /// Seconds of audio in the stream, when the container says.
    public var durationSeconds: Double? {
        let s = stream.pointee
        if s.duration > 0 { return Double(s.duration) * Double(s.time_base.num) / Double(s.time_base.den) }
        let d = input.pointer.pointee.duration
        return d > 0 ? Double(d) / Double(cffmpeg_time_base()) : nil
    }

    // For stream copy (CPUPlayRender), which needs the packets themselves.
    package var formatContext: UnsafeMutablePointer<AVFormatContext> { input.pointer }
    package var audioStream: UnsafeMutablePointer<AVStream> { stream }
    package var audioStreamIndex: Int32 { streamIndex }
}

/// The sample layout a consumer wants from a `PCMStream`.
public struct PCMFormat: Sendable, Equatable {
    public var sampleFormat: AVSampleFormat
    public var sampleRate: Int
    public var channels: Int

    /// Signed 16-bit interleaved: what a sound card takes.
    public static func s16(rate: Int,
            channels: Int) -> PCMFormat { PCMFormat(sampleFormat: AV_SAMPLE_FMT_S16, sampleRate: rate,
                                                    channels: channels) }

    public var isPlanar: Bool { av_sample_fmt_is_planar(sampleFormat) != 0 }
    public var bytesPerSample: Int { Int(av_get_bytes_per_sample(sampleFormat)) }
    /// Planes of data (channels when planar, else 1) and bytes per sample frame in each.
    public var planeCount: Int { isPlanar ? channels : 1 }
    public var bytesPerFramePerPlane: Int { isPlanar ? bytesPerSample : bytesPerSample * channels }
}

// In an extension, so that the module keeps the synthesized memberwise initialiser.
extension PCMFormat {
    /// What the opened encoder `context` takes (its sample format, rate and channel count).
    package init(encoder context: UnsafePointer<AVCodecContext>) {
        self.init(sampleFormat: context.pointee.sample_fmt, sampleRate: Int(context.pointee.sample_rate),
                  channels: Int(context.pointee.ch_layout.nb_channels))
    }
}
