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
        // A number too long for an Int gets the option's range, like any other too large.
        (["play", "--pwm-slices", "99999999999999999999"], ["--pwm-slices '99999999999999999999'", "from 1 to 64"]),
        (["play", "--pwm-slices", "-99999999999999999999"], ["--pwm-slices '-99999999999999999999'", "from 1 to 64"]),
        (["watch", "--count", "99999999999999999999"], ["--count '99999999999999999999'", "from 0 to"]),
        (["fleet", "plan", "pattern:checker", "--nodes", "99999999999999999999", "--cpus-per-node", "2", "-o", "/tmp/never-written"], ["--nodes '99999999999999999999'", "from 1 to 4096"]),
        (["play", "--grid", "99999999999999999999x1"], ["--grid '99999999999999999999x1'", "at most 8192 cells"]),
        (["play", "--cpus", "0-99999999999999999999"], ["--cpus '0-99999999999999999999'", "highest CPU id"]),
        (["play", "--levels", "0:99999999999999999999"], ["--levels '0:99999999999999999999'", "HIGH <= 255"]),
        (["render", "--size", "99999999999999999999x2", "/tmp/never-read.y4m", "-o", "/tmp/never-written.mp4"], ["--size '99999999999999999999x2'", "7680x4320"]),
        (["render", "--fps", "99999999999999999999", "/tmp/never-read.y4m", "-o", "/tmp/never-written.mp4"], ["--fps '99999999999999999999'", "1000 fps"]),
        (["fleet", "plan", "pattern:checker", "--nodes", "2", "--cpus-per-node", "2", "--parts", "99999999999999999999x1", "-o", "/tmp/never-written"], ["--parts '99999999999999999999x1'", "1 to 4096"]),
        (["vm", "xml", "--offline", "--vcpus", "4", "--memory", "99999999999999999999G"], ["--memory '99999999999999999999G'", "16384G"]),
        // Every option takes a value that starts with '-' and names it.
        (["play", "--memory-budget", "-1G"], ["--memory-budget '-1G'", "8G"]),
        (["vm", "play", "pattern:checker", "--vcpus", "2", "--boot-timeout", "-1"], ["--boot-timeout '-1'", "above 0"]),
        (["vm", "play", "pattern:checker", "--vcpus", "2", "--boot-retry-after", "0"], ["--boot-retry-after '0'", "above 0"]),
        (["render", "--size", "-2x2", "/tmp/never-read.y4m", "-o", "/tmp/never-written.mp4"], ["--size '-2x2'", "WxH"]),
        (["play", "pattern:checker", "--record", "--view"], ["--record '--view'", "./--view"]),
        // A refused number is named as typed, never as the Double it became.
        (["convert", "pattern:gradient", "-o", "/tmp/never-written.y4m", "--gamma", "1e400"], ["--gamma '1e400'", "above 0 and at most 100"]),
        (["convert", "pattern:gradient", "-o", "/tmp/never-written.y4m", "--gamma", "-1"], ["--gamma '-1'", "above 0 and at most 100"]),
        (["convert", "pattern:gradient", "-o", "/tmp/never-written.y4m", "--levels", "010:5"], ["--levels '010:5'", "0 <= LOW < HIGH <= 255"]),
        (["vm", "play", "pattern:checker", "--vcpus", "2", "--boot-timeout", "1e400"], ["--boot-timeout '1e400'", "366d"]),
        // Control characters are escaped, so the error stays one line and the terminal untouched.
        (["play", "--fps", "1\n2"], ["--fps '1\\n2'", "1/3600"]),
        (["play", "--duration", "1\u{1B}[2J"], ["--duration '1\\u{1B}[2J'", "10s"]),
        (["vm", "xml", "--offline", "--vcpus", "4", "--name", "a\nb"], ["--name 'a\\nb'", "a newline"]),
        (["info", "no\nfile.y4m"], ["input 'no\\nfile.y4m'", "no such file"]),
        (["play", "-q", "-v"], ["--quiet and --verbose"]),
        (["compare", "a.y4m"], ["<observed>", "cpuplay compare --help"]),
        (["play", "--no-such-option"], ["--no-such-option", "cpuplay play --help"]),
        (["vm", "xml", "--offline", "--no-such-option"], ["--no-such-option", "cpuplay vm xml --help"]),
        // A library refuses a value by what it is; the line names the option it came from.
        (["play", "pattern:checker", "--start-at", "tomorrow"], ["--start-at 'tomorrow'", "RFC 3339"]),
        (["play", "pattern:checker", "--grid", "4x1", "--region", "1,1"], ["--region '1,1'", "X,Y,WxH"]),
        (["play", "pattern:checker", "--grid", "4x1", "--region", "3,0,2x1"], ["--region 3,0,2x1 reaches outside"]),
        (["play", "pattern:checker", "--cpus", "4095"], ["--cpus '4095'", "offline"]),
        (["play", "pattern:checker", "--sync", "top"], ["--sync 'top'", "htop:TMUX-TARGET"]),
        (["watch", "--prometheus", "ftp://x"], ["--prometheus 'ftp://x'", "http://"]),
        (["fleet", "plan", "pattern:checker", "--nodes", "2", "--cpus-per-node", "2", "--image", "a b", "-o", "/tmp/never-written"],
         ["--image 'a b'", "container image"]),
        (["render", "/tmp/never-read.y4m", "--style", "plasma", "-o", "/tmp/never-written.mp4"], ["--style 'plasma'", "heatmap"]),
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

    /// A value its type refused is a bad command line (status 64, as the man page says), a
    /// range a command checks is a failure (1); both are cpuplay's words with no pointer to the
    /// help. Only the parser's own complaints (an unknown option, a missing value) point at the
    /// help of the command typed.
    @Test func onlyTheParsersComplaintsPointAtTheHelp() throws {
        let refused = [(["play", "--fps", "0"], 64), (["watch", "--interval", "5ms"], 1),
                       (["vm", "xml", "--offline", "--type", "xen"], 64)]
        for (args, status) in refused {
            let r = try CLI.run(args, timeout: 30)
            #expect(r.status == Int32(status) && r.stderr.hasPrefix("Error: \(args[args.count - 2]) '"), "\(args): \(r)")
            #expect(!r.stderr.contains("--help"), "\(args): \(r)")
        }
        let missing = try CLI.run(["vm", "xml", "--offline", "--vcpus"], timeout: 30)
        #expect(missing.status == 64 && missing.stderr.hasSuffix("(see 'cpuplay vm xml --help')\n"), "\(missing)")
    }

    /// Options whose values parse themselves keep what `--help` says of them: the words a
    /// choice takes and the default.
    @Test(arguments: [
        (["convert", "--help"], "(values: stretch, crop, pad)"),
        (["play", "--help"], "(default: rows)"),
        (["watch", "--help"], "(default: 0.5s)"),
        (["vm", "xml", "--help"], "(values: kvm, qemu)"),
    ])
    func helpNamesChoicesAndDefaults(_ args: [String], _ piece: String) throws {
        let r = try CLI.run(args, timeout: 30)
        let text = r.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(r.status == 0 && text.contains(piece), "\(args): '\(piece)' missing:\n\(r)")
    }

    /// Durations as people write them reach the engine as the same number of seconds.
    @Test(arguments: [("1.5", 15), ("1500ms", 15), ("0.5s", 5), ("2s", 20)])
    func durationSpellingsAgree(_ spelling: String, _ frames: Int) throws {
        let r = try CLI.run(["play", "pattern:solid:0", "--fps", "10", "--duration", spelling, "--frame-socket", "none", "--cpus", "0"], timeout: 60)
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("frames          \(frames) total"), "\(spelling): \(r)")
    }
}
