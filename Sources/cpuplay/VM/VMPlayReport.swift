import CPUPlayGuestLink
import CPUPlayLoad
import Foundation

/// `vm play`'s report: the guest, how long it took to be ready, and how faithfully the guest's
/// /proc/stat drew the clip, with the guest player's own report under `guest`.
struct VMPlayReport {
    var vcpus: Int
    var hostCPUs: Int
    var topologyRequested: GuestTopology
    var topologySeen: GuestTopology?
    var bootSeconds: Double?
    /// The guest kernel's uptime when the player was ready: boot_s minus this is what came
    /// before the kernel ran (libvirt, QEMU, firmware loading kernel and initramfs).
    var guestUptimeAtReadySeconds: Double?
    var framesTotal: Int
    var framesShown: Int
    var framesDropped: Int
    var ticksPerWall: Double
    var errorMeanPercent: Double
    var errorP99Percent: Double
    var biasPercent: Double
    var frameMeanBiasPercent: Double
    var nohzFull: Bool
    var endedBy: String
    /// The guest player's report, as the guest sent it (a JSON object), or nil.
    var guest: [String: Any]?
    /// `--guest-viewer`: the viewer's meters read off its screens in the guest, or nil.
    var guestViewer: GuestViewerObservation?

    var overcommitRatio: Double { hostCPUs > 0 ? Double(vcpus) / Double(hostCPUs) : 0 }

    static func topologyObject(_ t: GuestTopology?) -> Any {
        guard let t else { return NSNull() }
        return ["sockets": t.sockets, "dies": t.dies, "cores": t.cores, "threads": t.threads]
    }

    var object: [String: Any] {
        [
            "schema": "vm-play-report", "version": 1,
            "vcpus": vcpus, "host_cpus": hostCPUs, "overcommit_ratio": round3(overcommitRatio),
            "topology_requested": Self.topologyObject(topologyRequested), "topology_seen": Self.topologyObject(topologySeen),
            "boot_s": bootSeconds.map { round3($0) as Any } ?? NSNull(),
            "guest_uptime_at_ready_s": guestUptimeAtReadySeconds.map { round3($0) as Any } ?? NSNull(),
            "frames_total": framesTotal, "frames_shown": framesShown, "frames_dropped": framesDropped,
            "ticks_per_wall": round3(ticksPerWall),
            "observed_error_mean_pct": round3(errorMeanPercent), "observed_error_p99_pct": round3(errorP99Percent),
            "observed_bias_pct": round3(biasPercent), "observed_bias_frame_mean_pct": round3(frameMeanBiasPercent),
            "nohz_full": nohzFull, "ended_by": endedBy,
            "guest": guest ?? NSNull(),
            "guest_viewer": guestViewer?.object ?? NSNull(),
        ]
    }

    func json() throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// The summary printed at the end.
    var table: String {
        func t(_ x: GuestTopology?) -> String { x.map { "\($0.sockets) socket x \($0.dies) die x \($0.cores) cores x \($0.threads) threads" } ?? "unknown" }
        return """
        guest           \(vcpus) vCPUs on \(hostCPUs) host CPUs (overcommit \(String(format: "%.1f", overcommitRatio)):1), nohz_full \(nohzFull ? "on" : "off")
        topology        requested \(t(topologyRequested)); guest sees \(t(topologySeen))
        boot            \(bootSeconds.map { String(format: "%.1f s to ready", $0) } ?? "not ready")\(guestUptimeAtReadySeconds.map { String(format: " (guest kernel up %.1f s of it)", $0) } ?? "")
        frames          \(framesTotal) total, \(framesShown) shown, \(framesDropped) dropped
        guest /proc/stat error mean \(String(format: "%.1f", errorMeanPercent)), p99 \(String(format: "%.1f", errorP99Percent)), bias \(String(format: "%+.1f", biasPercent)) points; ticks/wall \(String(format: "%.3f", ticksPerWall))
        ended by        \(endedBy)
        """ + correctionRows + (guestViewer.map { "\nguest viewer    " + $0.tableRow } ?? "")
    }

    /// What `--correct` did in the guest, as `play --correct` prints it (nothing when open-loop).
    var correctionRows: String {
        guard let object = guest?["correction"], !(object is NSNull),
              let data = try? JSONSerialization.data(withJSONObject: object),
              let correction = try? JSONDecoder().decode(CorrectionReport.self, from: data) else { return "" }
        return correction.tableRows.map { "\n" + $0.0.padding(toLength: 16, withPad: " ", startingAt: 0) + $0.1 }.joined()
    }

    private func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}
