import CLinux
import CPUPlaySystem
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program run on a pseudo-terminal, as a person runs it in a terminal window, for tests of
/// what it does to the terminal and how it ends on signals.
///
/// The child is a `ChildProcess` leading a new session, with stdin, stdout and stderr on the
/// pty's slave side; everything it writes is read from the master side as it comes (so it never
/// blocks on a full pty). Tests synchronise on events (`waitFor(text)`, `waitForExit`), never
/// on sleeps; the timeouts only bound how long a broken program can hold the test. After exit,
/// `leftovers` lists every process of its session still alive (a thread cannot outlive its
/// process; a child that did not setsid stays in the session), found before they are ended.
public final class PTYProcess {
    public let child: ChildProcess
    private let master: Int32
    private let slave: Int32
    public private(set) var output = Data()
    public private(set) var leftovers: [String] = []

    public struct Failure: Error, CustomStringConvertible { public let description: String }

    /// `environment` is added to the inherited one, without the variables named in `unset`.
    /// `standardOutput`: a descriptor the program's standard output goes to instead of the
    /// terminal (a file, to keep what it writes there apart from what it draws).
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], unset: [String] = [],
                workingDirectory: String? = nil, columns: Int = 120, rows: Int = 40,
                standardOutput: Int32? = nil) throws {
        var m: Int32 = -1, s: Int32 = -1
        let rc = clinux_openpty(&m, &s, Int32(columns), Int32(rows))
        guard rc == 0 else { throw Failure(description: "openpty failed: \(String(cString: strerror(-rc)))") }
        master = m
        slave = s
        var env = ProcessInfo.processInfo.environment
        for name in unset { env[name] = nil }
        env["TERM"] = "xterm-256color"
        env.merge(environment) { _, given in given }
        do {
            child = try ChildProcess(executable, arguments, environment: env, workingDirectory: workingDirectory,
                                     stdin: .descriptor(s), stdout: .descriptor(standardOutput ?? s),
                                     stderr: .descriptor(s), newSession: true)
        } catch {
            close(m)
            close(s)
            throw error
        }
        let flags = fcntl(m, F_GETFL)
        _ = fcntl(m, F_SETFL, flags | O_NONBLOCK)
    }

    deinit {
        child.terminate()
        close(master)
        close(slave)
    }

    public var text: String { String(decoding: output, as: UTF8.self) }

    /// Timeouts are measured on the monotonic clock: a wall-clock step (NTP) neither ends a
    /// wait early nor stretches it.
    static let clock = MonotonicClock()

    /// Reads what the child wrote, waiting at most `milliseconds` for the first bytes.
    @discardableResult
    public func pump(milliseconds: Int32 = 20) -> Int {
        var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&fds, 1, milliseconds) > 0 else { return 0 }
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            output.append(contentsOf: buffer[0..<n])
            total += n
        }
        return total
    }

    /// Waits until the output contains `needle` (true) or the child exits or `timeout` passes (false).
    public func waitFor(_ needle: String, timeout: Double = 120) -> Bool {
        let limit = Self.clock.seconds() + timeout
        let bytes = Data(needle.utf8)
        var from = 0
        while Self.clock.seconds() < limit {
            if output.count >= bytes.count, output[max(0, from - bytes.count)...].range(of: bytes) != nil { return true }
            from = output.count
            if child.hasExited { pump(milliseconds: 0); return output.range(of: bytes) != nil }
            pump()
        }
        return false
    }

    /// Sends `signal` to the program (not to its group: as `kill PID` does).
    public func send(_ signal: Int32) { child.send(signal) }

    /// Types `text` on the terminal (as keys the program reads from its standard input).
    public func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits for the program to exit (killing it after `timeout`), records `leftovers`, then
    /// reaps it and ends anything it left behind. Returns how it ended.
    public func waitForExit(timeout: Double = 120) -> ChildProcess.Result {
        let limit = Self.clock.seconds() + timeout
        while !child.hasExited && Self.clock.seconds() < limit { pump() }
        pump(milliseconds: 0)
        if child.hasExited { leftovers = Self.sessionMembers(child.pid) }
        let result = child.wait(timeout: 0.5)
        pump(milliseconds: 0)
        return result
    }

    /// The terminal modes now (after the program restored them, or not).
    public func modes() -> termios {
        var t = termios()
        _ = tcgetattr(slave, &t)
        return t
    }

    /// Every live process of session `sid` but its leader, as "pid comm".
    public static func sessionMembers(_ sid: pid_t) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var found: [String] = []
        for e in entries {
            guard let pid = Int32(e), pid != sid,
                  let stat = try? String(contentsOfFile: "/proc/\(e)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // state ppid pgrp session ...
            guard fields.count > 3, let session = Int32(fields[3]), session == sid, fields[0] != "Z" else { continue }
            let open = stat.firstIndex(of: "(")!
            found.append("\(pid) \(stat[stat.index(after: open)..<close])")
        }
        return found
    }
}
