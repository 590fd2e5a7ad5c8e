import CPUPlayEngine
import CPUPlayGuestLink
import CPUPlayLoad
import CPUPlayMeasure
import Foundation

/// `vm play`'s report: the guest, how long it took to be ready, and how faithfully the guest's
/// /proc/stat drew the clip, with the guest player's own report under `guest`.
public struct VMPlayReport {
    public var vcpus: Int
    public var hostCPUs: Int
    public var topologyRequested: GuestTopology
    public var topologySeen: GuestTopology?
    public var bootSeconds: Double?
    /// The guest kernel's uptime when the player was ready: boot_s minus this is what came
    /// before the kernel ran (libvirt, QEMU, firmware loading kernel and initramfs).
    public var guestUptimeAtReadySeconds: Double?
    public var framesTotal: Int
    public var framesShown: Int
    public var framesDropped: Int
    public var ticksPerWall: Double
    public var errorMeanPercent: Double
    public var errorP99Percent: Double
    public var biasPercent: Double
    public var frameMeanBiasPercent: Double
    public var nohzFull: Bool
    public var endedBy: String
    /// The guest player's report, as the guest sent it (a JSON object), or nil.
    public var guest: [String: Any]?
    /// `--guest-viewer`: the viewer's meters read off its screens in the guest, or nil.
    public var guestViewer: GuestViewerObservation?

    /// Boots started again because the guest was not ready in time (`BootWatch`); boot_s counts them.
    public var bootRetries = 0
    /// Where the time before the player was ready went, in order (phase name, seconds).
    public var bootPhases: [(name: String, seconds: Double)] = []
    /// How `--fps auto` chose the rate in the guest (key `fps_auto`, as in `play`'s report);
    /// nil when a rate was given or the guest never chose.
    public var fpsAuto: FrameRateCalibration.Outcome?

    public var overcommitRatio: Double { hostCPUs > 0 ? Double(vcpus) / Double(hostCPUs) : 0 }

    static func topologyObject(_ t: GuestTopology?) -> Any {
        guard let t else { return NSNull() }
        return ["sockets": t.sockets, "dies": t.dies, "cores": t.cores, "threads": t.threads]
    }

    /// The verdict a person reads: the guest's observed error (% of full load) and the frames dropped.
    public var verdict: PictureVerdict {
        PictureVerdict.judge(dutyErrorPercent: errorMeanPercent, framesDropped: Int64(framesDropped),
                             framesTotal: Int64(framesTotal), observed: true)
    }

    public var object: [String: Any] {
        [
            "schema": "vm-play-report", "version": 1,
            "vcpus": vcpus, "host_cpus": hostCPUs, "overcommit_ratio": round3(overcommitRatio),
            "topology_requested": Self.topologyObject(topologyRequested),
                "topology_seen": Self.topologyObject(topologySeen),
            "boot_s": bootSeconds.map { round3($0) as Any } ?? NSNull(), "boot_retries": bootRetries,
            "guest_uptime_at_ready_s": guestUptimeAtReadySeconds.map { round3($0) as Any } ?? NSNull(),
            "boot_phases": bootPhases.map { ["phase": $0.name, "duration_s": round3($0.seconds)] as [String: Any] },
            "frames_total": framesTotal, "frames_shown": framesShown, "frames_dropped": framesDropped,
            "ticks_per_wall": round3(ticksPerWall),
            "observed_error_mean_pct": round3(errorMeanPercent), "observed_error_p99_pct": round3(errorP99Percent),
            "observed_bias_pct": round3(biasPercent), "observed_bias_frame_mean_pct": round3(frameMeanBiasPercent),
            "nohz_full": nohzFull, "ended_by": endedBy, "fps_auto": fpsAutoObject,
            "guest": guest ?? NSNull(),
            "guest_viewer": guestViewer?.object ?? NSNull(),
            "verdict": ["rating": verdict.rating.rawValue, "reason": verdict.reason ?? NSNull(),
                        "line": verdict.line] as [String: Any],
        ]
    }

    public func json() throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// The summary printed at the end.
    public var table: String {
        func t(_ x: GuestTopology?) -> String { x.map { "\($0.sockets) socket x \($0.dies) die x \($0.cores) cores x "
            + "\($0.threads) threads" } ?? "unknown" }
        return """
        guest           \(vcpus) vCPUs on \(hostCPUs) host CPUs \
        (overcommit \(String(format: "%.1f", overcommitRatio)):1), nohz_full \(nohzFull ? "on" : "off")
        topology        requested \(t(topologyRequested)); guest sees \(t(topologySeen))
        boot            \(bootSeconds.map { String(format: "%.1f s to ready", $0) } ?? "not ready")\
        \(guestUptimeAtReadySeconds.map { String(format: " (guest kernel up %.1f s of it)", $0) } ?? "")\
        \(bootRetries > 0 ? "; booted again \(bootRetries)x (not ready in time)" : "")\(phaseRow)
        frames          \(framesTotal) total, \(framesShown) shown, \(framesDropped) dropped
        guest /proc/stat error mean \(String(format: "%.1f", errorMeanPercent)), \
        p99 \(String(format: "%.1f", errorP99Percent)), bias \(String(format: "%+.1f", biasPercent)) points; \
        ticks/wall \(String(format: "%.3f", ticksPerWall))
        ended by        \(endedBy)
        """ + fpsAutoRow
            + correctionRows + (guestViewer.map { "\nguest viewer    " + $0.tableRow } ?? "") + "\n" + verdict.line
    }

    /// What `--correct` did in the guest, as `play --correct` prints it (nothing when open-loop).
    public var correctionRows: String {
        guard let object = guest?["correction"], !(object is NSNull),
              let data = try? JSONSerialization.data(withJSONObject: object),
              let correction = try? JSONDecoder().decode(CorrectionReport.self, from: data) else { return "" }
        return correction.tableRows.map { "\n" + $0.0.padding(toLength: 16, withPad: " ",
                                                              startingAt: 0) + $0.1 }.joined()
    }

    /// The outcome as the play report writes it (its own encoder), or null.
    var fpsAutoObject: Any {
        guard let fpsAuto, let data = try? JSONEncoder().encode(fpsAuto),
              let object = try? JSONSerialization.jsonObject(with: data) else { return NSNull() }
        return object
    }

    /// `--fps auto`'s choice and why, as `play` prints it (nothing for a given rate).
    var fpsAutoRow: String {
        fpsAuto.map { "\nfps auto        \($0.fps) fps: \($0.reason)" } ?? ""
    }

    /// The boot phases as one clause ("prepare 0.4 s, virsh start 1.2 s, ..."), empty when unknown.
    var phaseRow: String {
        guard !bootPhases.isEmpty else { return "" }
        return "\n                " + bootPhases.map { "\($0.name) " + String(format: "%.1f s",
                                                                              $0.seconds) }.joined(separator: ", ")
    }

    private func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
