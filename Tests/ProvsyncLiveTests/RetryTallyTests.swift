import ProvsyncLive
import Testing

/// The reason libcurl's transport gives when nothing listens on the port.
private let refused = "could not connect to 127.0.0.1:9 (curl: Failed to connect to 127.0.0.1 port 9: Couldn't connect to server)"

/// A notice as the client makes it after `error`.
private func notice(_ request: String, status: Int? = nil, kind: APIError.Kind = .connectionFailed,
                    message: String = refused, attempt: Int = 2,
                    delay: Double = 0.6) -> RetryNotice {
    RetryNotice(after: APIError(request: request, status: status, kind: kind, message: message), server: "127.0.0.1:9",
                attempt: attempt, maxAttempts: 10, delaySeconds: delay)
}

@Suite("RetryTally: each reason once, the rest counted (no network)")
struct RetryTallyTests {
    @Test("a dead server: 100 requests retried 9 times each give one line, a few still-retrying lines and one summary")
    func deadServer() {
        var tally = RetryTally()
        var printed: [String] = []
        var clock = 0.0
        for attempt in 2...10 {
            for index in 0..<100 {
                if let line = tally.record(notice("GET /providers/installed/acme/p\(index)", attempt: attempt), at: clock) {
                    printed.append(line)
                }
            }
            clock += 4
        }
        #expect(printed.first == "retrying: GET /providers/installed/acme/p0: \(refused) (attempt 2 of 10, next in 0.6 s)")
        #expect(printed.dropFirst().allSatisfy { $0.hasPrefix("still retrying: could not connect to 127.0.0.1:9 ") })
        #expect(printed.count == 3, "the first line, then at 12 s and 24 s (one at most every 10 s): \(printed)")
        #expect(printed.dropFirst().first == "still retrying: \(refused): "
                + "100 requests, 301 retries so far (GET /providers/installed/acme/p0: attempt 5 of 10, next in 0.6 s)")
        #expect(tally.summary() == ["retried 100 requests, 900 retries: \(refused)"])
        #expect(tally.isEmpty)
        #expect(tally.summary().isEmpty, "nothing new to report")
    }

    @Test("answers naming the object they concern are one reason; other statuses and kinds are others")
    func reasonKeys() {
        var tally = RetryTally()
        let busy = (1...30).map { notice("GET /p/\($0)", status: 503, kind: .unavailable,
                                          message: "Provider acme/p\($0) version 1.4.\($0) is busy") }
        let lines = busy.compactMap { tally.record($0, at: 0) }
        #expect(lines == ["retrying: GET /p/1: 503 Provider acme/p1 version 1.4.1 is busy (attempt 2 of 10, next in 0.6 s)"])
        #expect(tally.record(notice("GET /q", status: 500, kind: .serverError, message: "boom"), at: 0) != nil)
        #expect(tally.record(notice("GET /r"), at: 0) != nil)
        #expect(tally.record(notice("GET /r", attempt: 3), at: 1) == nil)
        #expect(tally.summary() == [
            "retried 30 requests: 503 Provider … version … is busy",
            "retried 1 request, 2 retries: \(refused)",
        ])
        #expect(tally.record(notice("GET /s"), at: 2) == nil, "a reason already printed is not printed again")
        #expect(tally.summary() == ["retried 1 request: \(refused)"])
    }

    @Test("beyond maxReasons new reasons are only counted, and summed up in one line")
    func tooManyReasons() {
        var tally = RetryTally(maxReasons: 2)
        let lines = (1...5).compactMap { tally.record(notice("GET /\($0)", status: 500, kind: .serverError,
                                                             message: "failure kind \($0)"), at: 0) }
        #expect(lines.count == 2)
        #expect(tally.summary() == ["retried 3 requests for 3 other reasons"])

        var live = RetryTally(maxReasons: 2)
        for index in 1...5 {
            _ = live.count(notice("GET /\(index)", status: 500, kind: .serverError, message: "failure kind \(index)"))
        }
        #expect(live.summary() == ["retried 1 request: 500 failure kind 1", "retried 1 request: 500 failure kind 2",
                                   "retried 3 requests for 3 other reasons"])
    }

    @Test("for a live line every retry gives the line's text, and the summary counts them all")
    func liveLine() {
        var tally = RetryTally()
        #expect(tally.count(notice("GET /a")) == "retrying GET /a (attempt 2 of 10, next in 0.6 s): \(refused)")
        #expect(tally.count(notice("GET /a", attempt: 3, delay: 12.4))
                == "retrying GET /a (attempt 3 of 10, next in 12 s; 2 retries so far): \(refused)")
        #expect(tally.summary() == ["retried 1 request, 2 retries: \(refused)"])
    }

    @Test("particular words are left out of the common reason; durations are short")
    func wording() {
        #expect(RetryNotice.withoutParticulars("Provider 'acme/pg' (1.4.2) failed: 503, retry")
                == "Provider '…' (…) failed: 503, retry")
        #expect(RetryNotice.withoutParticulars("upstream req-8f3a9 timed out") == "upstream … timed out")
        #expect([0, 0.04, 0.6, 5, 9.96, 12.4].map(RetryNotice.seconds) == ["0 s", "0 s", "0.6 s", "5 s", "10 s", "12 s"])
    }
}
