/// What a clip is, written into its Y4M header as one `X` parameter so that `render` (and a
/// person with `head -1`) can tell an intended clip from a recording: `XCPUPLAY=observed:/proc/stat`.
/// The grid and the rate are the header's own W, H and F.
///
/// Y4M parameters are single tokens, so the source is percent-encoded (space, `%`, control
/// and non-ASCII bytes). FFmpeg reads a header line of at most 128 bytes, so a long source is
/// shortened to its file name, then cut (`Y4MHeader.maximumLineLength`). Readers that do not
/// know the parameter (ffmpeg, mpv) skip it.
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

    static let prefix = "XCPUPLAY="

    /// The header token, at most `maximum` bytes: the source shortened to its file name, then
    /// cut, when the whole would be longer.
    public func token(maximum: Int) -> String {
        let head = "\(Self.prefix)\(kind.rawValue):"
        var encoded = Self.encode(source)
        if head.utf8.count + encoded.utf8.count > maximum, let name = source.split(separator: "/").last {
            encoded = Self.encode(String(name))
        }
        while head.utf8.count + encoded.utf8.count > maximum, !encoded.isEmpty {
            encoded.removeLast()
            if let cut = encoded.lastIndex(of: "%"), encoded.distance(from: cut, to: encoded.endIndex) < 3 {
                encoded.removeSubrange(cut...)
            }
        }
        return head + encoded
    }

    /// The label from a header's `X` tokens and its grid and rate; nil without a readable one.
    public init?(tokens: [Substring], grid: GridSize, frameRate: FrameRate) {
        guard let token = tokens.first(where: { $0.hasPrefix(Self.prefix) }) else { return nil }
        let pair = token.dropFirst(Self.prefix.count).split(separator: ":", maxSplits: 1,
                                                            omittingEmptySubsequences: false)
        guard pair.count == 2, let kind = Kind(rawValue: String(pair[0])),
              let source = Self.decode(String(pair[1])) else {
            return nil
        }
        self.init(kind: kind, source: source, grid: grid, frameRate: frameRate)
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
