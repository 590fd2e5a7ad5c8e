import CPUPlayCore
import CPUPlaySystem
import Foundation

/// The host programs `vm play --guest-viewer` copies into the guest image: tmux and the viewer
/// (htop or btop) as this host has them, the terminfo entries they draw with inside tmux, and
/// glibc's C.UTF-8 locale (tmux refuses to start without a UTF-8 locale).
///
/// They go into a separate cached image (`GuestImage.base(viewerTools:)`), so a plain `vm play`
/// boots the small image without them. Libraries come from ldd, as for the player.
public struct GuestViewerTools: Sendable, Equatable {
    /// Absolute host paths of the programs, copied to the same path in the guest.
    public let programs: [String]
    /// Absolute host paths of data files (terminfo entries, the C.UTF-8 locale), copied to the
    /// same path in the guest.
    public let dataFiles: [String]
    /// The viewer's name (htop, btop), for messages.
    public let viewer: String

    /// Terminal types a viewer may meet in the guest: tmux's default "screen" first.
    static let terminalTypes = ["screen", "screen-256color", "tmux", "tmux-256color", "xterm", "xterm-256color",
                                "linux", "dumb"]
    static let terminfoDirectories = ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"]
    static let utf8Locale = "/usr/lib/locale/C.utf8"

    /// Finds tmux and `viewer` on this host, or an error naming what is missing and how to get it.
    public static func locate(viewer: String) throws(CPUPlayError) -> GuestViewerTools {
        var programs: [String] = []
        for name in ["tmux", viewer] {
            guard let path = ["/usr/bin/\(name)", "/bin/\(name)"].first(where: { FileTree.isExecutable($0) }) else {
                throw CPUPlayError(.toolFailed, setting: .guestViewer, subject: name,
                        "\(Setting.guestViewer) \(viewer) copies \(name) from this host into the guest, but "
                            + "/usr/bin/\(name) is missing; apt-get install \(name) (Scripts/install-deps.sh does)")
            }
            programs.append(path)
        }
        var terminfo: [String] = []
        for type in terminalTypes {
            let sub = "\(type.first!)/\(type)"
            if let found = terminfoDirectories.map({ "\($0)/\(sub)" }).first(where: { FilePath.isReadable($0) }) {
                terminfo.append(found)
            }
        }
        guard terminfo.contains(where: { $0.hasSuffix("/s/screen") }) else {
            throw CPUPlayError(.toolFailed, setting: .guestViewer, subject: "terminfo",
                    "\(Setting.guestViewer) needs the terminfo entry 'screen' (tmux's terminal type), found in none of "
                        + "\(terminfoDirectories.joined(separator: ", ")); apt-get install ncurses-base")
        }
        let locale = FileTree.entries(utf8Locale).sorted()
            .map { "\(utf8Locale)/\($0)" }.filter { FilePath.kind($0) == .regular }
        guard locale.contains("\(utf8Locale)/LC_CTYPE") else {
            throw CPUPlayError(.toolFailed, setting: .guestViewer, subject: "locale",
                    "\(Setting.guestViewer) needs glibc's C.UTF-8 locale (\(utf8Locale)/LC_CTYPE) for tmux in the "
                        + "guest, and it is missing; apt-get install libc-bin")
        }
        return GuestViewerTools(programs: programs, dataFiles: terminfo + locale, viewer: viewer)
    }
}
