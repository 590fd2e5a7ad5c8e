import CPUPlaySystem
import ArgumentParser
import Foundation
import CPUPlayMedia

/// `cpuplay info INPUT`: what a file is, before converting it.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe an input: container, codec, size, pixel format, colour range, frame rate, duration, frame "
            + "count, audio streams.",
        discussion: "The frame count of a video is counted from its packets (no decoding), so it is exact even when "
            + "the container does not state it."
    )

    @OptionGroup var source: InputArgument
    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the facts as JSON (schema media-info, see Configs/schemas/), audio streams included.")
    var json = false

    func run() throws {
        let info = try ClipLoader.info(try source.resolved())
        if json {
            try OutputFile.write(Array(try info.jsonData()), to: StandardOutput.target)
            return
        }
        var rows: [(String, String)] = [
            ("input", info.path),
            ("container", info.container),
            ("codec", info.codec),
            ("size", "\(info.width)x\(info.height)"),
            ("pixel format", info.pixelFormat),
            ("colour range", info.colorRange),
        ]
        if let r = info.frameRate {
            rows.append(("frame rate", r.denominator == 1 ? "\(r) fps" : "\(r) (\(format(r.framesPerSecond, 3)) fps)"))
        } else {
            rows.append(("frame rate", "unknown"))
        }
        for a in info.audioStreams {
            let layout = a.channelLayout ?? "\(a.channels) channels"
            rows.append(("audio #\(a.index)",
                         "\(a.codec), \(a.sampleRate) Hz, \(layout)" + (a.language.map { ", \($0)" } ?? "")))
        }
        rows.append(("duration", info.durationSeconds.map { "\(format($0, 3)) s" } ?? "unknown"))
        if let n = info.frameCount {
            rows.append(("frames", "\(n)"))
        } else {
            rows.append(("frames", "unknown"))
        }
        let width = rows.map(\.0.count).max()! + 1
        for (k, v) in rows {
            try StandardOutput.line((k + ":").padding(to: width + 1) + v)
        }
    }

    private func format(_ v: Double, _ decimals: Int) -> String {
        var p = 1.0
        for _ in 0..<decimals { p *= 10 }
        let r = (v * p).rounded() / p
        let whole = Int(r)
        let frac = Int(((r - Double(whole)) * p).rounded())
        let f = String(frac)
        return "\(whole)." + String(repeating: "0", count: max(0, decimals - f.count)) + f
    }
}

extension String {
    func padding(to n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
