import CPUPlayClip
import CPUPlayCore
import CFFmpeg

/// Decodes any video FFmpeg reads into a `Clip`: best video stream, frame-threaded decoding,
/// luma straight from the Y plane (range-mapped), exact area averaging onto the grid, and
/// frame-rate resampling by presentation timestamps.
///
/// All decoding happens before playback, never during, so it is free to use every thread; it
/// streams (one decoded picture and one grid frame are held) and stops when the consumer has
/// the frames it needs.
public final class VideoDecoder {
    public let path: String
    let input: FormatInput
    let streamIndex: Int32
    let stream: UnsafeMutablePointer<AVStream>
    let codec: UnsafePointer<AVCodec>

    /// Opens `path` and finds its best video stream.
    public init(path: String) throws(CPUPlayError) {
        self.path = path
        input = try FormatInput(path: path)
        var decoder: UnsafePointer<AVCodec>?
        let idx = av_find_best_stream(input.pointer, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0)
        guard idx >= 0 else {
            var kinds: [String] = []
            for i in 0..<Int(input.pointer.pointee.nb_streams) {
                let t = input.pointer.pointee.streams[i]!.pointee.codecpar.pointee.codec_type
                if let name = av_get_media_type_string(t) { kinds.append(String(cString: name)) }
            }
            let holds = kinds.isEmpty ? "no streams" : "only " + Set(kinds).sorted().joined(separator: ", ")
            if idx == AVERROR_DECODER_NOT_FOUND_VALUE {
                throw .unreadableInput(
                    "input \(CPUPlayError.quoted(path)): no decoder for its video stream in this FFmpeg build")
            }
            throw .unreadableInput("input \(CPUPlayError.quoted(path)) has no video stream (it holds \(holds))")
        }
        guard let decoder else {
            throw .unreadableInput("input \(CPUPlayError.quoted(path)): no decoder for its video stream")
        }
        streamIndex = idx
        stream = input.pointer.pointee.streams[Int(idx)]!
        codec = decoder
    }

    /// What the container says about the stream (no decoding).
    public var info: MediaInfo { MediaInfo(decoder: self) }

    /// The stream's own rate: average frame rate, else the container's guess, else 25.
    var nativeRate: FrameRate {
        let guessed = av_guess_frame_rate(input.pointer, stream, nil)
        for q in [stream.pointee.avg_frame_rate, stream.pointee.r_frame_rate, guessed] {
            if q.num > 0, q.den > 0, let r = try? FrameRate(numerator: Int(q.num), denominator: Int(q.den)) { return r }
        }
        return try! FrameRate(numerator: 25)
    }

    /// The stream's length in seconds, from the stream or else the container (nil when neither says).
    var durationSeconds: Double? {
        let st = stream.pointee
        if st.duration > 0, st.time_base.num > 0, st.time_base.den > 0 {
            return Double(st.duration) * Double(st.time_base.num) / Double(st.time_base.den)
        }
        let d = input.pointer.pointee.duration
        return d > 0 ? Double(d) / Double(cffmpeg_time_base()) : nil
    }

    /// Output frames expected at `rate` from the duration (nil when the container does not say).
    func expectedFrameCount(at rate: FrameRate) -> Int? {
        guard let d = durationSeconds else { return nil }
        let n = (d * rate.framesPerSecond).rounded()
        return n.isFinite && n < Double(Int.max / 2) ? max(1, Int(n)) : nil
    }

    /// The picture's display width / height (nil when the stream does not say).
    var displayAspect: Double? {
        let par = stream.pointee.codecpar.pointee
        var w = Double(par.width), h = Double(par.height)
        let sar = par.sample_aspect_ratio
        if sar.num > 0, sar.den > 0 { w *= Double(sar.num) / Double(sar.den) }
        return w > 0 && h > 0 ? w / h : nil
    }

    /// The grid used when none is given: the default width, the picture's display aspect.
    func defaultGrid(fit: Fit) -> GridSize {
        guard let aspect = displayAspect else { return ConversionOptions.defaultGrid }
        let gw = ConversionOptions.defaultGrid.width
        let gh = min(GridSize.maxCells / gw, max(1, Int((Double(gw) / aspect).rounded())))
        return (try? GridSize(width: gw, height: gh)) ?? ConversionOptions.defaultGrid
    }

    /// Decodes the stream onto `grid` at `rate`, pushing each output frame into `sink` as soon
    /// as it is final, and stops as soon as the sink has enough (the rest is never decoded).
    ///
    /// Only work an output frame needs is done: a decoded frame is area-averaged only once the
    /// next frame shows that some output slot displays it, and when `rate` is below the
    /// source's, packets whose frame no output slot will show are decoded with
    /// AVDISCARD_NONREF (a non-reference frame is then skipped by the decoder; reference
    /// frames are still decoded, as later frames need them).
    public func decode(grid: GridSize, rate: FrameRate, options: ConversionOptions,
                       into sink: any FrameSink, afterFrame: (() -> Void)? = nil) throws(CPUPlayError) -> DecodeCounts {
        let pass = try DecodePass(decoder: self, context: openDecoder(), grid: grid, rate: rate, options: options,
                                  sink: sink, afterFrame: afterFrame)
        return try pass.run()
    }

    /// A decoder for the stream, frame- and slice-threaded with one thread per core.
    func openDecoder() throws(CPUPlayError) -> CodecContext {
        let ctx = try CodecContext(codec: codec)
        let c = ctx.pointer
        var r = avcodec_parameters_to_context(c, stream.pointee.codecpar)
        guard r >= 0 else {
            throw .unreadableInput(
                "input \(CPUPlayError.quoted(path)): cannot set up its decoder: \(ffmpegErrorText(r))")
        }
        c.pointee.pkt_timebase = stream.pointee.time_base
        c.pointee.thread_count = 0                                  // one per core
        c.pointee.thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE
        r = avcodec_open2(c, codec, nil)
        guard r >= 0 else {
            throw .unreadableInput("input \(CPUPlayError.quoted(path)): cannot open its \(codecName) decoder: "
                + ffmpegErrorText(r))
        }
        return ctx
    }

    /// The number of packets of the video stream (one per frame for ordinary video), by
    /// demuxing the whole file without decoding. Seeks back to the start afterwards.
    public func countPackets() -> Int {
        guard let packet = try? Packet() else { return 0 }
        var n = 0
        while av_read_frame(input.pointer, packet.pointer) >= 0 {
            if packet.pointer.pointee.stream_index == streamIndex { n += 1 }
            av_packet_unref(packet.pointer)
        }
        av_seek_frame(input.pointer, streamIndex, Int64.min, AVSEEK_FLAG_BACKWARD)
        return n
    }

    var codecName: String { String(cString: avcodec_get_name(stream.pointee.codecpar.pointee.codec_id)) }

    /// True when the format's first component is a plain 8-bit plane holding luma (planar and
    /// semi-planar YUV, grey): the Y plane is used directly, no conversion.
    static func hasPlainLumaPlane(_ fmt: AVPixelFormat) -> Bool {
        guard let d = av_pix_fmt_desc_get(fmt) else { return false }
        let flags = d.pointee.flags
        let excluded = UInt64(AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM
            | AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_FLOAT | AV_PIX_FMT_FLAG_BAYER)
        guard flags & excluded == 0, d.pointee.nb_components >= 1 else { return false }
        let y = d.pointee.comp.0
        return y.plane == 0 && y.step == 1 && y.depth == 8 && y.shift == 0 && y.offset == 0
    }

    /// Full (0-255) or limited (16-235) luma: as the frame says; unspecified means full for
    /// yuvj* and grey formats, limited for other YUV.
    static func isFullRange(format: AVPixelFormat, range: AVColorRange) -> Bool {
        if range == AVCOL_RANGE_JPEG { return true }
        if range == AVCOL_RANGE_MPEG { return false }
        guard let d = av_pix_fmt_desc_get(format) else { return false }
        let name = String(cString: d.pointee.name)
        if name.hasPrefix("yuvj") { return true }
        if d.pointee.flags & UInt64(AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL) != 0 { return true }
        return d.pointee.nb_components <= 2   // gray, ya8
    }
}

/// AVERROR_DECODER_NOT_FOUND (FFERRTAG(0xF8,'D','E','C')), a macro Swift cannot import.
let AVERROR_DECODER_NOT_FOUND_VALUE: Int32 =
    -Int32(bitPattern: 0xF8 | UInt32(0x44) << 8 | UInt32(0x45) << 16 | UInt32(0x43) << 24)
