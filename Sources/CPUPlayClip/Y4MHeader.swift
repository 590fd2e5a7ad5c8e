import CPUPlayCore
/// The stream header of a YUV4MPEG2 file: `YUV4MPEG2 W16 H9 F10:1 Ip A1:1 Cmono`.
///
/// cpuplay's clip format is Y4M with `C mono`: one byte per cell, which ffmpeg, ffplay
/// and mpv read as grey video, so a clip can be inspected with ordinary tools.
public struct Y4MHeader: Sendable, Equatable {
    public static let magic = "YUV4MPEG2"
    public static let frameMarker = "FRAME"

    public var width: Int
    public var height: Int
    public var frameRate: FrameRate
    /// The `C` parameter (nil when absent, which Y4M defines as 4:2:0).
    public var colorspace: String?

    public var isMono: Bool { colorspace?.lowercased().hasPrefix("mono") == true }
    /// What the clip is (cpuplay's `X` parameters), nil when the header does not say.
    public var label: ClipLabel?

    /// The title `render` draws over this clip's panel: its label's, or a neutral `CLIP` for a
    /// clip that does not say what it is (made by another tool, or before clips were labelled).
    public var panelTitle: String { label?.title ?? ClipLabel.neutralTitle }

    /// The longest header line written, newline included: FFmpeg's Y4M reader refuses a
    /// header line of more than 128 bytes ("Header too large").
    public static let maximumLineLength = 128

    public init(grid: GridSize, frameRate: FrameRate, label: ClipLabel? = nil) {
        width = grid.width
        height = grid.height
        self.frameRate = frameRate
        colorspace = "mono"
        self.label = label
    }

    /// The header line, including its newline.
    public var line: String {
        let rate = "F\(frameRate.numerator):\(frameRate.denominator)"
        let base = "\(Self.magic) W\(width) H\(height) \(rate) Ip A1:1 C\(colorspace ?? "mono") XCOLORRANGE=FULL"
        // The label takes what the line has left (a space and the newline besides).
        let room = Self.maximumLineLength - base.utf8.count - 2
        let label = self.label.map { room > ClipLabel.prefix.count + 9 ? " " + $0.token(maximum: room) : "" } ?? ""
        return base + label + "\n"
    }

    /// Parses the first line (without its newline) of a Y4M file named `name`.
    public init(parsing text: Substring, name: String) throws(CPUPlayError) {
        var fields = text.split(separator: " ", omittingEmptySubsequences: true)
        // The Y4M spec writes parameters as one token (`Cmono`); `C mono`, as people (and once
        // this README) write it, means the same: join a bare `C` with the value after it.
        if let i = fields.firstIndex(of: "C"), i + 1 < fields.count {
            fields[i] = Substring("C" + fields[i + 1])
            fields.remove(at: i + 1)
        }
        guard fields.first == Substring(Self.magic) else {
            throw .malformedInput("clip \(CPUPlayError.quoted(name)): header does not start with YUV4MPEG2 "
                + "(not a Y4M file)")
        }
        var w: Int?, h: Int?, rate: FrameRate?, c: String?
        for field in fields.dropFirst() {
            let key = field.first!, value = field.dropFirst()
            switch key {
            case "W": w = Int(value)
                guard w != nil else {
                    throw .malformedInput("clip \(CPUPlayError.quoted(name)): bad width "
                        + "\(CPUPlayError.quoted(field)) in header")
                }
            case "H": h = Int(value)
                guard h != nil else {
                    throw .malformedInput("clip \(CPUPlayError.quoted(name)): bad height "
                        + "\(CPUPlayError.quoted(field)) in header")
                }
            case "F":
                let p = value.split(separator: ":")
                guard p.count == 2, let n = Int(p[0]), let d = Int(p[1]) else {
                    throw .malformedInput("clip \(CPUPlayError.quoted(name)): bad frame rate "
                        + "\(CPUPlayError.quoted(field)) in header, expected F<num>:<den>")
                }
                do { rate = try FrameRate(numerator: n, denominator: d) } catch {
                    throw .malformedInput("clip \(CPUPlayError.quoted(name)): frame rate \(CPUPlayError.quoted(field)) "
                        + "in header is refused: \(error.message)", subject: name)
                }
            case "C": c = String(value)
            case "I", "A", "X": break
            default:
                throw .malformedInput("clip \(CPUPlayError.quoted(name)): unknown header parameter "
                    + "\(CPUPlayError.quoted(field))")
            }
        }
        guard let w, let h else {
            throw .malformedInput("clip \(CPUPlayError.quoted(name)): header lacks W (width) or H (height)")
        }
        guard w >= 1, h >= 1, w <= 16384, h <= 16384 else {
            throw .malformedInput("clip \(CPUPlayError.quoted(name)): size \(w)x\(h) in header is out of range")
        }
        guard let rate else {
            throw .malformedInput("clip \(CPUPlayError.quoted(name)): header lacks F (frame rate)")
        }
        width = w
        height = h
        frameRate = rate
        colorspace = c
        label = (try? GridSize(width: w, height: h)).flatMap { ClipLabel(tokens: fields.filter { $0.hasPrefix("X") },
                                                                         grid: $0, frameRate: rate) }
    }
}
