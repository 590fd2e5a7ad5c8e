import CFFmpeg
import CPUPlayCore

/// An audio stream in an input, as `cpuplay info` lists it: cpuplay plays only the picture,
/// but a user choosing a file (and a render that keeps the sound) needs to know it is there.
public struct AudioStreamInfo: Sendable, Equatable {
    /// The stream's index in the container.
    public var index: Int
    public var codec: String
    public var sampleRate: Int
    public var channels: Int
    /// FFmpeg's name for the channel layout ("stereo", "5.1"), when it has one.
    public var channelLayout: String?
    public var durationSeconds: Double?
    /// The stream's language tag, when the container has one.
    public var language: String?

    /// Every audio stream in an opened container, in stream order.
    static func all(in context: UnsafeMutablePointer<AVFormatContext>) -> [AudioStreamInfo] {
        var found: [AudioStreamInfo] = []
        for i in 0..<Int(context.pointee.nb_streams) {
            guard let stream = context.pointee.streams[i] else { continue }
            var par = stream.pointee.codecpar.pointee
            guard par.codec_type == AVMEDIA_TYPE_AUDIO else { continue }
            var layout: String?
            var buffer = [CChar](repeating: 0, count: 64)
            if par.ch_layout.order != AV_CHANNEL_ORDER_UNSPEC,
               av_channel_layout_describe(&par.ch_layout, &buffer, buffer.count) > 0 {
                layout = String(nulTerminated: buffer)
            }
            let tb = stream.pointee.time_base
            let duration = stream.pointee.duration > 0 && tb.den > 0
                ? Double(stream.pointee.duration) * Double(tb.num) / Double(tb.den) : nil
            let language = av_dict_get(stream.pointee.metadata, "language", nil,
                                       0).map { String(cString: $0.pointee.value) }
            found.append(AudioStreamInfo(
                index: i, codec: String(cString: avcodec_get_name(par.codec_id)), sampleRate: Int(par.sample_rate),
                channels: Int(par.ch_layout.nb_channels), channelLayout: layout, durationSeconds: duration,
                    language: language))
        }
        return found
    }
}
