import CPUPlayTestSupport
import Foundation
import Testing

/// Inputs and outputs as people write them: `pattern:solid:50%`, `-` for standard input,
/// and `convert` refusing to replace a file unless told to with `-y`.
@Suite struct InputSpellingTests {
    /// Runs cpuplay with `file` as its standard input.
    func run(_ args: [String], stdin file: String) throws -> CLIResult {
        try CLI.run(args, environment: ["CPUPLAY_TEST_STDIN": file],
                    launcher: ["/bin/sh", "-c", "exec \"$0\" \"$@\" < \"$CPUPLAY_TEST_STDIN\""])
    }

    @Test func solidLevelAsPercentIsTheSameClipAsItsLevel() throws {
        let dir = try TemporaryDirectory()
        let pct = dir.path("pct.y4m"), lvl = dir.path("lvl.y4m")
        #expect(try CLI.run(["convert", "pattern:solid:50%", "--grid", "2x1", "--duration", "0.2", "-o", pct]).status == 0)
        #expect(try CLI.run(["convert", "pattern:solid:128", "--grid", "2x1", "--duration", "0.2", "-o", lvl]).status == 0)
        // The same header and frames, byte for byte; only the clip's label names the input as typed.
        let parts = { (path: String) throws -> (header: String, frames: Data) in
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let end = try #require(data.firstIndex(of: 0x0A))
            let header = String(decoding: data[..<end], as: UTF8.self)
            return (header.replacing(#/ XCPUPLAY=[^ ]*/#, with: ""), data[end...])
        }
        let (a, b) = (try parts(pct), try parts(lvl))
        #expect(a.header == b.header && a.frames == b.frames)
        #expect(try String(decoding: Data(contentsOf: URL(fileURLWithPath: pct)).prefix(200), as: UTF8.self).contains("XCPUPLAY=intended:"))
    }

    @Test func clipOnStandardInputPlaysLikeTheFile() throws {
        let dir = try TemporaryDirectory()
        let clip = dir.path("c.y4m")
        #expect(try CLI.run(["convert", "pattern:checker", "--grid", "4x2", "--fps", "10", "--duration", "0.5", "-o", clip]).status == 0)
        let info = try run(["info", "-"], stdin: clip)
        #expect(info.status == 0 && info.stdout.contains("4x2") && info.stdout.contains("cpuplay clip") && info.stdout.contains("frames:       5"), "\(info)")
        let copy = dir.path("copy.y4m")
        let r = try run(["convert", "-", "-o", copy], stdin: clip)
        #expect(r.status == 0, "\(r)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == Data(contentsOf: URL(fileURLWithPath: clip)))
    }

    @Test func videoOnStandardInputIsDecoded() throws {
        let dir = try TemporaryDirectory()
        let video = try MediaCLIFixtures.h264(in: dir)
        let r = try run(["info", "-"], stdin: video)
        #expect(r.status == 0 && r.stdout.contains("h264") && r.stdout.contains("96x64"), "\(r)")
    }

    @Test func emptyStandardInputIsAOneLineError() throws {
        let r = try run(["info", "-"], stdin: "/dev/null")
        MediaCLIFixtures.expectCleanFailure(r, naming: "standard input was empty")
    }

    @Test func convertRefusesToReplaceAFileWithoutY() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("out.y4m")
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: out))
        let refused = try CLI.run(["convert", "pattern:gradient", "--duration", "0.1", "-o", out])
        MediaCLIFixtures.expectCleanFailure(refused, naming: out)
        #expect(refused.stderr.contains("-y"), "\(refused)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "keep me")
        let replaced = try CLI.run(["convert", "pattern:gradient", "--duration", "0.1", "-o", out, "-y"])
        #expect(replaced.status == 0, "\(replaced)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)).starts(with: Data("YUV4MPEG2 ".utf8)))
    }
}
