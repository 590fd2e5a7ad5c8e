import CPUPlayClip
import CPUPlayCore
import Testing
import Foundation
import CLinux
@testable import CPUPlayEngine

extension EngineThreadTests {
/// A pixel's busy time must appear where monitors draw it: the user column of /proc/stat
/// (htop's green), not nice (htop's blue), because pixel threads run at nice 0.
@Suite struct UserTimeTests {
    /// (user, nice) ticks of `cpu` from /proc/stat.
    static func ticks(cpu: Int) throws -> (user: Int, nice: Int) {
        let stat = try String(contentsOfFile: "/proc/stat", encoding: .utf8)
        guard let line = stat.split(separator: "\n").first(where: { $0.hasPrefix("cpu\(cpu) ") }) else {
            throw CPUPlayError.system("no cpu\(cpu) line in /proc/stat")
        }
        let f = line.split(separator: " ").dropFirst().map { Int($0) ?? 0 }
        return (f[0], f[1])
    }

    @Test func busyTimeLandsInTheUserColumn() throws {
        let cpu = Fixture.cpus.last!
        let layout = try Layout.rows(cpus: [cpu], grid: GridSize(width: 1, height: 1))
        // 0.5 s at 100 %: 10 frames of 50 ms, level 255.
        let clip = Fixture.clip(layout.grid, fps: 20, frames: 10) { _, _ in 255 }
        // On a busy machine (other tests run 1024 spinning threads in parallel) a pixel may get
        // little CPU; play again until it has spun 0.25 s (at most 12 times, 6 s), so the
        // comparison below is about something: 0.1 s is 10 ticks of /proc/stat.
        var user = 0.0, nice = 0.0, spun = 0.0
        let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
        for _ in 0..<12 where spun < 0.25 {
            let before = try Self.ticks(cpu: cpu)
            let result = try Player(clip: clip, layout: layout, options: Fixture.options()).run()
            let after = try Self.ticks(cpu: cpu)
            user += Double(after.user - before.user) / hz
            nice += Double(after.nice - before.nice) / hz
            spun += Double(result.probes.threadCPUNanoseconds[0]) / 1e9
        }
        // Generous bounds: the kernel accounts in ticks, and other work on this CPU only adds
        // to the columns. A niced pixel would put its whole spin into the nice column.
        #expect(spun >= 0.1, "the pixel thread only got \(spun) s of CPU in 12 tries")
        #expect(user >= 0.6 * spun, "CPU \(cpu): \(user) s user for \(spun) s of spinning")
        #expect(nice < 0.3 * spun, "CPU \(cpu): \(nice) s nice for \(spun) s of spinning; pixels must not be niced")
    }
}
}
