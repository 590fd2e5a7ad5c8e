import ArgumentParser
import CPUPlayCore
import CPUPlayLoad
import CPUPlaySystem
import Foundation

/// `play --sync htop:TMUX-TARGET | btop`: make the viewer sample once per frame.
struct ViewerSyncOptions: ParsableArguments {
    @Option("--sync", help: ArgumentHelp(
        "Make a viewer sample in step with the frames. htop:TARGET presses htop's re-sample key in that tmux pane at "
            + "every frame boundary (Ctrl-L from htop 3.3, H before: the version is read from the pane's htop); btop "
            + "prints the update_ms to set. A missing or vanished pane costs one notice, never the playback.",
        valueName: "htop:TMUX-TARGET|btop"))
    var sync: String?

    /// Parses --sync, prints what it will do (or the btop setting), and starts the key sender.
    func start(fps: Double) throws(CPUPlayError) -> TmuxHtopSync? {
        guard let sync else { return nil }
        switch try ViewerSyncRequest(parsing: sync) {
        case .btop:
            Self.say(ViewerSyncRequest.btopAdvice(fps: fps))
            return nil
        case .htop(let target):
            let sender = TmuxHtopSync(target: target, names: OptionSubjects.names)
            for notice in sender.takeNotices() { Self.say(notice) }
            if let plan = sender.plan { Self.say(plan) }
            sender.start()
            return sender
        }
    }

    static func say(_ line: String) { _ = DescriptorWrite.all((line + "\n"), to: .standardError) }
}
