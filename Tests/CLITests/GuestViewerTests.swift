import CPUPlayTestSupport
import Foundation
import Testing

/// `vm play --guest-viewer`: the real htop and btop run inside a 4-vCPU guest, and their own
/// screens prove that the `htop` and `btop` layouts put each CPU where that viewer draws its
/// meter. The clip rises in cell order (20 % in the first cell to 80 % in the last), so a
/// layout that put CPUs anywhere else would show the levels out of order on the viewer's meters.
///
/// No timing assert: the guest is TCG on a busy 2-core machine. Every meter must agree with the
/// guest's own /proc/stat over the same frames (outside load shows in both); the levels meant are
/// compared by rank, and within a generous bound on CPUs 0-2 only, because CPU 3 (the highest)
/// also carries the viewer, tmux and the captures, which on a loaded host can fill it whatever
/// --correct does (it is the cell meant busiest, so its rank holds).
/// Each test boots one guest.
@Suite(.serialized) struct GuestViewerTests {
    static let vcpus = ["--vcpus", "4", "--sockets", "1", "--cores", "2", "--threads", "2"]

    /// A mono Y4M clip of `seconds` at 10 fps on a `width` x `height` grid whose cell i (row-major)
    /// holds 20 % + 60 % * i / (cells - 1).
    static func cellOrderGradient(_ path: String, width: Int, height: Int, seconds: Int) throws -> [Double] {
        let n = width * height
        let levels = (0..<n).map { i in UInt8((255 * (0.2 + 0.6 * Double(i) / Double(max(1, n - 1)))).rounded()) }
        var data = Data("YUV4MPEG2 W\(width) H\(height) F10:1 Ip A1:1 Cmono\n".utf8)
        for _ in 0..<(seconds * 10) {
            data.append(Data("FRAME\n".utf8))
            data.append(contentsOf: levels)
        }
        try data.write(to: URL(fileURLWithPath: path))
        return levels.map { Double($0) / 2.55 }
    }

    /// Ranks of `values` (0 for the smallest).
    static func ranks(_ values: [Double]) -> [Int] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var r = [Int](repeating: 0, count: values.count)
        for (rank, i) in order.enumerated() { r[i] = rank }
        return r
    }

    @Test(arguments: ["htop", "btop"])
    func viewerMetersStandWhereTheLayoutPutsTheirCPUs(_ viewer: String) throws {
        #expect(VMTestSupport.missingTools().isEmpty, "missing: \(VMTestSupport.missingTools())")
        for tool in ["tmux", viewer] { try TmuxScreen.requireTool(tool) }
        let dir = try TemporaryDirectory()
        // Both layouts draw 4 CPUs as one column of 4 meters (htop's AllCPUs; btop's 16-line box).
        let intendedByCell = try Self.cellOrderGradient(dir.path("rise.y4m"), width: 1, height: 4, seconds: 16)
        let report = dir.path("r.json")
        let run = try VMPlayRun([dir.path("rise.y4m")] + Self.vcpus + ["--layout", viewer, "--guest-viewer", viewer, "--correct", "--fps", "10",
                                                                        "--report", report])
        let r = run.finish(timeout: 600)
        #expect(r.status == 0, "\(r)")
        #expect(run.leftovers().isEmpty, "\(run.leftovers())")
        try JSONSchemaCheck.validate([report])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        let seen = try #require(json["guest_viewer"] as? [String: Any], "no guest_viewer in \(json)")
        #expect(seen["name"] as? String == viewer)
        #expect(seen["meter_grid"] as? String == "1x4", "\(seen)")
        #expect(seen["meter_positions_match_layout"] as? Bool == true, "\(viewer)'s meters are not where the layout puts their CPUs: \(seen)")
        // One compared screen is enough: on a loaded host a TCG vCPU runs the viewer slowly.
        #expect((seen["screens"] as? Int ?? 0) >= 1, "no \(viewer) screen was read after its warm-up: \(seen)")
        let perCPU = try #require(seen["per_cpu"] as? [[String: Any]])
        let read = perCPU.compactMap { c -> (cpu: Int, read: Double, meant: Double, procStat: Double?)? in
            guard let cpu = c["cpu"] as? Int, let v = c["read_mean_pct"] as? Double, let m = c["intended_mean_pct"] as? Double else { return nil }
            return (cpu, v, m, c["proc_stat_mean_pct"] as? Double)
        }.sorted { $0.cpu < $1.cpu }
        #expect(read.map(\.cpu) == [0, 1, 2, 3], "\(viewer) showed meters for CPUs \(read.map(\.cpu))")
        // The layout puts CPU i in cell i: each meter was meant its cell's level.
        for c in read { #expect(abs(c.meant - intendedByCell[c.cpu]) < 0.5, "CPU \(c.cpu) meant \(c.meant), cell \(intendedByCell[c.cpu])") }
        // Each meter shows its own CPU: what the guest's /proc/stat said over the same frames.
        for c in read {
            let p = try #require(c.procStat, "no /proc/stat samples under \(viewer)'s screens for CPU \(c.cpu)")
            #expect(abs(c.read - p) <= 15, "CPU \(c.cpu): \(viewer) read \(c.read) %, the guest's /proc/stat \(p) % over the same frames")
        }
        // What it drew rises in the order meant; away from the viewer's CPU each within 30 points.
        #expect(seen["viewer_cpu"] as? Int == 3, "\(seen)")
        #expect(Self.ranks(read.map(\.read)) == Self.ranks(read.map(\.meant)), "\(viewer)'s meters out of order: \(read)")
        for c in read where c.cpu != 3 { #expect(abs(c.read - c.meant) <= 30, "CPU \(c.cpu): \(viewer) read \(c.read) %, meant \(c.meant) %") }
        // The guest's closed loop came back in the report (per CPU, before and after).
        let guest = try #require(json["guest"] as? [String: Any])
        let correction = try #require(guest["correction"] as? [String: Any], "no correction report from the guest: \(guest)")
        #expect((correction["cpus"] as? [Any])?.count == 4, "\(correction)")
        #expect(r.stdout.contains("guest viewer    \(viewer) in the guest"), "\(r.stdout)")
    }

    @Test func aViewerThatIsNotOneOrABtopBoxTooSmallIsOneLine() throws {
        let r = try VMTestSupport.run(["vm", "play", "pattern:solid:50", "--vcpus", "2", "--guest-viewer", "top"])
        VMTestSupport.expectOneLineError(r, containing: ["--guest-viewer 'top'", "htop, btop"])
        let small = try VMTestSupport.run(["vm", "play", "pattern:solid:50", "--vcpus", "2", "--layout", "btop:7", "--guest-viewer", "btop"])
        VMTestSupport.expectOneLineError(small, containing: ["btop:7", "8 lines", "btop:8"])
    }
}
