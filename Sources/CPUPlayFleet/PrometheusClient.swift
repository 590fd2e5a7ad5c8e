import CPUPlayClip
import CPUPlayCore
import CPUPlaySystem
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reads instant vectors from Prometheus' HTTP API (`/api/v1/query`), the way Grafana does.
///
/// A fleet's picture is already in the operators' Prometheus (node_exporter's per-CPU
/// counters); reading it back is how `watch --prometheus` shows the whole fleet without
/// Grafana. Every failure is one line that names the URL and what was wrong.
public struct PrometheusClient: Sendable {
    /// One series of an instant vector: its labels and value.
    public struct Sample: Sendable, Equatable {
        public let labels: [String: String]
        public let value: Double

        public init(labels: [String: String], value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    public let base: URL
    /// Seconds a query may take before it counts as unreachable.
    public let timeout: Double

    /// Checks `url` is an http(s) URL with a host.
    public init(url text: String, timeout: Double = 2) throws(FleetError) {
        guard let url = URL(string: text.hasSuffix("/") ? String(text.dropLast()) : text),
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  url.host?.isEmpty == false else {
            throw FleetError(.invalidArgument, setting: .prometheus, value: text,
                             "\(Setting.prometheus) \(CPUPlayError.quoted(text)): expected an http:// or https:// "
                                 + "URL of a Prometheus server, e.g. http://localhost:9090")
        }
        base = url
        self.timeout = timeout
    }

    /// The instant vector `expr` evaluates to now: at most `seriesLimit` series, the whole
    /// answer within `timeout` seconds and `answerLimit(series:)` bytes (counted decompressed).
    /// nil when `interrupted` (called every few milliseconds while waiting) said to give up.
    public func query(_ expr: String, seriesLimit: Int = GridSize.maxCells,
                      interrupted: () -> Bool = { false }) throws(FleetError) -> [Sample]? {
        var components = URLComponents(url: base.appendingPathComponent("api/v1/query"), resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "query", value: expr)]
        guard let url = components?.url else {
            throw FleetError(setting: .prometheus, "\(Setting.prometheus) \(base): cannot form a query URL")
        }
        let limit = Self.answerLimit(series: seriesLimit)
        let outcome = BoundedFetch.get(url.absoluteString, byteLimit: limit,
                                       deadline: MonotonicClock().now() + Int64(timeout * 1e9),
                                       interrupted: interrupted)
        switch outcome {
        case nil: return nil
        case .failed(let message)?:
            throw CPUPlayError(.toolFailed, setting: .prometheus, value: base.absoluteString,
                               "Prometheus at \(base) is unreachable: \(message) (\(timeout) s for the whole answer)")
        case .overLimit?:
            throw CPUPlayError(.toolFailed, setting: .prometheus, value: base.absoluteString,
                    "Prometheus at \(base) sent more than \(limit >> 10) KiB (decompressed) for at most \(seriesLimit) "
                        + "series; the answer was dropped")
        case .answered(let status, let body)?:
            guard status == 200 else {
                throw FleetError("Prometheus at \(base) answered HTTP \(status): "
                    + "\(CPUPlayError.oneLine(String(decoding: body.prefix(160), as: UTF8.self)))")
            }
            return try Self.parse(body, from: base, seriesLimit: seriesLimit)
        }
    }

    /// The most bytes read for `series` series: an answer's series takes about 100 bytes
    /// (labels instance and cpu, a timestamp and a value); 512 leaves room for long labels.
    public static func answerLimit(series: Int) -> Int { 65_536 + series * 512 }

    /// Parses a `/api/v1/query` answer holding a vector.
    static func parse(_ data: Data, from base: URL,
                      seriesLimit: Int = GridSize.maxCells) throws(FleetError) -> [Sample] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["status"] as? String == "success",
              let body = object["data"] as? [String: Any],
              body["resultType"] as? String == "vector",
              let result = body["result"] as? [[String: Any]] else {
            throw FleetError("Prometheus at \(base) did not answer with a vector (is it Prometheus' HTTP API?)")
        }
        guard result.count <= seriesLimit else {
            throw FleetError("Prometheus at \(base) answered \(result.count) series; the picture has room for "
                + "\(seriesLimit), so the answer was dropped")
        }
        return result.compactMap { series in
            guard let labels = series["metric"] as? [String: String],
                  let value = series["value"] as? [Any], value.count == 2,
                  let text = value[1] as? String, let v = Double(text), v.isFinite else { return nil }
            return Sample(labels: labels, value: v)
        }
    }
}
