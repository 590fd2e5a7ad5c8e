import CPUPlayClip
import CPUPlayGuestLink
import CPUPlayCore
import CPUPlaySystem
import CPUPlayMeasure
import CPUPlayTerminal
import Foundation

extension GuestRun {
    /// Folds the guest's messages in: readiness, frames (recorded and drawn), screens, the end.
    func handle(_ messages: [GuestMessage]) {
        for m in messages {
            switch m {
            case .hello(let h):
                hello = h
                let now = clock.now()
                bootSeconds = Double(now - start) / 1e9
                playback.timeline.mark("firmware+kernel load", at: now - Int64(h.uptimeMilliseconds) * 1_000_000)
                playback.timeline.mark("kernel+init to ready", at: now)
                // A boot started again is not one boot's time.
                if let bootSeconds, bootWatch.bootedAgain == 0 {
                    BootEstimates.record(vcpus: playback.plan.vcpus, readySeconds: bootSeconds)
                }
                if playback.settings.fpsAutoMaxError != nil { say(GuestRateChoice.calibratingLine(vcpus: h.vcpus)) }
            case .rate(let json): choose(json: json)
            case .frame(let s):
                if awaitingRate {
                    refuse("the guest played a frame before it chose its frame rate (\(Setting.fps) auto)")
                } else {
                    add(s)
                }
            case .screen(let screen): viewerObservation?.add(screen)
            case .report(let json):
                guestReport = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
            case .failure(let text): guestFailure = text
            case .end: ended = true
            }
        }
    }

    private func add(_ s: GuestFrameSample) {
        let levels = observation.add(s)
        viewerObservation?.add(s)
        // One recorded frame per played frame: a window spanning dropped frames (or frames
        // before the first window) stands for each of them.
        if let recorder {
            while Int64(recorder.frames) < s.frame + Int64(max(1, s.covered)) { try? recorder.append(levels) }
        }
        lastLevels = levels
        if let session { draw(session, frame: s, observed: levels) }
        status.draw("playing frame \(s.frame + 1)/\(playback.clip.frameCount)  dropped \(s.dropped)  (\(quitHint))")
    }

    private func draw(_ session: TerminalSession, frame s: GuestFrameSample, observed: [UInt8]) {
        let clip = playback.clip
        let line = "\(playback.plan.vcpus) vCPUs · frame \(s.frame + 1)/\(clip.frameCount) · \(clip.frameRate) fps · "
            + "dropped \(s.dropped) · \(quitHint)"
        // A terminal that stops taking output is gone (SIGHUP ends the run).
        try? view.drawComparison(intended: Array(clip.frame(min(max(0, s.clipFrame), clip.frameCount - 1))),
                                 intendedGrid: clip.grid,
                                 observed: observed, observedGrid: playback.layout.grid, frame: s.frame,
                                 observedTitle: "guest observed (/proc/stat)", status: line, session: session)
    }

    /// Tears the guest down, restores the terminal, closes the recording and builds the report.
    func finish() -> GuestPlayback.Outcome {
        // A guest that ended powers itself off; give it a moment, then stop whatever is left.
        if ended { _ = machine.qemu?.wait(seconds: 10) }
        machine.tearDown()
        status.clear()
        session?.restore()
        quitKey?.finish()
        finishRecording()
        let signal = StopSignal.process.signal ?? (endedBy == "signal" ? ProcessSignal.interrupt : nil)
        if let signal { endedBy = "signal \(signal)" }
        return GuestPlayback.Outcome(report: report(), signal: signal, quit: endedBy == "q", failure: failure)
    }

    private func finishRecording() {
        guard let recorder else { return }
        // The clock ends at t0 + N*T without publishing frames dropped at the very end.
        if let total = guestReport?["frames_total"] as? Int, let levels = lastLevels {
            while recorder.frames < total { try? recorder.append(levels) }
        }
        if observation.samples > 0 { try? recorder.finish() } else { recorder.cancel() }
    }

    func report() -> VMPlayReport {
        let plan = playback.plan, t = plan.topology, stats = observation.errorStatistics
        var report = VMPlayReport(
            vcpus: plan.vcpus, hostCPUs: plan.placement?.hostCPUs.count ?? 0,
            topologyRequested: GuestTopology(sockets: t.sockets, dies: t.dies, cores: t.cores, threads: t.threads),
            topologySeen: hello?.topology, bootSeconds: bootSeconds,
            guestUptimeAtReadySeconds: hello.map { Double($0.uptimeMilliseconds) / 1000 },
            framesTotal: guestReport?["frames_total"] as? Int ?? observation.samples,
            framesShown: guestReport?["frames_shown"] as? Int ?? observation.samples,
            framesDropped: guestReport?["frames_dropped"] as? Int ?? Int(observation.dropped),
            ticksPerWall: observation.ticksPerWall, errorMeanPercent: stats.mean, errorP99Percent: stats.p99,
            biasPercent: observation.biasPercent, frameMeanBiasPercent: observation.frameMeanBiasPercent,
            nohzFull: plan.directBoot?.commandLine.contains("nohz_full=") ?? false,
            endedBy: endedBy, guest: guestReport, guestViewer: viewerObservation)
        if hello != nil { report.bootPhases = playback.timeline.phases }
        report.bootRetries = bootWatch.bootedAgain
        report.fpsAuto = playback.fpsAuto
        return report
    }
}
