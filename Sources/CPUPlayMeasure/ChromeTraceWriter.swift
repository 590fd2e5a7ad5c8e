import CPUPlayCore
import CPUPlaySystem
import Foundation

/// Streams events in the Chrome trace-event JSON format (opens in Perfetto and chrome://tracing).
///
/// A playback of many CPUs for minutes produces millions of events, so they are written as
/// they come through a buffer rather than built as one value. Output goes through an
/// `OutputFile`, put in place by `finish()`: no half trace under the final name.
/// Times are CLOCK_MONOTONIC nanoseconds; the trace shows them in µs relative to `origin`.
public final class ChromeTraceWriter {
    public let path: String
    private let file: OutputFile
    private var buffer = [UInt8]()
    /// The first write error; reported by `finish()` (events themselves never throw).
    private var failure: CPUPlayError?
    private var first = true
    private let origin: Int64
    private var finished = false

    /// The process id shown in the trace (one "process": the player).
    public let pid = 1

    public init(_ target: OutputTarget, originNanoseconds: Int64) throws(CPUPlayError) {
        self.path = target.path
        self.origin = originNanoseconds
        file = try OutputFile(target)
        buffer.reserveCapacity(1 << 16)
        append("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n")
        processName("cpuplay")
    }

    /// Names the process track.
    public func processName(_ name: String) {
        event("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":\(pid),\"tid\":0,\"args\":{\"name\":\(quote(name))}}")
    }

    /// Names thread track `tid` (for example "pixel 3,2 cpu 17") and fixes its order.
    public func threadName(tid: Int, name: String, sortIndex: Int? = nil) {
        event("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":\(pid),\"tid\":\(tid),"
            + "\"args\":{\"name\":\(quote(name))}}")
        if let sortIndex {
            event("{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":\(pid),\"tid\":\(tid),"
                + "\"args\":{\"sort_index\":\(sortIndex)}}")
        }
    }

    /// A complete span ("X" event) on thread `tid` from `start` to `end` (ns).
    public func span(_ name: String, category: String, tid: Int, start: Int64, end: Int64, frame: Int? = nil) {
        guard end >= start else { return }
        var e = "{\"name\":\(quote(name)),\"cat\":\(quote(category)),\"ph\":\"X\",\"pid\":\(pid),\"tid\":\(tid),"
            + "\"ts\":\(micro(start)),\"dur\":\(micro(end - start, relative: false))"
        if let frame { e += ",\"args\":{\"frame\":\(frame)}" }
        event(e + "}")
    }

    /// An instant ("i" event), global when `tid` is nil, else on that thread.
    public func instant(_ name: String, category: String, tid: Int? = nil, at time: Int64,
                        args: [String: Double] = [:]) {
        var e = "{\"name\":\(quote(name)),\"cat\":\(quote(category)),\"ph\":\"i\",\"pid\":\(pid),"
            + "\"tid\":\(tid ?? 0),\"ts\":\(micro(time)),\"s\":\"\(tid == nil ? "g" : "t")\""
        if !args.isEmpty {
            let fields = args.keys.sorted().map { "\(quote($0)):\(number(args[$0]!))" }
            e += ",\"args\":{" + fields.joined(separator: ",") + "}"
        }
        event(e + "}")
    }

    /// A counter track value ("C" event), e.g. dropped frames so far.
    public func counter(_ name: String, at time: Int64, value: Double) {
        event("{\"name\":\(quote(name)),\"ph\":\"C\",\"pid\":\(pid),\"ts\":\(micro(time)),"
            + "\"args\":{\"value\":\(number(value))}}")
    }

    /// Closes the JSON and renames the file into place (an unfinished writer leaves nothing).
    public func finish() throws(CPUPlayError) {
        guard !finished else { return }
        append("\n]}\n")
        flush()
        finished = true
        if let failure { throw failure }
        try file.finish()
    }

    private func event(_ json: String) {
        if !first { append(",\n") }
        first = false
        append(json)
        if buffer.count >= 1 << 16 { flush() }
    }

    private func append(_ s: String) { buffer.append(contentsOf: s.utf8) }

    private func flush() {
        guard !buffer.isEmpty else { return }
        if failure == nil {
            do { try file.write(buffer) } catch { failure = error }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// ns -> µs with three decimals (trace timestamps are µs, fractions allowed).
    private func micro(_ ns: Int64, relative: Bool = true) -> String {
        let v = relative ? ns - origin : ns
        let sign = v < 0 ? "-" : ""
        let a = v.magnitude
        let frac = a % 1000
        let fracText = frac < 10 ? "00\(frac)" : frac < 100 ? "0\(frac)" : "\(frac)"
        return "\(sign)\(a / 1000).\(fracText)"
    }

    private func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "0" }

    private func quote(_ s: String) -> String {
        let inner = ScalarEscaping.escaped(s) { u in
            switch u {
            case "\"": return "\\\""
            case "\\": return "\\\\"
            case "\n": return "\\n"
            default: return u.value < 0x20 ? String(format: "\\u%04x", u.value) : nil
            }
        }
        return "\"" + inner + "\""
    }
}
