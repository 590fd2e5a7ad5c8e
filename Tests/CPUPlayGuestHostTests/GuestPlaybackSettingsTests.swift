import CPUPlayClip
import CPUPlayEngine
import CPUPlayLoad
import CPUPlayVirt
import Testing
@testable import CPUPlayGuestHost

@Suite struct GuestPlaybackSettingsTests {
    static func settings(_ kind: LayoutKind, name: String = "rows") throws -> GuestPlaybackSettings {
        var request = VMRequest()
        request.vcpus = 4
        let grid = try GridSize(width: 2, height: 2)
        let clip = Clip(grid: grid, frameRate: try FrameRate(numerator: 10), levels: [0, 64, 128, 255])
        return GuestPlaybackSettings(request: request, layoutKind: kind, layout: try Layout(name: name, grid: grid, cells: [0, 1, 2, 3]),
                                     clip: clip, player: PlayerOptions(), kernel: "/k")
    }

    @Test func theGuestPlayerIsToldTheLayoutGridAndWhatToRun() throws {
        var s = try Self.settings(.rows)
        var a = s.guestArguments
        #expect(a.starts(with: ["--clip", "/cpuplay/clip.y4m", "--stream", "/dev/ttyS1", "--layout", "rows", "--grid", "2x2"]))
        #expect(!a.contains("--loop") && !a.contains("--correct") && !a.contains("--guest-viewer"))
        s.player.loop = true
        s.player.duration = 2.5
        s.correction = CorrectionSettings(viewer: .btop)
        s.guestViewer = .htop
        a = s.guestArguments
        #expect(a.contains("--loop"))
        #expect(a.joined(separator: " ").contains("--duration 2.5 --correct --viewer btop --guest-viewer htop"))
        // A viewer's own layout is re-made over the guest's CPUs: its grid is the guest's to choose.
        let h = try Self.settings(.btop(boxHeight: 20), name: "btop").guestArguments
        #expect(h.joined(separator: " ").contains("--layout btop:20 --grid auto"))
    }

    @Test func virshErrorsAreJoinedAndTheirAbsenceSaid() {
        #expect(GuestPlayback.virshErrors("Domain defined\nerror: failed to start\nerror:  no kernel\n") == "failed to start; no kernel")
        #expect(GuestPlayback.virshErrors("Domain defined\n") == "virsh ended without an error message")
        #expect(GuestPlayback.seconds(3) == "3" && GuestPlayback.seconds(2.5) == "2.5")
    }
}
