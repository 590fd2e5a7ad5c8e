import CPUPlayCore
import CPUPlaySystem
import CPUPlayTestSupport
import Foundation
import Testing
@testable import CPUPlayMedia

/// The sample is looked for in the checkout first, then in an installed copy's data folder.
@Suite struct SampleLocatorTests {
    @Test func theInstalledSampleIsTheLastCandidate() {
        let layout = InstalledLayout(prefix: "/opt/cpuplay")
        let candidates = SampleLocator.candidates(layout: layout)
        #expect(candidates.last == "/opt/cpuplay/share/cpuplay/sample.mp4")
        #expect(candidates.contains(SampleLocator.relativePath))
        #expect(candidates.firstIndex(of: SampleLocator.relativePath)! < candidates.count - 1)
    }

    @Test func theCheckoutWinsOverAnInstalledCopy() throws {
        // The tests run from the repository, whose Media/sample.mp4 comes before the installed one.
        let prefix = try TemporaryDirectory()
        let layout = InstalledLayout(prefix: prefix.path)
        try FileManager.default.createDirectory(atPath: layout.dataDirectory, withIntermediateDirectories: true)
        try Data("not a video".utf8).write(to: URL(fileURLWithPath: layout.dataFile(SampleLocator.installedName)))
        let found = try SampleLocator.find(layout: layout)
        #expect(found != layout.dataFile(SampleLocator.installedName))
        #expect(found.hasSuffix(SampleLocator.relativePath))
    }
}
