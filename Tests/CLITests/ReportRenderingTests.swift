import CPUPlayTestSupport
import Testing
import Foundation

extension CPULoadTests {
/// The accuracy report's HTML page, opened in headless Chromium (Debian's chromium).
@Suite(.serialized) struct ReportRenderingTests {
    /// A real (interrupted, so short) accuracy run's HTML report.
    static func makeReport(in dir: TemporaryDirectory) throws -> URL {
        let html = dir.file("report.html")
        let r = try CLI.run(["accuracy", "--quick", "--no-stress-ng", "--html", html.path],
                            timeout: 60, signalAfter: 4.5, signal: SIGINT)
        guard FileManager.default.fileExists(atPath: html.path) else { throw HarnessError("no report written: \(r)") }
        return html
    }

    static func chromium(_ args: [String]) throws -> (status: Int32, output: String) {
        try TmuxScreen.requireTool("chromium")
        // Its own profile directory, so no user profile or lock is touched.
        let profile = try TemporaryDirectory()
        return try TmuxScreen.run(["chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                                   "--user-data-dir=\(profile.url.path)"] + args)
    }

    @Test func rendersChartsInHeadlessChromiumWithoutConsoleErrors() throws {
        let dir = try TemporaryDirectory()
        let html = try Self.makeReport(in: dir)
        let png = dir.file("shot.png")

        let shot = try Self.chromium(["--screenshot=\(png.path)", "--window-size=1200,900", html.absoluteString])
        let data = try Data(contentsOf: png)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG: \(shot.output)")
        #expect(data.count > 20_000, "screenshot suspiciously small (\(data.count) bytes)")

        // Decode the PNG to grey pixels with ffmpeg and check the page is not blank:
        // many distinct shades (text, axes, coloured series) and a good share of non-background.
        let raw = dir.file("shot.gray")
        let ff = try TmuxScreen.run(["ffmpeg", "-v", "error", "-y", "-i", png.path, "-f", "rawvideo", "-pix_fmt", "gray", raw.path])
        #expect(ff.status == 0, "ffmpeg could not decode the screenshot: \(ff.output)")
        let pixels = [UInt8](try Data(contentsOf: raw))
        #expect(pixels.count == 1200 * 900)
        var histogram = [Int](repeating: 0, count: 256)
        for p in pixels { histogram[Int(p)] += 1 }
        let background = histogram.max() ?? 0
        #expect(histogram.filter { $0 > 50 }.count >= 10, "too few distinct shades: the page looks blank")
        #expect(Double(pixels.count - background) / Double(pixels.count) > 0.05, "over 95 % of the page is one shade")

        // The DOM after rendering holds the four charts, and the console logged no error.
        let dom = try Self.chromium(["--enable-logging=stderr", "--v=0", "--dump-dom", html.absoluteString])
        #expect(dom.output.components(separatedBy: "<svg").count - 1 == 4, "charts missing from the rendered DOM")
        let consoleErrors = dom.output.split(separator: "\n").filter {
            ($0.contains("CONSOLE") || $0.contains("Uncaught")) && ($0.contains("report.html") || $0.contains("file://"))
        }
        #expect(consoleErrors.isEmpty, "console errors: \(consoleErrors)")
    }
}
}
