import CPUPlayLoad
import Testing

/// The screen parsers against screens the real viewers drew: Debian 12's htop 3.2.2 and btop
/// 1.2.13 captured with `tmux capture-pane -p` on a 2-CPU host, and the multi-column forms they
/// take with more CPUs.
@Suite struct ScreenParserTests {
    /// htop 3.2.2, 2 CPUs, `htop -d 10` in a 120x30 tmux window.
    static let htopScreen = """
        
            0[||||||||||||||||||||||||||||||||||||||||||||||100.0%] Tasks: 50, 80 thr, 59 kthr; 2 running
            1[||||||||||||||||||||||||||||||||||||||||||||||100.0%] Load average: 19.13 15.35 16.68
          Mem[|||||||||||||                            1.29G/23.5G] Uptime: 03:08:43
          Swp[                                               0K/0K]
        
          [Main] [I/O]
          PID USER       PRI  NI  VIRT   RES   SHR S  CPU%▽MEM%   TIME+  Command
        """

    /// btop 1.2.13, 2 CPUs, default boxes in a 100x50 tmux window (CPU box 16 lines).
    static let btopScreen = """
        ╭─┐¹cpu┌──┐menu┌┐preset *┌────────────────────┐03:01:01┌───────────────────────────────┐- 500ms +┌─╮
        │                                                                         ⢸⣿⣿⣿                     │
        │                                                                        ⢸⢸⣿⣿⣿                     │
        │                                                                        ⢸⢸⣿⣿⣿                     │
        │                                                                        ⢸⢸⣿⣿⣿                     │
        │                                                                        ⢸⢸⣿⣿⣿╭─┐EPYC┌───┐2.6 GHz┌╮│
        │                                                                        ⢸⢸⣿⣿⣿│CPU ■■■■■■■■■■  99%││
        │                                                                        ⢸⣸⣿⣿⣿│C0  ⣀⣀⣀⣀⣀⢸⣿⣿⣿⣿ 100%││
        │                                                                        ⢸⢹⣿⣿⣿│C1  ⣀⣀⣀⣀⣀⢸⣿⣿⣿⣿ 100%││
        │                                                                        ⢸⢸⣿⣿⣿│LAV: 20.1 15.6 16.7││
        │                                                                        ⢸⢸⣿⣿⣿╰───────────────────╯│
        │                                                                        ⢸⢸⣿⣿⣿                     │
        │                                                                        ⢸⢸⣿⣿⣿                     │
        │                                                                        ⢸⢸⣿⣿⣿                     │
        │ up 03:08:48                                                             ⢸⣿⣿⣿                     │
        ╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
        ╭─┐²mem┌──────────────┬─┐disks┌────────┐io┌─╮╭─┐⁴proc┌┐filter┌───────┐reverse┌┐tree┌┐< cpu lazy >┌─╮
        │ Total:     23.5 GiB ├─────────────────────┤│    Pid: Program:            User:  MemB       Cpu% ↑│
        """

    @Test func htopMetersOfARealScreen() {
        let meters = HtopScreenParser.meters(in: Self.htopScreen)
        #expect(meters.map(\.cpu) == [0, 1])
        #expect(meters.map(\.percent) == [100, 100])
        // One column of meters, one line each: the grid htop's 2-CPU layout has.
        let grid = ScreenMeterGrid(meters)
        #expect(grid.size == "1x2" && grid.cells == [0, 1])
    }

    @Test func htopMetersInColumnsKeepTheirPlaces() {
        let screen = """
            0[|||||||||||      50.0%]    2[||               10.5%] Tasks: 25, 305 thr; 2 running
            1[||||||||||||||||100.0%]    3[                  0.0%] Load average: 3.61 1.75 0.75
           12[|||100.0%]   13[          0.0%]
          Mem[||||||||||                           242M/23.5G] Uptime: 00:10:14
          Swp[                                               0K/0K]
          PID USER       PRI  NI  VIRT   RES   SHR S  CPU%  MEM%  TIME+  Command
            1 root        20   0  2336  1024   896 S   0.0  0.0  0:00.01 [kworker/0:1]
        """
        let meters = HtopScreenParser.meters(in: screen)
        #expect(meters.percentByCPU == [0: 50, 1: 100, 2: 10.5, 3: 0, 12: 100, 13: 0])
        let grid = ScreenMeterGrid(meters.filter { $0.cpu < 4 })
        #expect(grid.size == "2x2" && grid.cells == [0, 2, 1, 3])
    }

    @Test func btopCoresOfARealScreen() {
        let meters = BtopScreenParser.meters(in: Self.btopScreen)
        #expect(meters.map(\.cpu) == [0, 1])
        #expect(meters.map(\.percent) == [100, 100])
        #expect(ScreenMeterGrid(meters).cells == [0, 1])
    }

    @Test func btopCoresInColumnsAndNothingBelowTheCPUBox() {
        let screen = """
        ╭─┐¹cpu┌──┐menu┌┐preset *┌──────────┐03:01:01┌─────────────┐- 1000ms +┌─╮
        │      ⢸⣿⣿⣿   ╭─┐QEMU┌───────────────────────┐╮│
        │      ⢸⣿⣿⣿   │CPU ■■■■■■■■■■■■■■■■■■■  99%    ││
        │      ⢸⣿⣿⣿   │C0  ⣀⣀⣀⣀⣀⢸⣿  50% C2  ⣀⣀⣀⣀⣀⣀   5%││
        │      ⢸⣿⣿⣿   │C1  ⣀⣀⣀⣀⣀⢸⣿ 100% C3  ⣀⣀⣀⣀⣀⣀  12%││
        │      ⢸⣿⣿⣿   │LAV: 20.1 15.6 16.7              ││
        ╰──────────────────────────────────────────────────╯
        ╭─┐⁴proc┌──────────────────────────────────────────╮
        │ Pid: Program: Command:   Threads: User: MemB  Cpu% │
        │   7 C9       C9 1         1 root   1M   42%       │
        """
        let meters = BtopScreenParser.meters(in: screen)
        #expect(meters.percentByCPU == [0: 50, 1: 100, 2: 5, 3: 12])
        let grid = ScreenMeterGrid(meters)
        #expect(grid.size == "2x2" && grid.cells == [0, 2, 1, 3])
    }

    @Test func aScreenWithoutMetersHasNone() {
        #expect(HtopScreenParser.meters(in: "").isEmpty)
        #expect(BtopScreenParser.meters(in: "Terminal size too small:\n Width = 40 Height = 10").isEmpty)
        #expect(ScreenViewer.htop.meters(in: Self.btopScreen).isEmpty)
        #expect(ScreenViewer.btop.meters(in: Self.htopScreen).isEmpty)
    }

    @Test func viewerTerminalsFitTheirMeters() {
        // btop alone in its terminal: the CPU box is the terminal, so the box height is the lines.
        #expect(ScreenViewer.btop.terminalSize(meterColumns: 2, meterRows: 8, btopBoxHeight: 16).lines == 16)
        // htop: 30 columns a meter column, the header and a few process lines below the meters.
        let htop = ScreenViewer.htop.terminalSize(meterColumns: 8, meterRows: 4, btopBoxHeight: 16)
        #expect(htop.columns >= 240 && htop.lines >= 4 + 10)
        #expect(ScreenViewer.captureStride(framesPerSecond: 10) == 5)
        #expect(ScreenViewer.captureStride(framesPerSecond: 1) == 1)
    }
}
