import CPUPlayCore
import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
@testable import CPUPlayVirt

/// `vm play` finds cpuplay-guest beside cpuplay (a build) or in PREFIX/lib/cpuplay (the package),
/// and an installed copy without it names the missing file.
@Suite struct InstalledGuestPlayerTests {
    @Test func anInstalledPlayerIsFoundInLibCpuplay() throws {
        let prefix = try TemporaryDirectory()
        let layout = InstalledLayout(prefix: prefix.path)
        let fm = FileManager.default
        try fm.createDirectory(atPath: layout.helperDirectory, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: layout.dataDirectory, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: prefix.path("bin"), withIntermediateDirectories: true)
        let bin = URL(fileURLWithPath: prefix.path("bin"))

        // Without the player: one line naming where it should be.
        let missing = #expect(throws: CPUPlayError.self) {
            try GuestImage.locate(executableDirectory: bin, layout: layout)
        }
        #expect(missing?.message.contains(layout.helper("cpuplay-guest")) == true)

        try fm.copyItem(atPath: "/bin/true", toPath: layout.helper("cpuplay-guest"))
        // (busybox-static is installed by Scripts/install-deps.sh, as vm play needs it.)
        let image = try GuestImage.locate(executableDirectory: bin, layout: layout)
        #expect(image.player == layout.helper("cpuplay-guest"))
    }

    @Test func presetsAreLookedForInTheInstalledDataFolderLast() throws {
        let layout = try #require(InstalledLayout.current())
        #expect(VMPreset.searchDirectories.last?.path == layout.dataFile("vm"))
    }
}
