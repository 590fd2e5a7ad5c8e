import CPUPlayCore
import CPUPlayMedia
import CFFmpeg

/// The audio stream of a render: the source's soundtrack cut to the played range, copied
/// packet for packet when the container takes its codec and its packets are no longer than
/// a video frame (so a cut lands within one frame), re-encoded otherwise (AAC for MP4, Opus
/// for Matroska and WebM) with the cut exact to the sample.
///
/// Packets are handed to the muxer as the picture advances (`write(upToSeconds:)`), so the
/// file is interleaved without buffering the whole track.
final class AudioTrackWriter {
    private let mode: Mode
    let summary: String

    private enum Mode {
        case copy(AudioPacketCopier)
        case encode(AudioEncoder)
    }

    init(cut: AudioCut, muxer: Muxer) throws(CPUPlayError) {
        let reader: SoundtrackReader
        do {
            guard let r = try SoundtrackReader.open(cut.source) else {
                throw CPUPlayError.unreadableInput("audio source \(CPUPlayError.quoted(cut.source)) "
                    + "has no audio stream")
            }
            reader = r
        } catch let e as CPUPlayError { throw e } catch {
            throw .unreadableInput("\(error)")
        }
        let par = reader.audioStream.pointee.codecpar.pointee
        let period = 1 / cut.range.frameRate.framesPerSecond
        let packetSeconds = par.frame_size > 0 && par.sample_rate > 0
            ? Double(par.frame_size) / Double(par.sample_rate) : .infinity
        if muxer.accepts(par.codec_id), packetSeconds <= period {
            mode = .copy(try AudioPacketCopier(reader: reader, range: cut.range, muxer: muxer))
            summary = "copied (\(reader.codecName))"
        } else {
            let encoder = try AudioEncoder(reader: reader, range: cut.range, muxer: muxer)
            mode = .encode(encoder)
            summary = "re-encoded from \(reader.codecName) to \(encoder.codecName)"
        }
    }

    /// Writes the audio that belongs before `seconds` on the output timeline.
    func write(upToSeconds seconds: Double) throws(CPUPlayError) {
        switch mode {
        case .copy(let c): try c.write(upToSeconds: seconds)
        case .encode(let e): try e.write(upToSeconds: seconds)
        }
    }

    /// Writes the rest of the played range.
    func finish() throws(CPUPlayError) {
        switch mode {
        case .copy(let c): try c.write(upToSeconds: .infinity)
        case .encode(let e): try e.finish()
        }
    }
}

/// Copies compressed audio packets of the played range, back to back on the output timeline.
/// Each packet written must carry the source's sound for the moment it lands on (within half
/// a packet: earlier ones are skipped), and a stretch ends with the last packet whose middle
/// is inside it, so loops and cuts stay within half a packet of the picture and never add up.
final class AudioPacketCopier {
    private let reader: SoundtrackReader
    private let stream: UnsafeMutablePointer<AVStream>
    private let muxer: Muxer
    private let segments: [PlayedRange.Segment]
    private let range: PlayedRange
    private let packet: Packet
    private var segment = -1
    /// Where the next packet goes on the output timeline, in samples (the end of the last one
    /// written).
    private var writtenSamples: Int64 = 0
    private var held = false
    private var done = false

    init(reader: SoundtrackReader, range: PlayedRange, muxer: Muxer) throws(CPUPlayError) {
        self.reader = reader
        self.range = range
        self.muxer = muxer
        segments = range.segments
        stream = try muxer.addStream()
        let r = avcodec_parameters_copy(stream.pointee.codecpar, reader.audioStream.pointee.codecpar)
        guard r >= 0 else { throw .writeFailed("cannot set up the audio stream: \(ffmpegErrorText(r))") }
        stream.pointee.codecpar.pointee.codec_tag = 0
        stream.pointee.time_base = AVRational(num: 1, den: max(1, stream.pointee.codecpar.pointee.sample_rate))
        do { packet = try Packet() } catch { throw .writeFailed(error.description) }
    }

    func write(upToSeconds limit: Double) throws(CPUPlayError) {
        while !done {
            if segment < 0 { try nextSegment(); continue }
            if !held {
                let r = av_read_frame(reader.formatContext, packet.pointer)
                if r < 0 { try nextSegment(); continue }
                guard packet.pointer.pointee.stream_index == reader.audioStreamIndex else {
                    av_packet_unref(packet.pointer); continue
                }
                held = true
            }
            let seg = segments[segment]
            let tb = reader.audioStream.pointee.time_base
            let otb = stream.pointee.time_base
            let p = packet.pointer.pointee
            let pts = p.pts != cffmpeg_nopts_value() ? p.pts : p.dts
            guard pts != cffmpeg_nopts_value() else { drop(); continue }
            let start = Double(pts) * Double(tb.num) / Double(tb.den) - reader.clipOrigin
            // A decoder puts out whole frames: a last packet trimmed by the container still
            // plays frame_size samples back to back.
            let par = reader.audioStream.pointee.codecpar.pointee
            let samples = AVRational(num: 1, den: max(1, par.sample_rate))
            let packetSamples = par.frame_size > 0 ? Int64(par.frame_size) : av_rescale_q(p.duration, tb, samples)
            let duration = Double(packetSamples) / Double(samples.den)
            // Packets are written back to back (players decode them in sequence): the next one
            // goes at `written`, and must hold the source's sound for that moment.
            let segStart = range.seconds(seg.clipStart), segEnd = range.seconds(seg.clipEnd)
            let segOut = range.seconds(seg.timelineStart)
            let written = Double(writtenSamples) / Double(samples.den)
            let want = segStart + max(0, written - segOut)
            if start + duration / 2 < want { drop(); continue }
            if written + duration / 2 > segOut + (segEnd - segStart) { try nextSegment(); continue }
            if written >= limit { return }
            // Counted in samples, so a coarse time base (Matroska's milliseconds) never rounds
            // the running total.
            let outPts = av_rescale_q(writtenSamples, samples, otb)
            packet.pointer.pointee.pts = outPts
            packet.pointer.pointee.dts = outPts
            packet.pointer.pointee.duration = av_rescale_q(writtenSamples + packetSamples, samples, otb) - outPts
            packet.pointer.pointee.stream_index = stream.pointee.index
            packet.pointer.pointee.pos = -1
            writtenSamples += max(packetSamples, 1)
            held = false
            try muxer.write(packet.pointer)
        }
    }

    private func drop() {
        av_packet_unref(packet.pointer)
        held = false
    }

    /// Moves to the next stretch; seeks when it does not continue the previous one (a loop).
    private func nextSegment() throws(CPUPlayError) {
        segment += 1
        guard segment < segments.count else {
            if held { drop() }
            done = true
            return
        }
        let continues = segment > 0 && segments[segment - 1].clipEnd == segments[segment].clipStart
        if !continues {
            if held { drop() }
            let tb = reader.audioStream.pointee.time_base
            let t = reader.clipOrigin + range.seconds(segments[segment].clipStart) - 0.5
            let first = reader.audioStream.pointee.start_time == cffmpeg_nopts_value() ? 0
                : reader.audioStream.pointee.start_time
            let target = max(first, Int64((t * Double(tb.den) / Double(tb.num)).rounded(.down)))
            if segment > 0 || t > 0 {
                if av_seek_frame(reader.formatContext, reader.audioStreamIndex, target, AVSEEK_FLAG_BACKWARD) < 0 {
                    avformat_seek_file(reader.formatContext, reader.audioStreamIndex, Int64.min, target, target, 0)
                }
            }
        }
    }
}

/// Re-encodes the played range: samples from a `PCMStream` (exact per stretch, silence
/// where the source has none) into AAC or Opus frames.
final class AudioEncoder {
    let codecName: String
    private var context: UnsafeMutablePointer<AVCodecContext>?
    private let stream: UnsafeMutablePointer<AVStream>
    private let muxer: Muxer
    private let pcm: PCMStream
    private let frame: Frame
    private let packet: Packet
    private let frameSize: Int
    private var sent: Int64 = 0
    private var planes: [[UInt8]] = []
    private var finished = false

    init(reader: SoundtrackReader, range: PlayedRange, muxer: Muxer) throws(CPUPlayError) {
        self.muxer = muxer
        let name = muxer.format.audioEncoder
        guard let codec = avcodec_find_encoder_by_name(name) else {
            throw .writeFailed("this FFmpeg has no \(name) encoder, which .\(muxer.format.rawValue) audio needs")
        }
        codecName = name == "libopus" ? "opus" : name
        guard let c = avcodec_alloc_context3(codec) else {
            throw .writeFailed("out of memory allocating the \(name) encoder")
        }
        context = c
        let sampleFormat = codec.pointee.sample_fmts?.pointee ?? AV_SAMPLE_FMT_FLTP
        let rate = Self.rate(for: codec, source: reader.sampleRate)
        let channels = min(2, max(1, reader.channelCount))
        c.pointee.sample_fmt = sampleFormat
        c.pointee.sample_rate = Int32(rate)
        av_channel_layout_default(&c.pointee.ch_layout, Int32(channels))
        c.pointee.bit_rate = channels == 1 ? 96_000 : 160_000
        c.pointee.time_base = AVRational(num: 1, den: Int32(rate))
        if muxer.wantsGlobalHeader { c.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER) }
        let r = avcodec_open2(c, codec, nil)
        guard r >= 0 else { throw .writeFailed("cannot open the \(name) encoder: \(ffmpegErrorText(r))") }
        frameSize = c.pointee.frame_size > 0 ? Int(c.pointee.frame_size) : 1024
        stream = try muxer.addStream()
        let p = avcodec_parameters_from_context(stream.pointee.codecpar, c)
        guard p >= 0 else { throw .writeFailed("cannot set up the audio stream: \(ffmpegErrorText(p))") }
        stream.pointee.time_base = c.pointee.time_base
        let stretches = range.segments.map { (start: range.seconds($0.clipStart), end: range.seconds($0.clipEnd)) }
        do {
            pcm = try PCMStream(reader: reader,
                    format: PCMFormat(encoder: c),
                        stretches: stretches)
            frame = try Frame()
            packet = try Packet()
        } catch { throw .unreadableInput(error.description) }
    }

    /// The source's rate if the encoder takes it, else 48 kHz (Opus takes only 48 kHz in Matroska).
    static func rate(for codec: UnsafePointer<AVCodec>, source: Int) -> Int {
        guard let list = codec.pointee.supported_samplerates else { return source > 0 ? source : 48_000 }
        var i = 0
        var any = false
        while list[i] != 0 {
            if Int(list[i]) == source { return source }
            if list[i] == 48_000 { any = true }
            i += 1
        }
        return any || i == 0 ? 48_000 : Int(list[0])
    }

    var codecContext: UnsafeMutablePointer<AVCodecContext> { context! }

    func write(upToSeconds seconds: Double) throws(CPUPlayError) {
        let target = Int64((seconds * Double(codecContext.pointee.sample_rate)).rounded())
        while !finished, sent < target {
            guard try encodeNext() else { break }
        }
    }

    func finish() throws(CPUPlayError) {
        while !finished { guard try encodeNext() else { break } }
        try send(nil)
        finished = true
    }

    /// Encodes one frame of samples; false at the end of the played range.
    private func encodeNext() throws(CPUPlayError) -> Bool {
        let n: Int
        do { n = try pcm.read(maxFrames: frameSize, into: &planes) } catch { throw .unreadableInput(error.description) }
        guard n > 0 else { return false }
        let f = frame.pointer
        av_frame_unref(f)
        f.pointee.format = codecContext.pointee.sample_fmt.rawValue
        f.pointee.sample_rate = codecContext.pointee.sample_rate
        f.pointee.nb_samples = Int32(n)
        av_channel_layout_copy(&f.pointee.ch_layout, &codecContext.pointee.ch_layout)
        guard av_frame_get_buffer(f, 0) >= 0 else { throw .writeFailed("out of memory allocating audio samples") }
        for (i, plane) in planes.enumerated() {
            plane.withUnsafeBufferPointer { src in
                f.pointee.extended_data[i]!.update(from: src.baseAddress!, count: plane.count)
            }
        }
        f.pointee.pts = sent
        sent += Int64(n)
        try send(f)
        return true
    }

    private func send(_ f: UnsafeMutablePointer<AVFrame>?) throws(CPUPlayError) {
        try muxer.encode(f, with: codecContext, named: codecName, what: "samples", into: stream, packet: packet)
    }

    deinit { avcodec_free_context(&context) }
}
