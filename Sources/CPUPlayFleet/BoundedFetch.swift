import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP GET with a whole-request deadline and a size limit on what arrives.
///
/// URLSession's timeout is an idle timeout (a server sending a byte a second never trips it)
/// and its data task keeps the whole body (an endless body or a gzip bomb fills memory). Here
/// every chunk is counted as it arrives, after decompression (libcurl inflates before handing
/// it on), and the task is cancelled past `byteLimit`; the caller waits in short slices and can
/// give up at any moment (a key, a stop signal, the deadline).
final class BoundedFetch: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    enum Outcome: Sendable { case answered(status: Int, body: Data), failed(String), overLimit }

    private struct State { var status = 0; var body = Data(); var outcome: Outcome? }
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)
    let byteLimit: Int

    init(byteLimit: Int) { self.byteLimit = byteLimit }

    /// Runs `request` until it completes, `deadline` (monotonic ns) passes, or `interrupted`
    /// says so (nil: interrupted). `interrupted` is called every few milliseconds and may
    /// block briefly itself (waiting for a key).
    static func get(_ request: URLRequest, byteLimit: Int, deadline: Int64, now: () -> Int64,
                    interrupted: () -> Bool) -> Outcome? {
        let fetch = BoundedFetch(byteLimit: byteLimit)
        let session = URLSession(configuration: .ephemeral, delegate: fetch, delegateQueue: nil)
        let task = session.dataTask(with: request)
        task.resume()
        defer { session.invalidateAndCancel() }
        while true {
            if fetch.finished.wait(timeout: .now() + .milliseconds(5)) == .success {
                return fetch.state.withLock { $0.outcome } ?? .failed("no answer")
            }
            if interrupted() { task.cancel(); return nil }
            if now() >= deadline { task.cancel(); return .failed("no complete answer within the deadline") }
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        state.withLock { $0.status = (response as? HTTPURLResponse)?.statusCode ?? 0 }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let over = state.withLock { s -> Bool in
            guard s.outcome == nil else { return false }
            guard s.body.count + data.count <= byteLimit else {
                s.body = Data()
                s.outcome = .overLimit
                return true
            }
            s.body.append(data)
            return false
        }
        if over { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        state.withLock { s in
            if s.outcome == nil {
                s.outcome = error.map { .failed($0.localizedDescription) } ?? .answered(status: s.status, body: s.body)
            }
        }
        finished.signal()
    }
}
