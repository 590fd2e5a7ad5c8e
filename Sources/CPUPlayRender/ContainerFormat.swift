import CPUPlayCore
/// The video containers `render` writes, chosen by the output's extension, with the codecs
/// each gets: H.264 (libx264) in MP4 and Matroska, VP9 (libvpx) or AV1 in WebM, and an
/// animated GIF (libavcodec's gif encoder on a 256-colour palette, no sound) for chats.
public enum ContainerFormat: String, Sendable, CaseIterable {
    case mp4, mkv, webm, gif

    /// From the output path's extension; anything else is refused with the accepted ones.
    public init(path: String) throws(CPUPlayError) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.contains(".") ? String(name.split(separator: ".").last!).lowercased() : ""
        guard let f = ContainerFormat(rawValue: ext) else {
            let shown = ext.isEmpty ? "has no extension" : "has extension .\(ext), which no muxer cpuplay uses handles"
            throw .invalidArgument("output \(CPUPlayError.quoted(path)) \(shown); expected .mp4, .mkv, .webm or .gif")
        }
        self = f
    }

    /// libavformat's muxer name.
    var muxer: String {
        switch self {
        case .mp4: return "mp4"
        case .mkv: return "matroska"
        case .webm: return "webm"
        case .gif: return "gif"
        }
    }

    /// False for GIF, which holds pictures only.
    public var carriesSound: Bool { self != .gif }

    /// Video encoders to try, in order of preference (Debian 12's libavcodec59 has all of them).
    var videoEncoders: [String] {
        switch self {
        case .mp4, .mkv: return ["libx264"]
        case .webm: return ["libvpx-vp9", "libaom-av1", "libsvtav1"]
        case .gif: return ["gif"]
        }
    }

    /// The audio encoder used when the source's audio cannot be copied into this container.
    var audioEncoder: String {
        switch self {
        case .mp4: return "aac"
        case .mkv, .webm, .gif: return "libopus"
        }
    }
}
