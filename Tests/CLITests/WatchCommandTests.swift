import CPUPlayTestSupport
import Testing
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `cpuplay watch` end to end (outside a terminal: plain frames one after another).
@Suite struct WatchCommandTests {
    static let frozenStat = """
    cpu  10 0 10 100 0 0 0 0 0 0
    cpu0 5 0 5 50 0 0 0 0 0 0
    cpu1 5 0 5 50 0 0 0 0 0 0
    intr 0
    """

    /// The rows of `--numbers` output (lines of `CPU:PERCENT%` cells only): the percentages.
    static func numberRows(_ text: String) -> [[Int]] {
        labelledRows(text).map { $0.map(\.pct) }
    }

    /// This process's allowed CPUs (Cpus_allowed_list of /proc/self/status, e.g. `0-1,4`).
    static func allowedCPUs() -> Set<Int> {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let list = status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed_list:") }?.split(separator: ":").last ?? ""
        var out = Set<Int>()
        for part in list.trimmingCharacters(in: .whitespaces).split(separator: ",") {
            let ends = part.split(separator: "-").compactMap { Int($0) }
            if let a = ends.first { out.formUnion(a...(ends.last ?? a)) }
        }
        return out
    }

    /// The rows of `--numbers` output as (CPU id, percent) pairs.
    static func labelledRows(_ text: String) -> [[(cpu: Int, pct: Int)]] {
        text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            guard !parts.isEmpty else { return nil }
            let cells = parts.compactMap { part -> (cpu: Int, pct: Int)? in
                let pair = part.split(separator: ":")
                guard pair.count == 2, pair[1].hasSuffix("%"), let cpu = Int(pair[0]), let pct = Int(pair[1].dropLast()) else { return nil }
                return (cpu, pct)
            }
            return cells.count == parts.count ? cells : nil
        }
    }

    @Test func numbersShowOnePercentagePerCellEachSample() throws {
        let r = try CLI.run(["watch", "--numbers", "--count", "3", "--interval", "0.05", "--grid", "3x2"])
        #expect(r.status == 0, "\(r)")
        let rows = Self.numberRows(r.stdout)
        #expect(rows.count == 3 * 2, "\(r)")
        #expect(rows.allSatisfy { $0.count == 3 && $0.allSatisfy { (0...100).contains($0) } })
        #expect(r.stdout.contains("sample 3/3"))
        // Each percentage is labelled with the CPU it was read from, one the process may use.
        let allowed = Self.allowedCPUs()
        #expect(Self.labelledRows(r.stdout).joined().allSatisfy { allowed.contains($0.cpu) }, "\(r)")
    }

    @Test func injectedProcStatIsWhatIsShown() throws {
        let dir = try TemporaryDirectory()
        try dir.write(Self.frozenStat, to: "stat")
        // Counters that never move: no tick elapsed, every CPU reads idle (0), as in htop.
        let r = try CLI.run(["watch", "--numbers", "--count", "2", "--interval", "0.05", "--cpus", "0", "--proc-stat", dir.file("stat").path])
        #expect(r.status == 0, "\(r)")
        #expect(Self.numberRows(r.stdout) == [[0], [0]], "\(r)")
    }

    @Test func unreadableProcStatIsAOneLineError() throws {
        let r = try CLI.run(["watch", "--count", "1", "--proc-stat", "/nonexistent/stat"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("cannot read /nonexistent/stat: No such file or directory"), "\(r)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r)")
    }

    @Test func terminalTooSmallForTheGridSaysSo() throws {
        let r = try CLI.run(["watch", "--count", "1", "--interval", "0.05", "--grid", "40x1"],
                            environment: ["COLUMNS": "20", "LINES": "6"])
        #expect(r.status == 0, "\(r)")
        let text = r.stdout.replacingOccurrences(of: "\n", with: " ")
        #expect(text.contains("does not fit this 20x5 terminal"), "\(r)")
        #expect(text.contains("enlarge the window"), "\(r)")
        let numbers = try CLI.run(["watch", "--numbers", "--count", "1", "--interval", "0.05", "--grid", "10x1"],
                                  environment: ["COLUMNS": "20", "LINES": "6"])
        #expect(numbers.stdout.replacingOccurrences(of: "\n", with: " ").contains("as numbers (needs "), "\(numbers)")
    }

    @Test func recordWritesOneFramePerSample() throws {
        let dir = try TemporaryDirectory()
        let out = dir.file("observed.y4m")
        let r = try CLI.run(["watch", "--numbers", "--count", "3", "--interval", "0.05", "--grid", "2x1", "--record", out.path])
        #expect(r.status == 0, "\(r)")
        let data = try Data(contentsOf: out)
        let header = String(decoding: data.prefix(while: { $0 != 10 }), as: UTF8.self)
        #expect(header.hasPrefix("YUV4MPEG2 W2 H1 F20:1"), "\(header)")
        #expect(header.contains("Cmono"))
        #expect(data.count == header.utf8.count + 1 + 3 * ("FRAME\n".utf8.count + 2))
        #expect(dir.contents == ["observed.y4m"], "temporary files left: \(dir.contents)")
    }

    /// The clip `--record -` writes for `frames` samples of the frozen /proc/stat on one CPU:
    /// its header line, then frames of one idle cell (level 0), and nothing else.
    static func expectOnlyTheClip(_ bytes: [UInt8], frames: Int, _ context: String) {
        let header = String(decoding: bytes.prefix { $0 != 10 }, as: UTF8.self)
        #expect(header.hasPrefix("YUV4MPEG2 W1 H1 F20:1") && header.contains("Cmono"), "\(header) \(context)")
        let frame = Array("FRAME\n".utf8) + [0]
        let expected = Array((header + "\n").utf8) + Array(repeating: frame, count: frames).joined()
        #expect(bytes == expected, "standard output holds more than the clip: \(bytes.count) bytes, \(context)")
    }

    /// `watch --record -` without a terminal: standard output is the clip alone (no screen is
    /// drawn anywhere); standard error has the one line saying what was recorded.
    @Test func recordToStandardOutputWritesOnlyTheClip() throws {
        let dir = try TemporaryDirectory()
        try dir.write(Self.frozenStat, to: "stat")
        let r = try CLI.run(["watch", "--count", "3", "--interval", "0.05", "--cpus", "0",
                             "--proc-stat", dir.path("stat"), "--record", "-"])
        #expect(r.status == 0, "\(r)")
        Self.expectOnlyTheClip(Array(r.stdout.utf8), frames: 3, "\(r)")
        let said = r.stderr.split(separator: "\n")
        #expect(said.count == 1 && said[0].hasPrefix("recorded 3 frame(s)"), "\(r)")
    }

    /// `watch --record -` with standard error on a terminal: the screen is drawn there (the
    /// alternate screen, the status line), and standard output, a file, holds the clip alone.
    @Test func recordToStandardOutputDrawsOnAStandardErrorTerminal() throws {
        let dir = try TemporaryDirectory()
        try dir.write(Self.frozenStat, to: "stat")
        let clip = open(dir.path("clip.y4m"), O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try #require(clip >= 0)
        defer { close(clip) }
        let run = try PTYProcess(CLI.executable.path, ["watch", "--count", "3", "--interval", "0.05", "--cpus", "0",
                                                       "--proc-stat", dir.path("stat"), "--record", "-"], standardOutput: clip)
        let result = run.waitForExit(timeout: 60)
        #expect(result.status == 0, "\(result) \(run.text)")
        #expect(run.text.contains("\u{1B}[?1049h") && run.text.contains("sample 3/3"),
                "no screen on the terminal: \(run.text)")
        Self.expectOnlyTheClip([UInt8](try Data(contentsOf: dir.file("clip.y4m"))), frames: 3, run.text)
    }

    @Test func recordIntoMissingDirectoryFailsBeforeWatching() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("no/such/dir/observed.y4m").path
        let r = try CLI.run(["watch", "--count", "1", "--record", path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("directory \(dir.file("no/such/dir").path) does not exist"), "\(r)")
        #expect(r.stdout.isEmpty)
    }

    @Test func badIntervalIsRejected() throws {
        let r = try CLI.run(["watch", "--interval", "0"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--interval '0'"), "\(r)")
    }
}
