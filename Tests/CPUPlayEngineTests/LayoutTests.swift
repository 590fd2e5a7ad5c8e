import CPUPlayClip
import CPUPlayCore
import Testing
import Foundation
@testable import CPUPlayEngine

/// Layout tables checked by hand against htop's CPUMeter.c / Settings_defaultMeters rule.
@Suite struct LayoutTests {
    func table(_ l: Layout) -> [[Int?]] {
        (0..<l.grid.height).map { y in (0..<l.grid.width).map { x in l.cpu(x: x, y: y) } }
    }

    @Test func htop4IsOneColumn() {
        let l = Layout.htop(cpus: [0, 1, 2, 3])
        #expect(l.grid.description == "1x4")
        #expect(table(l) == [[0], [1], [2], [3]])
    }

    @Test func htop8IsLeftAndRightMeters() {
        // LeftCPUs / RightCPUs: 0-3 on the left, 4-7 on the right, one column each.
        let l = Layout.htop(cpus: CPUSet(0..<8))
        #expect(l.grid.description == "2x4")
        #expect(table(l) == [[0, 4], [1, 5], [2, 6], [3, 7]])
    }

    @Test func htop16IsTwoColumnsPerMeter() {
        // LeftCPUs2: 0-7 in 2 columns of 4, column-major; RightCPUs2: 8-15.
        let l = Layout.htop(cpus: CPUSet(0..<16))
        #expect(l.grid.description == "4x4")
        #expect(table(l) == [
            [0, 4, 8, 12],
            [1, 5, 9, 13],
            [2, 6, 10, 14],
            [3, 7, 11, 15],
        ])
    }

    @Test func htop32IsFourColumnsPerMeter() {
        // LeftCPUs4: 0-15 in 4 columns of 4; RightCPUs4: 16-31.
        let l = Layout.htop(cpus: CPUSet(0..<32))
        #expect(l.grid.description == "8x4")
        #expect(table(l) == [
            [0, 4, 8, 12, 16, 20, 24, 28],
            [1, 5, 9, 13, 17, 21, 25, 29],
            [2, 6, 10, 14, 18, 22, 26, 30],
            [3, 7, 11, 15, 19, 23, 27, 31],
        ])
    }

    @Test func htop64IsEightColumnsPerMeter() {
        // LeftCPUs8: 0-31 in 8 columns of 4; RightCPUs8: 32-63.
        let l = Layout.htop(cpus: CPUSet(0..<64))
        #expect(l.grid.description == "16x4")
        let expected: [[Int?]] = (0..<4).map { y in (0..<16).map { x in x * 4 + y } }
        #expect(table(l) == expected)
    }

    @Test func htopOddCountLeavesRightMeterShort() {
        // 5 CPUs: left meter 0,1,2 (ceil(5/2)), right meter 3,4.
        let l = Layout.htop(cpus: [0, 1, 2, 3, 4])
        #expect(table(l) == [[0, 3], [1, 4], [2, nil]])
        // 9 CPUs, LeftCPUs2: left 0-4 in 2 columns of 3; right 5-8 in 2 columns of 2.
        let m = Layout.htop(cpus: CPUSet(0..<9))
        #expect(table(m) == [[0, 3, 5, 7], [1, 4, 6, 8], [2, nil, nil, nil]])
    }

    @Test func htopUsesSparseIdsInOrder() {
        let l = Layout.htop(cpus: [0, 2, 5, 6, 7, 9])
        #expect(table(l) == [[0, 6], [2, 7], [5, 9]])
    }

    @Test func htopKeepsTheMonitorsPlacesWhenOnlySomeCPUsAreAllowed() throws {
        // htop shows all 8 online CPUs; this process may use 0-3 (taskset -c 0-3).
        let l = try Layout.make(.htop, cpus: [0, 1, 2, 3], displayed: CPUSet(0..<8))
        #expect(table(l) == [[0, nil], [1, nil], [2, nil], [3, nil]])
        #expect(l.pixels.count == 4)
        let b = try Layout.make(.btop(boxHeight: 16), cpus: [1, 5], displayed: CPUSet(0..<16))
        #expect(b.grid.description == "2x8")
        #expect(b.cpus == [1, 5])
        #expect(b.cpu(x: 0, y: 1) == 1 && b.cpu(x: 0, y: 5) == 5)
    }

    @Test func rowsIsRowMajorOverAllowedIds() throws {
        let l = try Layout.rows(cpus: [0, 2, 5, 6, 7, 9], grid: GridSize(width: 3, height: 2))
        #expect(table(l) == [[0, 2, 5], [6, 7, 9]])
        #expect(!l.isOvercommitted)
    }

    @Test func rowsRefusesMoreCellsThanCPUsWithoutOvercommit() throws {
        #expect(throws: CPUPlayError.self) { try Layout.rows(cpus: [0, 1], grid: GridSize(width: 2, height: 2)) }
        let l = try Layout.rows(cpus: [0, 1], grid: GridSize(width: 2, height: 2), overcommit: true)
        #expect(table(l) == [[0, 1], [0, 1]])
        #expect(l.threadsPerCPU == [0: 2, 1: 2])
        #expect(l.sharingSummary.contains("2 per CPU"))
    }

    @Test func autoGridFollowsAspect() {
        #expect(Layout.autoGrid(cpuCount: 2, aspect: 16.0 / 9).description == "2x1")
        #expect(Layout.autoGrid(cpuCount: 1, aspect: 16.0 / 9).description == "1x1")
        #expect(Layout.autoGrid(cpuCount: 64, aspect: 1).description == "8x8")
        #expect(Layout.autoGrid(cpuCount: 64, aspect: 4).description == "16x4")
        #expect(Layout.autoGrid(cpuCount: 12, aspect: 4.0 / 3).description == "4x3")
        #expect(Layout.autoGrid(cpuCount: 1, aspect: .nan).description == "1x1")
        // A prime count would be 7x1; a near-rectangle with one empty cell is closer to 16:9.
        #expect(Layout.autoGrid(cpuCount: 7, aspect: 16.0 / 9).description == "4x2")
    }

    @Test func btopIsColumnMajor() {
        // Box height 16: columns = ceil((n + 1) / 11).
        let l = Layout.btop(cpus: CPUSet(0..<8))
        #expect(table(l) == [[0], [1], [2], [3], [4], [5], [6], [7]])
        let m = Layout.btop(cpus: CPUSet(0..<16))
        #expect(m.grid.description == "2x8")
        #expect(table(m)[0] == [0, 8])
        #expect(table(m)[7] == [7, 15])
        let k = Layout.btop(cpus: CPUSet(0..<32), boxHeight: 12)   // 7 rows usable -> 5 columns of 7
        #expect(k.grid.description == "5x7")
        #expect(table(k)[0] == [0, 7, 14, 21, 28])
        #expect(table(k)[6] == [6, 13, 20, 27, nil])
    }

    @Test func layoutKindParses() throws {
        #expect(try LayoutKind(parsing: "rows") == .rows)
        #expect(try LayoutKind(parsing: "HTOP") == .htop)
        #expect(try LayoutKind(parsing: "btop:20") == .btop(boxHeight: 20))
        #expect(try LayoutKind(parsing: "file:x.json") == .file("x.json"))
        #expect(throws: CPUPlayError.self) { try LayoutKind(parsing: "spiral") }
        #expect(throws: CPUPlayError.self) { try LayoutKind(parsing: "btop:2") }
    }

    @Test func explicitGridIsRefusedForFixedLayouts() throws {
        #expect(throws: CPUPlayError.self) {
            try Layout.make(.htop, cpus: [0, 1], grid: .exact(GridSize(width: 2, height: 1)))
        }
    }

    // MARK: layout files

    func parse(_ json: String, allowed: CPUSet = [0, 1, 2, 3], overcommit: Bool = false) throws(CPUPlayError) -> Layout {
        try Layout.parseFile(Data(json.utf8), name: "file:t.json", source: "t.json", allowed: allowed, overcommit: overcommit)
    }

    @Test func layoutFileParses() throws {
        let l = try parse(#"{"comment": "x", "rows": [[3, 2], [null, 0]]}"#)
        #expect(table(l) == [[3, 2], [nil, 0]])
        #expect(l.name == "file:t.json")
    }

    @Test func badLayoutFilesGiveOneLineErrors() throws {
        let bad = [
            "", "   \n", "{", "[]", #"{"rows": []}"#, #"{"rows": [[]]}"#, #"{"rows": [[0, 1], [2]]}"#,
            #"{"rows": [["a"]]}"#, #"{"rows": [[-1]]}"#, #"{"rows": [[1.5]]}"#, #"{"rows": [[null]]}"#,
            #"{"cells": [[0]]}"#, #"{"rows": [[0]], "rows": [[1]]}"#, #"{"rows": [[0]],}"#, #"{"rows": [[0, 1e30]]}"#,
        ]
        for json in bad {
            do {
                _ = try parse(json)
                Issue.record("accepted \(json)")
            } catch {
                #expect(!error.description.contains("\n"), "multi-line error for \(json)")
                #expect(error.description.contains("t.json"), "\(error)")
            }
        }
    }

    @Test func layoutFileNamingDisallowedCPUIsRefused() {
        do {
            _ = try parse(#"{"rows": [[0, 9]]}"#)
            Issue.record("accepted CPU 9")
        } catch {
            #expect(error.description.contains("CPU 9"), "\(error)")
        }
    }

    @Test func layoutFileNamingACPUTwiceNeedsOvercommit() throws {
        #expect(throws: CPUPlayError.self) { try parse(#"{"rows": [[0, 0]]}"#) }
        #expect(try parse(#"{"rows": [[0, 0]]}"#, overcommit: true).threadsPerCPU == [0: 2])
    }

    @Test func missingLayoutFileIsRefused() {
        #expect(throws: CPUPlayError.self) { try Layout.file(path: "/nonexistent/x.json", allowed: [0]) }
    }

    @Test func shippedLayoutFilesParse() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Configs/layouts")
        for name in ["2x1.json", "4x2-numa.json"] {
            let l = try Layout.file(path: dir.appendingPathComponent(name).path, allowed: CPUSet(0..<8))
            #expect(l.pixels.count >= 2)
        }
    }
}

@Suite struct AllowedCPUsTests {
    @Test func narrowingRefusesOfflineAndDisallowed() throws {
        let a = AllowedCPUs(affinity: [0, 1, 2], online: [0, 1, 2, 3])
        #expect(try a.narrowed(to: [0, 2]) == [0, 2])
        do { _ = try a.narrowed(to: [4]); Issue.record("accepted offline") } catch {
            #expect(error.description.contains("offline"), "\(error)")
        }
        do { _ = try a.narrowed(to: [3]); Issue.record("accepted disallowed") } catch {
            #expect(error.description.contains("not allowed"), "\(error)")
        }
        let c = AllowedCPUs(affinity: [0, 1, 2], online: [0, 1, 2], cgroupCpuset: [1, 2])
        #expect(c.usable == [1, 2])
        #expect(throws: CPUPlayError.self) { try c.narrowed(to: [0]) }
    }

    @Test func aViewerShowsAnyOnlineCPUButNoOfflineOne() throws {
        let a = AllowedCPUs(affinity: [0], online: [0, 1, 2, 3])
        #expect(try a.shown(nil) == [0, 1, 2, 3])
        #expect(try a.shown([1, 3]) == [1, 3])   // not allowed to pin there, but shown
        do { _ = try a.shown([2, 7]); Issue.record("showed an offline CPU") } catch {
            #expect(error.description.contains("CPU 7 is not online"), "\(error)")
        }
    }

    @Test func currentProcessHasUsableCPUs() throws {
        let a = try AllowedCPUs.current()
        #expect(!a.usable.isEmpty)
        #expect(Set(a.usable).isSubset(of: Set(a.online)))
    }
}
