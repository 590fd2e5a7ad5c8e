import CPUPlayCore
import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing

/// An installed copy finds its files from its own executable: PREFIX/bin/cpuplay ->
/// PREFIX/share/cpuplay and PREFIX/lib/cpuplay (the Debian package's layout).
@Suite struct InstalledLayoutTests {
    @Test func pathsFollowThePrefix() {
        let usr = InstalledLayout(prefix: "/usr")
        #expect(usr.dataDirectory == "/usr/share/cpuplay")
        #expect(usr.dataFile("sample.mp4") == "/usr/share/cpuplay/sample.mp4")
        #expect(usr.helper("cpuplay-guest") == "/usr/lib/cpuplay/cpuplay-guest")
        // A binary in /bin has the root as its prefix: no doubled slash.
        #expect(InstalledLayout(prefix: "/").dataFile("vm") == "/share/cpuplay/vm")
    }

    @Test func currentIsTheFolderAboveTheExecutables() throws {
        let exe = try #require(ProcessFacts.executablePath)
        let bin = URL(fileURLWithPath: exe).deletingLastPathComponent()
        #expect(InstalledLayout.current()?.prefix == bin.deletingLastPathComponent().path)
    }

    @Test func installedOnlyWhenTheDataFolderExists() throws {
        let prefix = try TemporaryDirectory()
        let layout = InstalledLayout(prefix: prefix.path)
        #expect(!layout.isInstalled)
        try FileManager.default.createDirectory(atPath: layout.dataDirectory, withIntermediateDirectories: true)
        #expect(layout.isInstalled)
    }

    @Test func aMissingFileIsOneLineNamingIt() {
        let error = InstalledLayout(prefix: "/usr").missing("/usr/share/cpuplay/sample.mp4", what: "the bundled sample")
        #expect(error.kind == .unreadableInput)
        #expect(!error.message.contains("\n"))
        #expect(error.message.contains("/usr/share/cpuplay/sample.mp4"))
        #expect(error.message.contains("apt-get install --reinstall cpuplay"))
    }
}
