import CCurl
import CPUPlayCore
import CPUPlaySystem
import Foundation

/// One HTTP GET with a whole-request deadline and a size limit on what arrives, through
/// libcurl's multi interface.
///
/// URLSession's timeout is an idle timeout (a server sending a byte a second never trips it),
/// and it queues every decoded chunk for its delegate with no back-pressure (a 4.7 MB gzip
/// body became 1.2 GB before a limit could act). Here libcurl hands each chunk, after
/// decompression, to a callback that counts it and ends the transfer past `byteLimit`; the
/// wait is a loop of 1 ms polls that also asks `interrupted` (a key, a stop signal).
final class BoundedFetch {
    enum Outcome: Sendable, Equatable { case answered(status: Int, body: Data), failed(String), overLimit }

    private var body = Data()
    private var over = false
    private let byteLimit: Int

    private init(byteLimit: Int) { self.byteLimit = byteLimit }

    /// Runs a GET of `url` until it completes, `deadline` (monotonic ns) passes, or
    /// `interrupted` says so (nil: interrupted).
    static func get(_ url: String, byteLimit: Int, deadline: Int64, interrupted: () -> Bool) -> Outcome? {
        guard let easy = curl_easy_init() else { return .failed("libcurl could not start a transfer") }
        defer { curl_easy_cleanup(easy) }
        guard let multi = curl_multi_init() else { return .failed("libcurl could not start a transfer") }
        defer { curl_multi_cleanup(multi) }
        let fetch = BoundedFetch(byteLimit: byteLimit)
        let context = Unmanaged.passRetained(fetch)
        defer { context.release() }
        configure(easy, url: url, context: context.toOpaque(),
                  milliseconds: max(1, (deadline - MonotonicClock.nanoseconds) / 1_000_000))
        curl_multi_add_handle(multi, easy)
        defer { curl_multi_remove_handle(multi, easy) }
        var running: Int32 = 1
        while true {
            curl_multi_perform(multi, &running)
            let result = ccurl_finished_result(multi)
            if result >= 0 || running == 0 { return fetch.outcome(easy, result: CURLcode(UInt32(max(0, result)))) }
            if interrupted() { return nil }
            if MonotonicClock.nanoseconds >= deadline { return .failed("no complete answer within the deadline") }
            curl_multi_poll(multi, nil, 0, 1, nil)
        }
    }

    /// Only http(s), no redirects, no signals (a thread-safe resolver), gzip and deflate decoded
    /// and counted decoded, the deadline also given to libcurl.
    private static func configure(_ easy: UnsafeMutableRawPointer, url: String, context: UnsafeMutableRawPointer,
                                  milliseconds: Int64) {
        _ = ccurl_set_string(easy, CURLOPT_URL, url)
        _ = ccurl_set_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = ccurl_set_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        _ = ccurl_set_long(easy, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_set_long(easy, CURLOPT_TIMEOUT_MS, Int(milliseconds))
        _ = ccurl_set_string(easy, CURLOPT_ACCEPT_ENCODING, "")
        _ = ccurl_set_pointer(easy, CURLOPT_WRITEDATA, context)
        _ = ccurl_set_write_function(easy) { data, size, count, context in
            let fetch = Unmanaged<BoundedFetch>.fromOpaque(context!).takeUnretainedValue()
            let n = size * count
            guard fetch.body.count + n <= fetch.byteLimit else {
                fetch.over = true
                fetch.body = Data()
                return 0   // ends the transfer (CURLE_WRITE_ERROR)
            }
            if let data { fetch.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: n) }
            return n
        }
    }

    private func outcome(_ easy: UnsafeMutableRawPointer, result: CURLcode) -> Outcome {
        if over { return .overLimit }
        guard result == CURLE_OK else {
            if result == CURLE_OPERATION_TIMEDOUT { return .failed("no complete answer within the deadline") }
            return .failed(String(cString: curl_easy_strerror(result)))
        }
        return .answered(status: ccurl_status(easy), body: body)
    }
}
