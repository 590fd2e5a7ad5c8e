import CPUPlayTestSupport
import Foundation
import Testing

/// `vm play --guest-viewer`: the real htop and btop run inside a 4-vCPU guest, and their own
/// screens prove that the `htop` and `btop` layouts put each CPU where that viewer draws its
/// meter. The clip rises in cell order (20 % in the first cell to 80 % in the last), so a
/// layout that put CPUs anywhere else would show the levels out of order on the viewer's meters.
///
/// No timing assert: the guest is TCG on a busy 2-core machine, so readings are compared by rank
/// (the viewer's meters, ordered by CPU, against the levels meant for those CPUs) and within a
/// generous bound, with --correct taking the viewer's own load out. Each test boots one guest.
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
        let intendedByCell = try Self.cellOrderGradient(dir.path("rise.y4m"), width: 1, height: 4, seconds: 12)
        let report = dir.path("r.json")
        let run = try VMPlayRun([dir.path("rise.y4m")] + Self.vcpus + ["--layout", viewer, "--guest-viewer", viewer, "--correct",
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
        #expect((seen["screens"] as? Int ?? 0) >= 3, "too few \(viewer) screens were read: \(seen)")
        let perCPU = try #require(seen["per_cpu"] as? [[String: Any]])
        let read = perCPU.compactMap { c -> (Int, Double, Double)? in
            guard let cpu = c["cpu"] as? Int, let v = c["read_mean_pct"] as? Double, let m = c["intended_mean_pct"] as? Double else { return nil }
            return (cpu, v, m)
        }.sorted { $0.0 < $1.0 }
        #expect(read.map(\.0) == [0, 1, 2, 3], "\(viewer) showed meters for CPUs \(read.map(\.0))")
        // The layout puts CPU i in cell i: each meter was meant its cell's level.
        for (cpu, _, meant) in read { #expect(abs(meant - intendedByCell[cpu]) < 0.5, "CPU \(cpu) meant \(meant), cell \(intendedByCell[cpu])") }
        // What the viewer drew rises in the same order as what was meant, each within 30 points.
        #expect(Self.ranks(read.map(\.1)) == Self.ranks(read.map(\.2)), "\(viewer)'s meters out of order: \(read)")
        for (cpu, v, meant) in read { #expect(abs(v - meant) <= 30, "CPU \(cpu): \(viewer) read \(v) %, meant \(meant) %") }
        // The guest's closed loop came back in the report (per CPU, before and after).
        let guest = try #require(json["guest"] as? [String: Any])
        let correction = try #require(guest["correction"] as? [String: Any], "no correction report from the guest: \(guest)")
        #expect((correction["cpus"] as? [Any])?.count == 4, "\(correction)")
        #expect(r.stdout.contains("guest viewer    \(viewer) in the guest"), "\(r.stdout)")
    }
}
