import CPUPlaySystem
import Testing
import CPUPlayClip
import CPUPlayCore
@testable import CPUPlayTerminal

@Suite struct ColorModeTests {
    @Test func noColorWins() {
        #expect(ColorMode.detect(environment: ["NO_COLOR": "1", "COLORTERM": "truecolor", "TERM": "xterm-256color"]) == .plain)
    }
    @Test func truecolorFromCOLORTERM() {
        #expect(ColorMode.detect(environment: ["COLORTERM": "truecolor", "TERM": "xterm-256color"]) == .truecolor)
        #expect(ColorMode.detect(environment: ["COLORTERM": "24bit", "TERM": "xterm"]) == .truecolor)
    }
    @Test func falls256ThenPlain() {
        #expect(ColorMode.detect(environment: ["TERM": "xterm-256color"]) == .palette256)
        #expect(ColorMode.detect(environment: ["TERM": "screen"]) == .palette256)
        #expect(ColorMode.detect(environment: ["TERM": "dumb", "COLORTERM": "truecolor"]) == .plain)
        #expect(ColorMode.detect(environment: [:]) == .plain)
    }
}

@Suite struct HeatMapRendererTests {
    let grid = try! GridSize(width: 4, height: 2)
    let levels: [UInt8] = [0, 64, 128, 255, 255, 128, 64, 0]

    @Test func plainUsesShadingAndScalesToFit() {
        let r = HeatMapRenderer(colorMode: .plain)
        // 80x24 fits tiles of 2n x n with n = min(80/8, 24/2) = 10: the picture fills the width.
        let img = r.render(levels: levels, grid: grid, into: TerminalSize(columns: 80, rows: 24))
        #expect(img.fits)
        #expect(img.columns == 80 && img.lines.count == 20)
        // Each 20x10 tile: 19 inked columns and a one-column gap; 9 inked rows and a blank one.
        #expect(img.lines[0] == String(repeating: " ", count: 20) + String(repeating: "░", count: 19) + " "
                + String(repeating: "▒", count: 19) + " " + String(repeating: "█", count: 19) + " ")
        #expect(img.lines[9].trimmingCharacters(in: .whitespaces).isEmpty && img.lines[8] == img.lines[0])
        #expect(!img.lines.joined().contains("\u{1B}"), "plain mode must not emit escapes")
    }

    @Test func smallestTilesAreOneCharacter() {
        let r = HeatMapRenderer(colorMode: .plain)
        let img = r.render(levels: levels, grid: grid, into: TerminalSize(columns: 5, rows: 2))
        #expect(img.fits && img.columns == 4 && img.lines == [" ░▒█", "█▒░ "])
    }

    @Test func truecolorShadesAlongTheScale() {
        let r = HeatMapRenderer(colorMode: .truecolor)
        let img = r.render(levels: levels, grid: grid, into: TerminalSize(columns: 8, rows: 2))
        // Idle is the scale's dark blue, busy its bright yellow.
        #expect(img.lines[0].hasPrefix("\u{1B}[48;2;24;28;80m  "))
        #expect(img.lines[0].contains("\u{1B}[48;2;252;232;96m  "))
        #expect(TileImage.visibleWidth(img.lines[0]) == 8)
    }

    @Test func halfBlocksWhenFullTilesDoNotFit() {
        let r = HeatMapRenderer(colorMode: .palette256)
        let img = r.render(levels: levels, grid: grid, into: TerminalSize(columns: 4, rows: 1))
        #expect(img.fits && img.lines.count == 1)
        #expect(TileImage.visibleWidth(img.lines[0]) == 4)
        #expect(img.lines[0].contains("▀"))
    }

    @Test func saysSoWhenTheGridCannotFit() {
        let big = try! GridSize(width: 200, height: 40)
        let r = HeatMapRenderer(colorMode: .plain)
        let img = r.render(levels: [UInt8](repeating: 9, count: big.cellCount), grid: big, into: TerminalSize(columns: 200, rows: 24))
        #expect(!img.fits)
        #expect(img.lines.count == 1 && img.lines[0].contains("200x40") && img.lines[0].contains("does not fit"))
    }

    /// The fitting hints name settings as the printer says them: the command line's options when
    /// it passes its table, the plain names otherwise (a library names no flag).
    @Test func fittingHintsNameSettingsTheWayThePrinterSays() throws {
        let big = try GridSize(width: 200, height: 40)
        let levels = [UInt8](repeating: 9, count: big.cellCount)
        let small = TerminalSize(columns: 200, rows: 24)
        let options = SettingNames([.grid: "--grid", .numbers: "--numbers"])
        var r = HeatMapRenderer(colorMode: .plain)
        #expect(r.render(levels: levels, grid: big, into: small).lines[0].hasSuffix("use a smaller grid"))
        r.names = options
        #expect(r.render(levels: levels, grid: big, into: small).lines[0].hasSuffix("use a smaller --grid"))
        let plain = LiveView.numberImage(levels: levels, grid: big, size: small)
        let named = LiveView.numberImage(levels: levels, grid: big, size: small, names: options)
        #expect(plain.lines[0].hasSuffix("drop numbers") && named.lines[0].hasSuffix("drop --numbers"),
                "\(plain.lines) \(named.lines)")
        let tiles = LiveView(numbers: false, screen: nil, names: options).panel(levels: levels, grid: big, size: small)
        #expect(tiles.lines[0].hasSuffix("use a smaller --grid or --numbers"), "\(tiles.lines)")
    }

    @Test func sideBySideAlignsPanels() {
        let r = HeatMapRenderer(colorMode: .truecolor)
        let size = HeatMapRenderer.panelSize(for: TerminalSize(columns: 40, rows: 10))
        let a = r.render(levels: levels, grid: grid, into: size)
        let b = r.render(levels: levels.reversed(), grid: grid, into: size)
        let both = HeatMapRenderer.sideBySide(a, b, gap: 3, titles: ("intended", "observed"))
        #expect(both.lines.count == a.lines.count + 1)
        #expect(both.lines[0].hasPrefix("intended") && both.lines[0].hasSuffix("observed"))
        let titleGap = TileImage.visibleWidth(String(both.lines[0].dropLast("observed".count)))
        #expect(titleGap == a.columns + 3)
        for line in both.lines.dropFirst() { #expect(TileImage.visibleWidth(line) == both.columns) }
    }

    @Test func screenIsOneBufferThatRedrawsInPlace() {
        let r = HeatMapRenderer(colorMode: .palette256)
        let img = r.render(levels: levels, grid: grid, into: TerminalSize(columns: 8, rows: 2))
        let s = r.screen(img, status: ["frame 1/1"])
        #expect(s.hasPrefix("\u{1B}[H") && s.hasSuffix("\u{1B}[J") && s.contains("frame 1/1"))
    }

    /// Busy is bright: the scale's brightness rises with load, and neither end is the black
    /// or white of a terminal's background (so tiles read on dark and light terminals alike).
    @Test func colourScaleBrightensWithLoadAndAvoidsBackgrounds() {
        var last = -1.0
        for l in 0...255 {
            let b = HeatMapRenderer.brightness(l)
            #expect(b >= last, "level \(l)")
            last = b
        }
        let idle = HeatMapRenderer.color(0), busy = HeatMapRenderer.color(255)
        #expect(idle != (0, 0, 0) && busy != (255, 255, 255))
        #expect(HeatMapRenderer.brightness(255) - HeatMapRenderer.brightness(0) > 150)
        // The 256-colour fallback keeps the order, within the cube's coarse steps.
        func lum(_ c: (r: Int, g: Int, b: Int)) -> Double { 0.2126 * Double(c.r) + 0.7152 * Double(c.g) + 0.0722 * Double(c.b) }
        #expect(lum(HeatMapRenderer.cubeColor(HeatMapRenderer.palette(255))) > lum(HeatMapRenderer.cubeColor(HeatMapRenderer.palette(128))))
        #expect(lum(HeatMapRenderer.cubeColor(HeatMapRenderer.palette(128))) > lum(HeatMapRenderer.cubeColor(HeatMapRenderer.palette(0))))
        #expect(HeatMapRenderer.cubeColor(HeatMapRenderer.palette(0)) != (0, 0, 0))
    }

    /// Equal neighbours stay apart: wide tiles end in a one-column gap, tall ones in a blank row.
    @Test func wideTilesKeepAGap() throws {
        let g = try GridSize(width: 2, height: 1)
        let r = HeatMapRenderer(colorMode: .plain)
        let img = r.render(levels: [255, 255], grid: g, into: TerminalSize(columns: 16, rows: 4))
        // Tiles of 8x4: 7 inked columns and a gap, 3 inked rows and a blank one.
        #expect(img.lines.count == 4)
        #expect(img.lines[0] == "███████ ███████ ")
        #expect(img.lines[3].trimmingCharacters(in: .whitespaces).isEmpty)
        // Narrow tiles (2 columns) have no room for a gap.
        let small = r.render(levels: [255, 255], grid: g, into: TerminalSize(columns: 4, rows: 1))
        #expect(small.lines == ["████"])
    }
}

@Suite struct ProgressBarTests {
    @Test func showsCountRateAndETA() {
        let bar = ProgressBar(label: "convert", total: 100, enabled: false)
        bar.update(done: 25)
        let line = bar.line(now: MonotonicClock().seconds())
        #expect(line.hasPrefix("convert [#######"))
        #expect(line.contains("25/100 frames"))
        #expect(line.contains("fps") && line.contains("ETA"))
    }
    @Test func unknownTotal() {
        let bar = ProgressBar(label: "convert", enabled: false)
        bar.update(done: 7)
        #expect(bar.line(now: MonotonicClock().seconds()).contains("7 frames"))
    }
    @Test func disabledOffTerminal() {
        // The test's stderr is a file or pipe, so the default is off.
        #expect(ProgressBar(label: "x", output: 2).isEnabled == TerminalIO.isTTY(2))
    }
    @Test func clockFormat() {
        #expect(ProgressBar.clock(65) == "1:05")
        #expect(ProgressBar.clock(3725) == "1:02:05")
    }
}

@Suite struct TerminalSessionTests {
    @Test func offTerminalChangesNothing() throws {
        // A pipe is not a terminal: the session must not write escapes into it.
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let s = TerminalSession(input: fds[0], output: fds[1])
        #expect(!s.isInteractive)
        s.restore()
        close(fds[1])
        var b = [UInt8](repeating: 0, count: 16)
        #expect(read(fds[0], &b, 16) == 0)
    }
}
#if canImport(Glibc)
import Glibc
#endif
