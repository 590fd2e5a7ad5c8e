import CPUPlayCore
import CPUPlayClip
import CPUPlayFleet
import CPUPlaySystem
import Foundation

/// `cpuplay watch --prometheus URL`: the whole fleet's picture, read from Prometheus on a
/// timer and drawn with the same heat map (or numbers) as a local `watch`.
///
/// Prometheus going away is not an error to stop on: the last picture stays, the status
/// line says what failed in one line, and the next tick tries again.
public struct FleetWatch {
    public var client: PrometheusClient
    public var layout: FleetLayout?
    /// Seconds between queries and when to stop.
    public var pace: WatchPace
    /// The rate window of the busy expression (at least four scrapes).
    public var window: String
    public var numbers: Bool
    /// How the screen's hints name settings (the command line's options, or plain names).
    public var names = SettingNames.plain

    public init(client: PrometheusClient, layout: FleetLayout?, pace: WatchPace, window: String, numbers: Bool) {
        self.client = client
        self.layout = layout
        self.pace = pace
        self.window = window
        self.numbers = numbers
    }

    public func run() throws {
        let view = LiveView(numbers: numbers, names: names)
        let session = TerminalSession()
        defer { session.restore() }
        ResizeSignal.install()
        let expr = FleetPlan.busyExpression(window: window)
        var pictures = 0
        var last: FleetPicture?
        var lastProblem: String?
        var lastFailure: String?
        var deadline = MonotonicClock().now()
        loop: while true {
            switch LiveView.wait(until: deadline, session: session) {
            case .quit: break loop
            case .resize:
                if let last {
                    try draw(last, view: view, session: session, status: status(pictures, problem: lastProblem))
                }
                continue loop
            case .due: break
            }
            deadline += pace.intervalNanoseconds
            do {
                // Waiting for the answer still takes q and stop signals (within 10 ms).
                var quit = false
                let samples = try client.query(expr, seriesLimit: seriesLimit, interrupted: {
                    quit = LiveView.wait(until: MonotonicClock().now() + 10_000_000, session: session) == .quit
                    return quit
                })
                guard let samples, !quit else { break loop }
                let picture = try FleetPicture(samples: samples, layout: layout)
                pictures += 1
                last = picture
                lastFailure = nil
                lastProblem = picture.silentInstances.isEmpty ? nil : "no data from "
                    + "\(picture.silentInstances.joined(separator: ", "))"
                try draw(picture, view: view, session: session, status: status(pictures, problem: lastProblem))
                if pace.isDone(after: pictures) { break loop }
            } catch {
                // One notice per failure, not per retry: the same failure's text can differ
                // between retries (curl's "after 0 ms" / "after 1 ms"), so it is known by
                // what failed (kind, option, value), not by its words.
                let failure = (error as? CPUPlayError).map { "\($0.kind) \($0.subject ?? "") \($0.value ?? "")" }
                    ?? "\(error)"
                if !session.isInteractive && failure != lastFailure {
                    _ = DescriptorWrite.all("\(error); retrying every \(pace.interval) s\n", to: .standardError)
                }
                lastFailure = failure
                lastProblem = "\(error)"
                if let last, session.isInteractive {
                    try draw(last, view: view, session: session, status: status(pictures, problem: lastProblem))
                }
            }
        }
    }

    /// The most series one answer may have: four per cell of the layout's picture (nodes may
    /// have more CPUs than their part has cells), or one per cell of the largest picture.
    var seriesLimit: Int {
        guard let layout, let grid = try? GridSize(parsing: layout.grid) else { return GridSize.maxCells }
        return 4 * grid.cellCount + 256
    }

    func draw(_ picture: FleetPicture, view: LiveView, session: TerminalSession, status: String) throws {
        let size = LiveView.size
        let image = view.panel(levels: picture.levels, grid: picture.grid,
                               size: TerminalSize(columns: size.columns, rows: max(1, size.rows - 1)))
        try session.draw(view.renderer.screen(image, status: [String(status.prefix(size.columns))]))
    }

    func status(_ pictures: Int, problem: String?) -> String {
        "cpuplay watch · \(client.base) · every \(pace.interval) s · picture \(pictures)"
            + (pace.limit.map { "/\($0)" } ?? "") +
            (problem.map { " · \($0)" } ?? "") + " · q quits"
    }
}
