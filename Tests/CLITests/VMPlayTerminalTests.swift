import CPUPlayTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `vm play` on a real terminal (tmux): the pictures by default, the boot bar, and every way a
/// person ends it (q, Ctrl-C, closing the terminal) during boot, play and export, each leaving no
/// guest, no files and no keys for the shell; and without a terminal no view and no error.
@Suite(.serialized) struct VMPlayTerminalTests {
    enum Phase: String, CaseIterable, Sendable { case boot, play, export }
    enum Action: String, CaseIterable, Sendable { case q, ctrlC, closeTerminal }

    /// One `vm play` in a tmux pane with its own TMPDIR; the pane's shell reports the exit
    /// status, any keys left unread, and the terminal's echo/icanon after it.
    final class Pane {
        let dir: TemporaryDirectory
        let runTmp: String
        let screen: TmuxScreen
        var report: String { dir.path("r.json") }

        /// `args` may name `{OUT}`: the pane's export path.
        init(_ args: String) throws {
            dir = try TemporaryDirectory()
            var template = Array("/tmp/cpvq-XXXXXX".utf8CString)
            guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else { throw HarnessError("mkdtemp") }
            runTmp = String(cString: made)
            let script = dir.path("run.sh"), reportPath = dir.path("r.json")
            try """
            cd '\(CLI.repositoryRoot.path)'
            env NO_COLOR=1 TMPDIR='\(runTmp)' CPUPLAY_LIBVIRT_CACHE='\(VMTestSupport.cacheDirectory)' '\(CLI.executable.path)' vm play \(args.replacingOccurrences(of: "{OUT}", with: "'\(dir.path("out.mp4"))'")) --report '\(reportPath)'
            echo EXIT=$?
            read -t 1 -n 40 left; echo "LEFT=[$left]"
            echo "TTY=[$(stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e -echo -e icanon -e -icanon | tr '\\n' ' ')]"
            sleep 120
            """.write(toFile: script, atomically: true, encoding: .utf8)
            screen = try TmuxScreen(command: "bash \(script)", columns: 150, rows: 45)
        }

        /// Polls the screen until `text` shows (true) or `timeout` passes.
        func waitFor(_ text: String, timeout: Double) -> Bool {
            let start = Date()
            while Date().timeIntervalSince(start) < timeout {
                if let s = try? screen.capture(), s.contains(text) { return true }
                usleep(100_000)
            }
            return false
        }

        /// Processes naming the run's TMPDIR and files left in it.
        func leftovers() -> [String] {
            VMPlayRun.processes(naming: runTmp).map { "process \($0)" }
                + ((try? FileManager.default.contentsOfDirectory(atPath: runTmp)) ?? []).map { "file \($0)" }
        }

        /// Waits (bounded) until nothing of the run is left; what was left otherwise.
        func waitUntilClean(timeout: Double = 30) -> [String] {
            let start = Date()
            while Date().timeIntervalSince(start) < timeout {
                if leftovers().isEmpty { rmdir(runTmp); return [] }
                usleep(100_000)
            }
            return leftovers()
        }
    }

    static let cases: [(Phase, Action)] = Phase.allCases.flatMap { p in Action.allCases.map { (p, $0) } }

    @Test(arguments: cases)
    func endingVMPlayLeavesNothingBehind(phase: Phase, action: Action) throws {
        // Export: 5 s at the guest's 10 fps is 50 frames, a render of seconds, long enough to be
        // interrupted once its progress shows (the key is sent within a poll of that).
        let args = phase == .export ? "pattern:gradient --vcpus 2 --fps 10 --duration 5 --export {OUT}"
            : "pattern:checker --vcpus 2 --fps 10 --duration 120"
        let pane = try Pane(args)
        let ready: (String, Double) = switch phase {
        case .boot: ("booting a 2-vCPU guest", 120)
        case .play: ("guest observed (/proc/stat)", 600)
        case .export: ("render", 900)
        }
        try #require(pane.waitFor(ready.0, timeout: ready.1), "never showed '\(ready.0)':\n\((try? pane.screen.capture()) ?? "")")
        try pane.screen.sendKeys("abc")   // keys that must not reach the shell afterwards
        switch action {
        case .q: try pane.screen.sendKeys("q")
        case .ctrlC: try pane.screen.sendKeys("C-c")
        case .closeTerminal: try pane.screen.killServer()
        }
        if action != .closeTerminal {
            #expect(pane.waitFor("TTY=[", timeout: 120), "no exit: \((try? pane.screen.capture()) ?? "")")
            let after = try pane.screen.capture()
            let status = action == .q ? "EXIT=0" : "EXIT=130"
            #expect(after.contains(status), "\(after)")
            #expect(after.contains("LEFT=[]"), "keys reached the shell:\n\(after)")
            #expect(after.contains("echo icanon") || after.contains("icanon echo"), "terminal not restored:\n\(after)")
            #expect(!after.contains("guest observed (/proc/stat)"), "alternate screen left on:\n\(after)")
            if phase != .export { #expect(after.contains(action == .q ? "ended by        q" : "ended by        signal 2"), "\(after)") }
            if phase == .export, action == .q { #expect(after.contains("q stopped the export"), "\(after)") }
            #expect(FileManager.default.fileExists(atPath: pane.report), "no --report JSON:\n\(after)")
        }
        #expect(pane.waitUntilClean().isEmpty, "left behind: \(pane.leftovers())")
        if phase == .export {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: pane.dir.path)) ?? []
            #expect(!files.contains { $0.contains("out.mp4") }, "a partial export was left: \(files)")
        }
    }

    @Test func noViewWithoutATerminalDrawsNothingAndSaysNothingOfIt() throws {
        let run = try VMPlayRun(["pattern:solid:50", "--vcpus", "2", "--fps", "10", "--duration", "1", "--no-view"])
        let r = run.expectEnd(status: 0, saying: "ended by        end", timeout: 600)
        #expect(!r.stdout.contains("\u{1B}[") && !r.stderr.contains("\u{1B}["), "escape sequences without a terminal: \(r)")
        #expect(!r.stderr.contains("Error") && !r.stderr.contains("warning"), "\(r)")
        // Without --no-view and without a terminal: the same (no view is the default there).
        let plain = try VMPlayRun(["pattern:solid:50", "--vcpus", "2", "--fps", "10", "--duration", "1"])
        let p = plain.expectEnd(status: 0, saying: "ended by        end", timeout: 600)
        #expect(!p.stdout.contains("\u{1B}["), "\(p)")
    }

    @Test func sigkillLeavesNoQEMUVirshOrRunFolder() throws {
        let run = try VMPlayRun(["pattern:solid:50", "--vcpus", "2", "--duration", "60"])
        try #require(run.waitForBoot(), "QEMU never started")
        run.signal(SIGKILL)
        _ = run.finish(timeout: 30)
        // The watchdog ends what names the run folder and removes it, after cpuplay is gone.
        let start = Date()
        while !run.leftovers().isEmpty && Date().timeIntervalSince(start) < 30 { usleep(100_000) }
        #expect(run.leftovers().isEmpty, "\(run.leftovers())")
    }

    @Test func sigtermWhileTheRunFolderIsWrittenRemovesIt() throws {
        // A long clip: its conversion and the guest's initramfs take seconds, without honouring stops.
        let run = try VMPlayRun(["pattern:sweep", "--grid", "16x8", "--vcpus", "128", "--fps", "60", "--duration", "3000"])
        try #require(run.wait(timeout: 300) { run.runDirectory != nil }, "no run folder was made")
        run.signal(SIGTERM)
        let r = run.finish(timeout: 60)
        #expect(r.status == 143, "\(r)")
        #expect(run.leftovers().isEmpty, "\(run.leftovers())")
    }
}
