import CPUPlayCore
import CPUPlayRender
import CPUPlaySystem
import CPUPlayTerminal
import Foundation

/// Runs a render with a progress bar (frames, rate, ETA) on a terminal and stop handling:
/// the render loop sees a stop signal (`StopSignal.process`) within a frame, removes the
/// partial file and the process exits 128 + signal. `stop` lets `play --export` pass its
/// own stop request instead.
enum RenderRun {
    static func run(_ job: RenderJob, stop: StopSignal? = nil) throws -> RenderSummary {
        try StopSignals.honouring { try render(job, stop: stop ?? StopSignal.process) }
    }

    private static func render(_ job: RenderJob, stop signal: StopSignal) throws -> RenderSummary {
        let bar = ProgressBar(label: "render", total: job.outputFrameCount)
        do {
            let summary = try Renderer.render(job, progress: { done, total in bar.update(done: done, total: total) },
                                              shouldStop: { signal.isRequested })
            bar.finish()
            let audio = summary.audio.map { ", audio \($0)" } ?? ", no audio"
            _ = DescriptorWrite.all("wrote \(CPUPlayError.quoted(job.output)): \(summary.frames) frames "
                + "\(summary.width)x\(summary.height) \(summary.videoCodec)\(audio), "
                + "\(ProgressBar.clock(summary.seconds)); panels \(job.titles.joined(separator: " | "))\n",
                    to: .standardError)
            return summary
        } catch let interrupted as RenderInterrupted {
            bar.clear()
            _ = DescriptorWrite.all("cpuplay: \(interrupted)\n", to: .standardError)
            throw ExitStatus(code: 128 + (signal.signal ?? SIGINT))
        } catch {
            bar.clear()
            throw error
        }
    }
}

/// Ends the process with `code` and no further message (ArgumentParser's ExitCode).
struct ExitStatus: Error { let code: Int32 }
