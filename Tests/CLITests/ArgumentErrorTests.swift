import Testing

/// Every value typed on the command line is parsed by its own type: a bad one, including
/// negative numbers and values that look like options, gets one line naming the option, the
/// value as typed and what is accepted, and a non-zero exit before anything starts.
@Suite struct ArgumentErrorTests {
    /// (arguments, pieces the one error line must contain)
    static let cases: [([String], [String])] = [
        (["play", "--duration", "-1"], ["--duration '-1'", "above 0"]),
        (["play", "--duration", "1e9"], ["--duration '1e9'", "366 days"]),
        (["play", "--duration", "1m3x"], ["--duration '1m3x'", "1m30s"]),
        (["play", "--grid", "-2x1"], ["--grid '-2x1'", "at least 1"]),
        (["play", "--fps", "1e-308"], ["--fps '1e-308'", "1/3600"]),
        (["play", "--fps", "0.0001"], ["--fps '0.0001'", "1/3600"]),
        (["play", "--fps", "-30"], ["--fps '-30'", "1000 fps"]),
        (["play", "--cpus", "-1"], ["--cpus '-1'", "not an id"]),
        (["play", "--layout", "-x"], ["--layout '-x'", "rows, htop"]),
        (["play", "--pixel-priority", "high"], ["--pixel-priority 'high'", "normal or idle"]),
        (["convert", "pattern:gradient", "-o", "/tmp/never-written.y4m", "--fit", "-1"], ["--fit '-1'", "stretch, crop or pad"]),
        (["convert", "pattern:gradient", "-o", "/tmp/never-written.y4m", "--levels", "-5:300"], ["--levels '-5:300'", "0 <= LOW < HIGH <= 255"]),
        (["convert", "pattern:gradient", "-o", "/tmp/never-written.y4m", "--duration", "2h"], ["--duration '2h'", "at most 1h"]),
        (["show", "pattern:gradient", "--grid", "0x0"], ["--grid '0x0'", "at least 1"]),
        (["compare", "--worst=-1", "a.y4m", "b.y4m"], ["--worst '-1'", "from 0"]),
        (["watch", "--interval", "0"], ["--interval '0'", "above 0"]),
        (["watch", "--interval", "-1"], ["--interval '-1'", "above 0"]),
        (["watch", "--interval", "nan"], ["--interval 'nan'", "10s"]),
        (["watch", "--interval", "1e308"], ["--interval '1e308'", "366 days"]),
        (["watch", "--interval", "5ms"], ["--interval '5ms'", "0.01s to 1h"]),
        (["watch", "--count=-1"], ["--count '-1'", "from 0"]),
        (["watch", "--count", "many"], ["--count 'many'", "whole number"]),
        (["cpus", "--grid", "3y3"], ["--grid '3y3'", "WxH"]),
        (["accuracy", "--cpus", "2-1"], ["--cpus '2-1'", "backwards"]),
        (["vm", "xml", "--offline", "--vcpus", "4", "--name", "--"], ["--name '--'"]),
        (["vm", "xml", "--offline", "--vcpus", "-4"], ["--vcpus '-4'", "from 1"]),
        (["vm", "xml", "--offline", "--memory", "-2G"], ["--memory '-2G'", "8G"]),
        (["play", "-q", "-v"], ["--quiet and --verbose"]),
        (["compare", "a.y4m"], ["<observed>", "cpuplay compare --help"]),
        (["play", "--no-such-option"], ["--no-such-option", "cpuplay play --help"]),
    ]

    @Test(arguments: cases.indices)
    func refusedInOneLine(_ i: Int) throws {
        let (args, pieces) = Self.cases[i]
        let r = try CLI.run(args, timeout: 30)
        #expect(r.status != 0 && r.status != -9, "\(args): \(r)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(args): expected one line:\n\(r)")
        #expect(lines.first?.hasPrefix("Error: ") == true, "\(args): \(r)")
        for piece in pieces {
            #expect(r.stderr.contains(piece), "\(args): '\(piece)' missing:\n\(r)")
        }
        #expect(!r.stderr.contains("Usage:") && !r.stderr.contains("Missing value"), "\(args): \(r)")
        #expect(r.stdout.isEmpty, "\(args): something ran:\n\(r)")
    }

    /// Durations as people write them reach the engine as the same number of seconds.
    @Test(arguments: [("1.5", 15), ("1500ms", 15), ("0.5s", 5), ("2s", 20)])
    func durationSpellingsAgree(_ spelling: String, _ frames: Int) throws {
        let r = try CLI.run(["play", "pattern:solid:0", "--fps", "10", "--duration", spelling, "--frame-socket", "none", "--cpus", "0"], timeout: 60)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("frames          \(frames) total"), "\(spelling): \(r)")
    }
}
