import CPUPlayCore
import CPUPlayMedia
import CFFmpeg

/// An output container being written by libavformat (AVFormatContext + its AVIOContext).
///
/// Streams are added, then `start()` writes the header; packets go in through `write`
/// (interleaved by timestamp); `finish()` writes the trailer and closes the file. Any write
/// error (a full disk) is reported with the output's name; deinit frees everything.
final class Muxer {
    let format: ContainerFormat
    let destination: String
    private(set) var context: UnsafeMutablePointer<AVFormatContext>?
    private var opened = false

    init(format: ContainerFormat, path: String, destination: String) throws(CPUPlayError) {
        self.format = format
        self.destination = destination
        silenceFFmpegLog()
        var ctx: UnsafeMutablePointer<AVFormatContext>?
        let r = avformat_alloc_output_context2(&ctx, nil, format.muxer, path)
        guard r >= 0, let ctx else {
            throw .writeFailed("output \(CPUPlayError.quoted(destination)): this FFmpeg has no \(format.muxer) muxer "
                + "(\(ffmpegErrorText(r)))")
        }
        context = ctx
        let o = avio_open(&ctx.pointee.pb, path, AVIO_FLAG_WRITE)
        guard o >= 0 else {
            throw .writeFailed("cannot write \(CPUPlayError.quoted(destination)): \(ffmpegErrorText(o))")
        }
        opened = true
    }

    var pointer: UnsafeMutablePointer<AVFormatContext> { context! }

    /// True when codecs must put their headers in extradata (MP4, Matroska).
    var wantsGlobalHeader: Bool { pointer.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 }

    /// A new stream; its parameters are set by the encoder or the copier.
    func addStream() throws(CPUPlayError) -> UnsafeMutablePointer<AVStream> {
        guard let s = avformat_new_stream(pointer, nil) else { throw .writeFailed("out of memory adding a stream") }
        return s
    }

    /// Whether this container can hold `codec` (as a copied stream).
    func accepts(_ codec: AVCodecID) -> Bool {
        avformat_query_codec(pointer.pointee.oformat, codec, FF_COMPLIANCE_NORMAL) == 1
    }

    func start() throws(CPUPlayError) {
        let r = avformat_write_header(pointer, nil)
        guard r >= 0 else { throw failure("cannot write the header", r) }
    }

    /// Writes one packet (already in its stream's time base); takes its reference.
    func write(_ packet: UnsafeMutablePointer<AVPacket>) throws(CPUPlayError) {
        let r = av_interleaved_write_frame(pointer, packet)
        guard r >= 0 else { throw failure("cannot write", r) }
        try checkIO()
    }

    /// Hands `frame` to `encoder` (nil drains it) and writes every packet it returns into
    /// `stream`: the one encode loop of the video and the audio track. `what` names the input
    /// in errors ("a frame", "samples").
    func encode(_ frame: UnsafeMutablePointer<AVFrame>?, with encoder: UnsafeMutablePointer<AVCodecContext>,
                named codecName: String,
                what: String, into stream: UnsafeMutablePointer<AVStream>, packet: Packet) throws(CPUPlayError) {
        let s = avcodec_send_frame(encoder, frame)
        guard s >= 0 || (frame == nil && s == cffmpeg_averror_eof()) else {
            throw .writeFailed("the \(codecName) encoder refused \(what): \(ffmpegErrorText(s))")
        }
        while true {
            let r = avcodec_receive_packet(encoder, packet.pointer)
            if r == cffmpeg_averror_eagain() || r == cffmpeg_averror_eof() { return }
            guard r >= 0 else { throw .writeFailed("the \(codecName) encoder failed: \(ffmpegErrorText(r))") }
            av_packet_rescale_ts(packet.pointer, encoder.pointee.time_base, stream.pointee.time_base)
            packet.pointer.pointee.stream_index = stream.pointee.index
            try write(packet.pointer)
        }
    }

    func finish() throws(CPUPlayError) {
        let r = av_write_trailer(pointer)
        guard r >= 0 else { throw failure("cannot finish", r) }
        try checkIO()
        avio_flush(pointer.pointee.pb)
        try checkIO()
        let c = avio_closep(&pointer.pointee.pb)
        opened = false
        guard c >= 0 else { throw failure("cannot close", c) }
    }

    private func checkIO() throws(CPUPlayError) {
        if let pb = pointer.pointee.pb, pb.pointee.error < 0 { throw failure("cannot write", pb.pointee.error) }
    }

    private func failure(_ what: String, _ code: Int32) -> CPUPlayError {
        .writeFailed("\(what) \(CPUPlayError.quoted(destination)): \(ffmpegErrorText(code))")
    }

    deinit {
        if opened, let ctx = context { avio_closep(&ctx.pointee.pb) }
        avformat_free_context(context)
    }
}
