import CPUPlayEngine
import CPUPlayHost
import CPUPlayRender
import CPUPlayTerminal
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The stop request of a render (Ctrl-C, SIGTERM, SIGHUP): a handler may only touch a
/// lock-free atomic, so it is a global the handler reaches without capturing.
let renderStopSignal = StopSignal()

/// Runs a render with a progress bar (frames, rate, ETA) on a terminal and Ctrl-C handling:
/// the render loop sees the stop within a frame, removes the partial file and exits
/// 128 + signal. `stop` lets `play --export` pass its own stop request instead.
enum RenderRun {
    static func run(_ job: RenderJob, stop: StopSignal? = nil) throws -> RenderSummary {
        let signal = stop ?? renderStopSignal
        if stop == nil {
            _ = renderStopSignal.isRequested
            SignalHandling.install({ sig in renderStopSignal.request(signal: sig) }, for: [SIGINT, SIGTERM, SIGHUP])
        }
        defer { if stop == nil { SignalHandling.reset([SIGINT, SIGTERM, SIGHUP]) } }
        let bar = ProgressBar(label: "render", total: job.outputFrameCount)
        do {
            let summary = try Renderer.render(job, progress: { done, total in bar.update(done: done, total: total) },
                                              shouldStop: { signal.isRequested })
            bar.finish()
            let audio = summary.audio.map { ", audio \($0)" } ?? ", no audio"
            FileHandle.standardError.write(Data("wrote \(job.output): \(summary.frames) frames \(summary.width)x\(summary.height) \(summary.videoCodec)\(audio), \(ProgressBar.clock(summary.seconds))\n".utf8))
            return summary
        } catch let interrupted as RenderInterrupted {
            bar.clear()
            FileHandle.standardError.write(Data("cpuplay: \(interrupted)\n".utf8))
            throw ExitStatus(code: 128 + (signal.signal ?? SIGINT))
        } catch {
            bar.clear()
            throw error
        }
    }
}

/// Ends the process with `code` and no further message (ArgumentParser's ExitCode).
struct ExitStatus: Error { let code: Int32 }
