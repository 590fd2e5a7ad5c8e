import CPUPlayTestSupport
import Testing
import Foundation

extension CPULoadTests {
/// `play --record` then `compare`: the recording lines up frame by frame with the clip that
/// was played, and `play --trace` writes a Chrome trace of the same run.
@Suite(.serialized) struct CompareRecordingTests {
    @Test func playRecordAlignsWithTheClipAndComparesCleanly() throws {
        let dir = try TemporaryDirectory()
        let intended = dir.file("intended.y4m"), observed = dir.file("observed.y4m")
        let cpus = TestMachine.allowedCPUs.count
        // 8 frames at 4 fps: every pixel alternates 0/100 % each frame.
        try CompareCommandTests.writeClip(intended, width: cpus, height: 1, fps: 4,
                                          frames: (0..<8).map { k in (0..<cpus).map { ($0 + k) % 2 == 0 ? 255 : 0 } })
        let play = try CLI.run(["play", intended.path, "--record", observed.path, "--frame-socket", "none"])
        #expect(play.status == 0, "\(play)")
        #expect(play.stderr.contains("recorded 8 observed frame(s)"), "\(play)")
        let r = try CLI.run(["compare", intended.path, observed.path, "--json"])
        #expect(r.status == 0, "\(r)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["frame_count"] as? Int == 8)
        #expect(obj["grid"] as? String == "\(cpus)x1")
        // The error itself depends on how busy this machine is; it is a percentage.
        let mae = try #require(obj["mae_pct"] as? Double)
        #expect(mae >= 0 && mae <= 100)
        #expect(dir.contents == ["intended.y4m", "observed.y4m"], "\(dir.contents)")
    }

    @Test func recordOrTraceIntoMissingDirectoryFailsBeforePlaying() throws {
        let dir = try TemporaryDirectory()
        for flag in ["--record", "--trace"] {
            let path = dir.file("gone/out").path
            let r = try CLI.run(["play", "pattern:solid:128", "--duration", "5", flag, path, "--frame-socket", "none"])
            #expect(r.status != 0, "\(r)")
            #expect(r.stderr.contains("directory \(dir.file("gone").path) does not exist"), "\(r)")
            #expect(!r.stdout.contains("frames"), "played although the output path is bad: \(r)")
        }
    }
}
}
