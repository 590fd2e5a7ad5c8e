import CPUPlayLoad

/// One line the guest player sends the host over its serial port, and its parser.
///
/// The link is a serial port, so the protocol is plain ASCII lines, each starting with `CPG1`
/// (a version tag that also tells our lines from anything else on the port). The guest sends
/// `hello` when it is ready to play, with `vm play --fps auto` the `rate` its calibration chose
/// (`FrameRateCalibration.Outcome` as one line of JSON) before the first frame, one `frame` per
/// played frame (its /proc/stat counters over that frame's window, in phase with the frames),
/// with `--guest-viewer` a `screen` whenever the viewer's screen changed (escaped onto one line),
/// its own play `report` as one line of JSON,
/// `failure` when something went wrong, and `end` last. Parsing never traps: a line that is not
/// ours, or is cut short, is nil.
public enum GuestMessage: Equatable, Sendable {
    case hello(GuestHello)
    case rate(json: String)
    case frame(GuestFrameSample)
    case screen(GuestScreen)
    case report(json: String)
    case failure(String)
    case end(status: Int)

    public static let tag = "CPG1"

    /// The line to send, without its newline.
    public var line: String {
        switch self {
        case .hello(let h):
            let t = h.topology
            return "\(Self.tag) HELLO \(h.vcpus) \(h.uptimeMilliseconds) \(t.sockets) \(t.dies) \(t.cores) \(t.threads)"
        case .rate(let json): return "\(Self.tag) A \(Self.oneLine(json))"
        case .frame(let f):
            var s = "\(Self.tag) F \(f.frame) \(f.clipFrame) \(f.covered) \(f.dropped) \(f.wallNanoseconds)"
            for c in f.cpus { s += " \(c.busyTicks)/\(c.totalTicks)" }
            return s
        case .screen(let v): return "\(Self.tag) S \(v.frame) \(v.clipFrame) \(GuestScreen.escape(v.text))"
        case .report(let json): return "\(Self.tag) R \(Self.oneLine(json))"
        case .failure(let text): return "\(Self.tag) E \(Self.oneLine(text))"
        case .end(let status): return "\(Self.tag) END \(status)"
        }
    }

    /// Parses one line (a trailing carriage return, which a tty adds, is ignored).
    public init?(line raw: Substring) {
        var line = raw
        while let last = line.last, last == "\r" || last == "\n" { line = line.dropLast() }
        guard line.hasPrefix(Self.tag + " ") else { return nil }
        let body = line.dropFirst(Self.tag.count + 1)
        let space = body.firstIndex(of: " ") ?? body.endIndex
        let kind = body[..<space]
        let rest = space == body.endIndex ? Substring("") : body[body.index(after: space)...]
        switch kind {
        case "HELLO":
            let n = rest.split(separator: " ").compactMap { Int($0) }
            guard n.count == 6 else { return nil }
            self = .hello(GuestHello(vcpus: n[0], uptimeMilliseconds: n[1],
                                     topology: GuestTopology(sockets: n[2], dies: n[3], cores: n[4], threads: n[5])))
        case "F":
            let words = rest.split(separator: " ")
            guard words.count >= 5, let frame = Int64(words[0]), let clip = Int(words[1]), let covered = Int(words[2]),
                  let dropped = Int64(words[3]), let wall = Int64(words[4]) else { return nil }
            var cpus: [GuestCPUTicks] = []
            cpus.reserveCapacity(words.count - 5)
            for w in words.dropFirst(5) {
                let pair = w.split(separator: "/")
                guard pair.count == 2, let b = Int64(pair[0]), let t = Int64(pair[1]), b >= 0, t >= b else {
                    return nil
                }
                cpus.append(GuestCPUTicks(busyTicks: b, totalTicks: t))
            }
            self = .frame(GuestFrameSample(frame: frame, clipFrame: clip, covered: covered, dropped: dropped,
                                           wallNanoseconds: wall, cpus: cpus))
        case "S":
            let words = rest.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard words.count == 3, let frame = Int64(words[0]), let clip = Int(words[1]),
                  let text = GuestScreen.unescape(words[2]) else { return nil }
            self = .screen(GuestScreen(frame: frame, clipFrame: clip, text: text))
        case "A": self = .rate(json: String(rest))
        case "R": self = .report(json: String(rest))
        case "E": self = .failure(String(rest))
        case "END":
            guard let s = Int(rest) else { return nil }
            self = .end(status: s)
        default: return nil
        }
    }

    static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}

/// The guest is booted and about to play: how many vCPUs and what topology its kernel sees.
public struct GuestHello: Equatable, Sendable {
    public var vcpus: Int
    /// The guest kernel's uptime when the player started (/proc/uptime), ms.
    public var uptimeMilliseconds: Int
    public var topology: GuestTopology
}

/// A CPU topology as counts per level: sockets, dies per socket, cores per die, threads per core.
public struct GuestTopology: Equatable, Sendable, Codable {
    public var sockets: Int
    public var dies: Int
    public var cores: Int
    public var threads: Int

    public init(sockets: Int, dies: Int, cores: Int, threads: Int) {
        self.sockets = sockets
        self.dies = dies
        self.cores = cores
        self.threads = threads
    }

    public var vcpus: Int { sockets * dies * cores * threads }
}

/// What the guest's /proc/stat said about one frame's window, read the way htop reads it.
public struct GuestFrameSample: Equatable, Sendable {
    /// The frame the window showed (absolute frame number) and its clip frame.
    public var frame: Int64
    public var clipFrame: Int
    /// Frames the window spans (more than 1 when frames were dropped in between).
    public var covered: Int
    /// Frames dropped so far by the guest's clock.
    public var dropped: Int64
    /// The window's length on the guest's monotonic clock.
    public var wallNanoseconds: Int64
    /// Per guest CPU, in CPU-number order.
    public var cpus: [GuestCPUTicks]
}

// In an extension, so that the parser keeps the synthesized memberwise initialiser.
extension GuestFrameSample {
    /// The window `windows` has just closed, `dropped` frames so far, each CPU counted as htop counts it.
    public init(_ window: FrameWindow, dropped: Int64, of windows: FrameWindowSampler) {
        let cpus = windows.cpus.indices.map { i in
            let t = windows.ticks(i, as: .htop)
            return GuestCPUTicks(busyTicks: Int64(t.busy), totalTicks: Int64(max(t.busy, t.total)))
        }
        self.init(frame: window.frame, clipFrame: window.clipFrame, covered: window.frames, dropped: dropped,
                  wallNanoseconds: window.nanoseconds, cpus: cpus)
    }
}

/// One CPU's /proc/stat ticks (USER_HZ) over a window, busy and total as `ViewerFormula.htop`
/// counts them.
public struct GuestCPUTicks: Equatable, Sendable {
    public var busyTicks: Int64
    public var totalTicks: Int64

    /// Busy share of the window, 0...1 (0 for an empty window).
    public var busyFraction: Double {
        ViewerFormula.fraction(busyTicks: UInt64(max(0, busyTicks)), totalTicks: UInt64(max(0, totalTicks)))
    }
}

extension GuestCPUTicks {
    /// The ticks of several windows together (one CPU over several frames).
    public init(summing windows: [GuestCPUTicks]) {
        self.init(busyTicks: windows.reduce(0) { $0 + $1.busyTicks },
                  totalTicks: windows.reduce(0) { $0 + $1.totalTicks })
    }
}

/// A terminal viewer's screen as captured in the guest (`tmux capture-pane -p`) right after
/// frame `frame` (clip frame `clipFrame`) was published.
///
/// On the link the text is one line: a backslash, newline and carriage return are written
/// `\\`, `\n` and `\r`; everything else (UTF-8, btop's braille graphs) passes as is.
public struct GuestScreen: Equatable, Sendable {
    public var frame: Int64
    public var clipFrame: Int
    public var text: String

    public init(frame: Int64, clipFrame: Int, text: String) {
        self.frame = frame
        self.clipFrame = clipFrame
        self.text = text
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// nil for a dangling or unknown escape (a line cut short).
    static func unescape(_ line: Substring) -> String? {
        var out = ""
        var escaped = false
        for ch in line.unicodeScalars {
            if escaped {
                switch ch {
                case "\\": out += "\\"
                case "n": out += "\n"
                case "r": out += "\r"
                default: return nil
                }
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(ch)
            }
        }
        return escaped ? nil : out
    }
}
