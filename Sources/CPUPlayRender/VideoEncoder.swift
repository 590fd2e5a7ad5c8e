import CPUPlayClip
import CPUPlayCore
import CPUPlayMedia
import CFFmpeg

/// Encodes rendered YUV 4:2:0 pictures into one video stream of a `Muxer`.
///
/// H.264 goes through libx264 (preset veryfast, CRF 20), VP9 through libvpx (realtime
/// deadline, row multithreading) and AV1 through libaom/SVT-AV1 as a fallback; streams are
/// tagged BT.709 limited range, which is what `RGBColor.yuv` produces. `settings` is what the
/// benchmark hands the ffmpeg command line to compare like with like.
final class VideoEncoder {
    let codecName: String
    let settings: [(String, String)]
    private var context: UnsafeMutablePointer<AVCodecContext>?
    private let stream: UnsafeMutablePointer<AVStream>
    private let muxer: Muxer
    private let frame: Frame
    private let packet: Packet
    private let size: VideoSize
    /// GIF only: each frame's own palette.
    private lazy var gifPalette = GIFPalette()

    init(muxer: Muxer, size: VideoSize, rate: FrameRate) throws(CPUPlayError) {
        self.muxer = muxer
        self.size = size
        var found: UnsafePointer<AVCodec>?
        var name = ""
        for candidate in muxer.format.videoEncoders {
            if let c = avcodec_find_encoder_by_name(candidate) { found = c; name = candidate; break }
        }
        guard let codec = found else {
            throw .writeFailed("output \(CPUPlayError.quoted(muxer.destination)): this FFmpeg has none of the encoders "
                + "\(muxer.format.videoEncoders.joined(separator: ", ")) for .\(muxer.format.rawValue)")
        }
        codecName = name
        settings = Self.settings(for: name)
        stream = try muxer.addStream()
        guard let c = avcodec_alloc_context3(codec) else {
            throw .writeFailed("out of memory allocating the \(name) encoder")
        }
        context = c
        c.pointee.width = Int32(size.width)
        c.pointee.height = Int32(size.height)
        let paletted = muxer.format == .gif
        c.pointee.pix_fmt = paletted ? AV_PIX_FMT_PAL8 : AV_PIX_FMT_YUV420P
        c.pointee.time_base = AVRational(num: Int32(rate.denominator), den: Int32(rate.numerator))
        c.pointee.framerate = AVRational(num: Int32(rate.numerator), den: Int32(rate.denominator))
        c.pointee.gop_size = Int32(max(1, min(600, Int(rate.framesPerSecond.rounded()) * 2)))
        c.pointee.color_range = AVCOL_RANGE_MPEG
        c.pointee.colorspace = AVCOL_SPC_BT709
        c.pointee.color_primaries = AVCOL_PRI_BT709
        c.pointee.color_trc = AVCOL_TRC_BT709
        c.pointee.thread_count = 0
        if muxer.wantsGlobalHeader { c.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER) }
        var options: OpaquePointer?
        for (k, v) in settings { av_dict_set(&options, k, v, 0) }
        let r = avcodec_open2(c, codec, &options)
        av_dict_free(&options)
        guard r >= 0 else { throw .writeFailed("cannot open the \(name) encoder at \(size): \(ffmpegErrorText(r))") }
        let p = avcodec_parameters_from_context(stream.pointee.codecpar, c)
        guard p >= 0 else { throw .writeFailed("cannot set up the video stream: \(ffmpegErrorText(p))") }
        stream.pointee.time_base = c.pointee.time_base
        stream.pointee.avg_frame_rate = c.pointee.framerate
        do {
            frame = try Frame()
            packet = try Packet()
        } catch { throw .writeFailed(error.description) }
        let f = frame.pointer
        f.pointee.format = (paletted ? AV_PIX_FMT_PAL8 : AV_PIX_FMT_YUV420P).rawValue
        f.pointee.width = Int32(size.width)
        f.pointee.height = Int32(size.height)
        f.pointee.color_range = AVCOL_RANGE_MPEG
        f.pointee.colorspace = AVCOL_SPC_BT709
        let b = av_frame_get_buffer(f, 0)
        guard b >= 0 else { throw .writeFailed("out of memory allocating a \(size) frame") }
    }

    /// The encoder options used for `codec` (also given to ffmpeg by the benchmark).
    static func settings(for codec: String) -> [(String, String)] {
        switch codec {
        case "libx264": return [("preset", "veryfast"), ("crf", "20")]
        case "libvpx-vp9": return [("deadline", "realtime"), ("cpu-used", "8"), ("row-mt", "1"), ("crf", "32"),
                                   ("b", "0")]
        case "libaom-av1": return [("usage", "realtime"), ("cpu-used", "8"), ("row-mt", "1"), ("crf", "35")]
        default: return [("preset", "10"), ("crf", "35")]
        }
    }

    /// Encodes `picture` as frame number `index` (its presentation time is index / rate).
    func encode(_ picture: YUVCanvas, index: Int) throws(CPUPlayError) {
        let f = frame.pointer
        let w = av_frame_make_writable(f)
        guard w >= 0 else { throw .writeFailed("out of memory preparing a frame") }
        if codecName == "gif" {
            gifPalette.quantize(picture, into: f.pointee.data.0!, stride: Int(f.pointee.linesize.0),
                                palette: f.pointee.data.1!)
            f.pointee.pts = Int64(index)
            try send(f)
            return
        }
        Self.copy(picture.luma, width: picture.width, height: picture.height, to: f.pointee.data.0!,
                  stride: Int(f.pointee.linesize.0))
        Self.copy(picture.cb, width: picture.chromaWidth, height: picture.chromaHeight, to: f.pointee.data.1!,
                  stride: Int(f.pointee.linesize.1))
        Self.copy(picture.cr, width: picture.chromaWidth, height: picture.chromaHeight, to: f.pointee.data.2!,
                  stride: Int(f.pointee.linesize.2))
        f.pointee.pts = Int64(index)
        try send(f)
    }

    /// GIF only: a frame the video will show, for the palette (before the first `encode`).
    func learnPalette(from picture: YUVCanvas) { gifPalette.learn(picture) }

    /// True when the encoder draws with a palette learnt from sample frames (GIF).
    var learnsPalette: Bool { codecName == "gif" }

    /// Flushes the frames the encoder still holds.
    func finish() throws(CPUPlayError) { try send(nil) }

    private static func copy(_ plane: [UInt8], width: Int, height: Int, to dst: UnsafeMutablePointer<UInt8>,
                             stride: Int) {
        plane.withUnsafeBufferPointer { src in
            for y in 0..<height {
                (dst + y * stride).update(from: src.baseAddress! + y * width, count: width)
            }
        }
    }

    private func send(_ f: UnsafeMutablePointer<AVFrame>?) throws(CPUPlayError) {
        try muxer.encode(f, with: context!, named: codecName, what: "a frame", into: stream, packet: packet)
    }

    deinit { avcodec_free_context(&context) }
}
