import CCurl
import Foundation

/// One libcurl multi handle driven by one thread: transfers are added from any task, run side by side on
/// kept-alive (and, over TLS, HTTP/2-multiplexed) connections, and the thread sleeps in `curl_multi_poll`
/// while it waits, so waiting for a slow server costs no CPU.
///
/// The thread starts with the first transfer and ends at `shutDown()`, failing what is still running as
/// cancelled.
final class CurlEventLoop: @unchecked Sendable {
    private let multi: UnsafeMutableRawPointer?
    private let maxConnections: Int
    private let lock = NSLock()
    // Guarded by `lock`.
    private var submitted: [CurlTransfer] = []
    private var cancellations: [Int] = []
    private var stopping = false
    private var started = false
    private var nextID = 0
    // The loop thread's own.
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var handleOfTransfer: [Int: UnsafeMutableRawPointer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    init(maxConnections: Int) {
        CurlLibrary.initialize()
        self.maxConnections = maxConnections
        multi = curl_multi_init()
        if let multi {
            _ = provsync_curl_multi_set_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, maxConnections)
            _ = provsync_curl_multi_set_long(multi, CURLMOPT_MAXCONNECTS, maxConnections)
            _ = provsync_curl_multi_set_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        }
    }

    deinit {
        for handle in idleHandles { curl_easy_cleanup(handle) }
        if let multi { curl_multi_cleanup(multi) }
    }

    /// Runs `message` to its outcome. Cancelling the calling task stops the transfer.
    func perform(_ message: HTTPMessage, limits: TransferLimits) async -> TransferOutcome {
        let id = lock.withLock { () -> Int in
            nextID += 1
            return nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                submit(CurlTransfer(id: id, message: message, limits: limits, continuation: continuation))
                // A cancellation that came before the transfer was submitted found nothing to stop.
                if Task.isCancelled { cancel(id) }
            }
        } onCancel: {
            cancel(id)
        }
    }

    /// Ends the loop thread (when it runs); transfers still running end as cancelled.
    func shutDown() {
        lock.withLock { stopping = true }
        if let multi { curl_multi_wakeup(multi) }
    }

    private func submit(_ transfer: CurlTransfer) {
        guard let multi else {
            transfer.complete(.failure(TransferFailure(
                reason: .curl(code: Int(CURLE_FAILED_INIT.rawValue), detail: "libcurl could not start"),
                connected: false, elapsed: 0)))
            return
        }
        let (refused, startThread) = lock.withLock { () -> (Bool, Bool) in
            if stopping { return (true, false) }
            submitted.append(transfer)
            defer { started = true }
            return (false, !started)
        }
        if refused {
            transfer.complete(.failure(TransferFailure(reason: .cancelled, connected: false, elapsed: 0)))
            return
        }
        if startThread {
            let thread = Thread { self.runLoop() }
            thread.name = "provsync-http"
            thread.start()
        } else {
            curl_multi_wakeup(multi)
        }
    }

    private func cancel(_ id: Int) {
        lock.withLock { cancellations.append(id) }
        if let multi { curl_multi_wakeup(multi) }
    }

    private func runLoop() {
        guard let multi else { return }
        while true {
            let (new, cancelled, stop) = lock.withLock { () -> ([CurlTransfer], [Int], Bool) in
                defer {
                    submitted.removeAll()
                    cancellations.removeAll()
                }
                return (submitted, cancellations, stopping)
            }
            if stop {
                for transfer in new { transfer.complete(.failure(.cancelledBeforeStart)) }
                for handle in Array(running.keys) { finish(handle, multi: multi, as: .failure(.cancelledBeforeStart)) }
                return
            }
            for transfer in new { start(transfer, multi: multi) }
            for id in cancelled {
                if let handle = handleOfTransfer[id] {
                    finish(handle, multi: multi, as: .failure(TransferFailure(
                        reason: .cancelled, connected: true, elapsed: Self.elapsed(handle))))
                }
            }
            var active: Int32 = 0
            curl_multi_perform(multi, &active)
            collectFinished(multi)
            // libcurl wakes earlier for its own timers (timeouts, retransmits) and for `curl_multi_wakeup`.
            curl_multi_poll(multi, nil, 0, 30_000, nil)
        }
    }

    private func start(_ transfer: CurlTransfer, multi: UnsafeMutableRawPointer) {
        let reused = idleHandles.popLast()
        guard let handle = reused ?? curl_easy_init() else {
            transfer.complete(.failure(TransferFailure(
                reason: .curl(code: Int(CURLE_OUT_OF_MEMORY.rawValue), detail: "libcurl could not start a transfer"),
                connected: false, elapsed: 0)))
            return
        }
        if reused != nil { curl_easy_reset(handle) }
        guard transfer.configure(handle) else {
            idleHandles.append(handle)
            transfer.complete(.failure(TransferFailure(
                reason: .curl(code: Int(CURLE_BAD_FUNCTION_ARGUMENT.rawValue),
                              detail: "libcurl refused a setting: " + transfer.errorDetail),
                connected: false, elapsed: 0)))
            return
        }
        running[handle] = transfer
        handleOfTransfer[transfer.id] = handle
        let added = curl_multi_add_handle(multi, handle)
        if added != CURLM_OK {
            finish(handle, multi: multi, as: .failure(TransferFailure(
                reason: .curl(code: Int(CURLE_FAILED_INIT.rawValue), detail: String(cString: curl_multi_strerror(added))),
                connected: false, elapsed: 0)))
        }
    }

    private func collectFinished(_ multi: UnsafeMutableRawPointer) {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard provsync_curl_message_is_done(message) != 0, let handle = provsync_curl_message_handle(message),
                  let transfer = running[handle] else { continue }
            let result = provsync_curl_message_result(message)
            finish(handle, multi: multi, as: outcome(of: transfer, handle: handle, result: result))
        }
    }

    private func outcome(of transfer: CurlTransfer, handle: UnsafeMutableRawPointer, result: CURLcode) -> TransferOutcome {
        let elapsed = Self.elapsed(handle)
        var connectTime: curl_off_t = 0
        _ = provsync_curl_get_off(handle, CURLINFO_CONNECT_TIME_T, &connectTime)
        var code = 0
        _ = provsync_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &code)
        let connected = connectTime > 0 || code > 0
        if result == CURLE_OK || transfer.overflow == .error {
            return .answer(HTTPAnswer(
                status: code > 0 ? code : transfer.status, body: transfer.body, location: transfer.location,
                retryAfter: transfer.retryAfter, truncated: transfer.overflow == .error
            ))
        }
        if transfer.overflow == .answer {
            return .failure(TransferFailure(reason: .tooLarge, connected: true, elapsed: elapsed))
        }
        let detail = transfer.errorDetail.isEmpty ? String(cString: curl_easy_strerror(result)) : transfer.errorDetail
        return .failure(TransferFailure(reason: .curl(code: Int(result.rawValue), detail: detail),
                                        connected: connected, elapsed: elapsed))
    }

    private func finish(_ handle: UnsafeMutableRawPointer, multi: UnsafeMutableRawPointer, as outcome: TransferOutcome) {
        curl_multi_remove_handle(multi, handle)
        guard let transfer = running.removeValue(forKey: handle) else { return }
        handleOfTransfer[transfer.id] = nil
        if idleHandles.count < maxConnections {
            idleHandles.append(handle)
        } else {
            curl_easy_cleanup(handle)
        }
        transfer.complete(outcome)
    }

    private static func elapsed(_ handle: UnsafeMutableRawPointer) -> Double {
        var total: curl_off_t = 0
        _ = provsync_curl_get_off(handle, CURLINFO_TOTAL_TIME_T, &total)
        return Double(total) / 1_000_000
    }
}

private extension TransferFailure {
    static let cancelledBeforeStart = TransferFailure(reason: .cancelled, connected: false, elapsed: 0)
}

/// `curl_global_init`, once per process, before the first handle.
enum CurlLibrary {
    private static let initialized: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    static func initialize() {
        _ = initialized
    }
}
