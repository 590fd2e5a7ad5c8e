import CPUPlayCore
import CPUPlaySystem
import CFFmpeg

// Each FFmpeg object cpuplay uses lives in a final class whose deinit frees it, so that any
// `throw` on any path releases everything opened so far, in reverse order of creation.

/// FFmpeg's message for an error code, for one-line errors.
package func ffmpegErrorText(_ code: Int32) -> String {
    var buf = [CChar](repeating: 0, count: 256)
    if av_strerror(code, &buf, buf.count) < 0 { return "error \(code)" }
    return String(nulTerminated: buf)
}

/// FFmpeg's own log lines would break cpuplay's one-line errors, so it is silenced unless
/// CPUPLAY_FFMPEG_LOG=1 (for debugging a file FFmpeg struggles with).
package func silenceFFmpegLog() {
    if ProcessFacts.environment("CPUPLAY_FFMPEG_LOG")?.hasPrefix("1") == true { return }
    av_log_set_level(AV_LOG_QUIET)
}

/// A one-line reason for a failure to open `path`, in words a user can act on.
package func openFailure(_ path: String, _ code: Int32) -> CPUPlayError {
    if code == cffmpeg_averror_eof() {
        return .unreadableInput("input \(CPUPlayError.quoted(path)) holds no video data (it ends before "
            + "the first frame)")
    }
    return .unreadableInput("cannot read \(CPUPlayError.quoted(path)) as a video: \(ffmpegErrorText(code))")
}

/// An opened container (AVFormatContext); closed by deinit.
package final class FormatInput {
    package var context: UnsafeMutablePointer<AVFormatContext>?
    package let path: String

    package init(path: String) throws(CPUPlayError) {
        self.path = path
        silenceFFmpegLog()
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        let r = avformat_open_input(&ctx, path, nil, nil)
        guard r >= 0, ctx != nil else { throw openFailure(path, r) }
        context = ctx
        let s = avformat_find_stream_info(ctx, nil)
        guard s >= 0 else { throw openFailure(path, s) }
    }

    package var pointer: UnsafeMutablePointer<AVFormatContext> { context! }

    deinit { avformat_close_input(&context) }
}

/// A decoder instance (AVCodecContext); freed by deinit.
package final class CodecContext {
    package var context: UnsafeMutablePointer<AVCodecContext>?

    package init(codec: UnsafePointer<AVCodec>) throws(CPUPlayError) {
        guard let c = avcodec_alloc_context3(codec) else {
            throw .unreadableInput("out of memory allocating a decoder")
        }
        context = c
    }

    package var pointer: UnsafeMutablePointer<AVCodecContext> { context! }

    deinit { avcodec_free_context(&context) }
}

/// An FFmpeg object made by an `av_*_alloc` and released by deinit with its `av_*_free`.
package final class FFmpegObject<Pointee> {
    private var object: UnsafeMutablePointer<Pointee>?
    private let release: (UnsafeMutablePointer<UnsafeMutablePointer<Pointee>?>) -> Void

    /// `name` says what is allocated in the out-of-memory error ("a packet").
    init(_ name: String, allocate: () -> UnsafeMutablePointer<Pointee>?,
         release: @escaping (UnsafeMutablePointer<UnsafeMutablePointer<Pointee>?>) -> Void) throws(CPUPlayError) {
        guard let made = allocate() else { throw .unreadableInput("out of memory allocating \(name)") }
        object = made
        self.release = release
    }

    package var pointer: UnsafeMutablePointer<Pointee> { object! }

    deinit { release(&object) }
}

/// A compressed packet (AVPacket).
package typealias Packet = FFmpegObject<AVPacket>

/// A decoded picture (AVFrame).
package typealias Frame = FFmpegObject<AVFrame>

extension FFmpegObject where Pointee == AVPacket {
    package convenience init() throws(CPUPlayError) {
        try self.init("a packet", allocate: { av_packet_alloc() }, release: { av_packet_free($0) })
    }
}

extension FFmpegObject where Pointee == AVFrame {
    package convenience init() throws(CPUPlayError) {
        try self.init("a frame", allocate: { av_frame_alloc() }, release: { av_frame_free($0) })
    }
}

/// A libswscale converter to full-range GRAY8 at the same size, for pixel formats whose luma
/// is not a plain 8-bit plane (RGB, palette, 10-bit, packed YUV...). Freed by deinit.
final class GrayConverter {
    private var context: OpaquePointer?
    private(set) var width = 0, height = 0
    private var format = AV_PIX_FMT_NONE
    private var fullRangeSource = true
    /// The converted picture, `width` bytes per row.
    private(set) var plane: [UInt8] = []

    /// Converts `frame` into `plane`.
    func convert(_ frame: UnsafeMutablePointer<AVFrame>, sourceFullRange: Bool) throws(CPUPlayError) {
        let f = frame.pointee
        let fmt = AVPixelFormat(rawValue: f.format)
        if context == nil || f.width != width || f.height != height || fmt != format
            || sourceFullRange != fullRangeSource {
            if let c = context { sws_freeContext(c) }
            context = sws_getContext(f.width, f.height, fmt, f.width, f.height, AV_PIX_FMT_GRAY8,
                                     Int32(SWS_POINT), nil, nil, nil)
            guard let c = context else {
                let name = av_get_pix_fmt_name(fmt).map { String(cString: $0) } ?? "\(f.format)"
                throw .unreadableInput("cannot convert pixel format \(name) to grey")
            }
            let coefficients = sws_getCoefficients(SWS_CS_DEFAULT)
            sws_setColorspaceDetails(c, coefficients, sourceFullRange ? 1 : 0, coefficients, 1, 0, 1 << 16, 1 << 16)
            width = Int(f.width)
            height = Int(f.height)
            format = fmt
            fullRangeSource = sourceFullRange
            plane = [UInt8](repeating: 0, count: width * height + 64)
        }
        let h = f.height
        plane.withUnsafeMutableBufferPointer { buf in
            var dst: [UnsafeMutablePointer<UInt8>?] = [buf.baseAddress, nil, nil, nil]
            var dstStride: [Int32] = [Int32(width), 0, 0, 0]
            withUnsafePointer(to: frame.pointee.data) { dataTuple in
                withUnsafePointer(to: frame.pointee.linesize) { lineTuple in
                    dataTuple.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { src in
                        lineTuple.withMemoryRebound(to: Int32.self, capacity: 8) { srcStride in
                            _ = sws_scale(context, src, srcStride, 0, h, &dst, &dstStride)
                        }
                    }
                }
            }
        }
    }

    deinit { if let c = context { sws_freeContext(c) } }
}
