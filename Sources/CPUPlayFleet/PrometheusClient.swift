import CPUPlayCore
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
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host?.isEmpty == false else {
            throw FleetError("--prometheus \(CPUPlayError.quoted(text)): expected an http:// or https:// URL of a Prometheus server, e.g. http://localhost:9090")
        }
        base = url
        self.timeout = timeout
    }

    /// The instant vector `expr` evaluates to now.
    public func query(_ expr: String) throws(FleetError) -> [Sample] {
        var components = URLComponents(url: base.appendingPathComponent("api/v1/query"), resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "query", value: expr)]
        guard let url = components?.url else { throw FleetError("--prometheus \(base): cannot form a query URL") }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "GET"
        let result = Self.fetch(request)
        let data: Data
        switch result {
        case .failure(let message): throw CPUPlayError(.toolFailed, subject: "--prometheus", value: base.absoluteString, "Prometheus at \(base) is unreachable: \(message)")
        case .success(let status, let body):
            guard status == 200 else {
                throw FleetError("Prometheus at \(base) answered HTTP \(status): \(String(decoding: body.prefix(160), as: UTF8.self).replacingOccurrences(of: "\n", with: " "))")
            }
            data = body
        }
        return try Self.parse(data, from: base)
    }

    /// Parses a `/api/v1/query` answer holding a vector.
    static func parse(_ data: Data, from base: URL) throws(FleetError) -> [Sample] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["status"] as? String == "success",
              let body = object["data"] as? [String: Any],
              body["resultType"] as? String == "vector",
              let result = body["result"] as? [[String: Any]] else {
            throw FleetError("Prometheus at \(base) did not answer with a vector (is it Prometheus' HTTP API?)")
        }
        return result.compactMap { series in
            guard let labels = series["metric"] as? [String: String],
                  let value = series["value"] as? [Any], value.count == 2,
                  let text = value[1] as? String, let v = Double(text), v.isFinite else { return nil }
            return Sample(labels: labels, value: v)
        }
    }

    enum Fetched { case success(Int, Data), failure(String) }

    static func fetch(_ request: URLRequest) -> Fetched {
        let done = DispatchSemaphore(value: 0)
        let box = FetchBox()
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            if let error { box.value = .failure(error.localizedDescription) } else {
                box.value = .success((response as? HTTPURLResponse)?.statusCode ?? 0, data ?? Data())
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return box.value
    }

    final class FetchBox: @unchecked Sendable { var value = Fetched.failure("no answer") }
}
