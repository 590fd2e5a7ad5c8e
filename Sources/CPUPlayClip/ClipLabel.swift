/// What a clip is, written into its Y4M header as `X` parameters so that `render` (and a
/// person with `head -c 200`) can tell an intended clip from a recording:
/// `XCPUPLAY_KIND=observed XCPUPLAY_SOURCE=/proc/stat XCPUPLAY_GRID=2x1 XCPUPLAY_FPS=10:1`.
///
/// Y4M parameters are single tokens, so the source is percent-encoded (space, `%`, control
/// and non-ASCII bytes). Readers that do not know these parameters (ffmpeg, mpv) skip them.
public struct ClipLabel: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// What was meant to be drawn (`convert`, the clip `vm play` sends to its guest).
        case intended
        /// What a graph showed (`play --record`, `watch --record`, `vm play --record`).
        case observed
    }

    public var kind: Kind
    /// Where the frames came from: the input's name, `/proc/stat`, `guest /proc/stat`.
    public var source: String
    public var grid: GridSize
    public var frameRate: FrameRate

    public init(kind: Kind, source: String, grid: GridSize, frameRate: FrameRate) {
        self.kind = kind
        self.source = source
        self.grid = grid
        self.frameRate = frameRate
    }

    static let prefix = "XCPUPLAY_"

    /// The header tokens, each starting with `X`.
    public var tokens: [String] {
        ["\(Self.prefix)KIND=\(kind.rawValue)", "\(Self.prefix)SOURCE=\(Self.encode(source))",
         "\(Self.prefix)GRID=\(grid)", "\(Self.prefix)FPS=\(frameRate.numerator):\(frameRate.denominator)"]
    }

    /// The label from a header's `X` tokens; nil unless kind, source, grid and rate all read.
    public init?(tokens: [Substring]) {
        var values = [String: String]()
        for t in tokens where t.hasPrefix(Self.prefix) {
            let pair = t.dropFirst(Self.prefix.count).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { values[String(pair[0])] = String(pair[1]) }
        }
        guard let k = values["KIND"].flatMap(Kind.init(rawValue:)), let s = values["SOURCE"].flatMap(Self.decode),
              let g = values["GRID"].flatMap({ try? GridSize(parsing: $0) }) else { return nil }
        let rate = values["FPS"]?.split(separator: ":").compactMap { Int($0) }
        guard let rate, rate.count == 2, let r = try? FrameRate(numerator: rate[0], denominator: rate[1]) else { return nil }
        self.init(kind: k, source: s, grid: g, frameRate: r)
    }

    /// The title `render` draws over a panel of this clip, in capitals:
    /// `OBSERVED (/PROC/STAT)`, `INTENDED (SAMPLE.MP4)`.
    public var title: String { Self.title(kind, source: source) }

    /// The title of a panel of `kind` drawn from `source` (a path is shown by its last part).
    public static func title(_ kind: Kind, source: String) -> String {
        let name = source.split(separator: "/").last.map(String.init) ?? source
        let shown = source.hasSuffix("/proc/stat") ? source : name
        return "\(kind.rawValue) (\(shown))".uppercased()
    }

    /// The title for a clip that does not say what it is.
    public static let neutralTitle = "CLIP"

    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "%") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    static func decode(_ text: String) -> String? {
        var bytes = [UInt8](), i = text.utf8.startIndex
        let u = text.utf8
        while i < u.endIndex {
            if u[i] == UInt8(ascii: "%") {
                let hex = u.index(i, offsetBy: 1, limitedBy: u.endIndex).flatMap { s in
                    u.index(s, offsetBy: 2, limitedBy: u.endIndex).map { String(text[s..<$0]) }
                }
                guard let hex, let b = UInt8(hex, radix: 16) else { return nil }
                bytes.append(b)
                i = u.index(i, offsetBy: 3)
            } else {
                bytes.append(u[i])
                i = u.index(after: i)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

private extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
