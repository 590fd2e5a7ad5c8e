import CFFmpeg

/// The FFmpeg library versions cpuplay runs against, for `info` and bug reports.
public enum FFmpegVersion {
    public static var description: String {
        func v(_ n: UInt32) -> String { "\(n >> 16).\((n >> 8) & 0xff).\(n & 0xff)" }
        return "libavformat \(v(avformat_version())), libavcodec \(v(avcodec_version())), libavutil "
            + "\(v(avutil_version()))"
    }
}
