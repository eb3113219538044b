import Foundation

/// One retry an `APIClient` is about to make: which request, why the last attempt failed, and when the next
/// one goes out. Given to `APIClientOptions.onRetry`, so that long retrying is not silent.
package struct RetryNotice: Sendable, Hashable {
    /// The request, e.g. `GET /providers/installed`.
    package var request: String
    /// Why the last attempt failed: the status (when there is one) and the message, e.g.
    /// `503 Service Unavailable` or `could not connect to 127.0.0.1:9 (curl: Failed to connect to 127.0.0.1 port 9: Couldn't connect to server)`.
    package var reason: String
    /// Groups notices of one cause across requests: the kind of failure, the server and the reason
    /// without its per-request parts (see `commonReason`).
    package var key: String
    /// `reason` with what differs from request to request (names, ids, versions) written `…`.
    package var commonReason: String
    /// The attempt about to be sent (2 for the first retry).
    package var attempt: Int
    /// The attempts this request may have in all.
    package var maxAttempts: Int
    /// The wait before that attempt.
    package var delaySeconds: Double

    package init(request: String, reason: String, key: String, commonReason: String? = nil, attempt: Int,
                 maxAttempts: Int, delaySeconds: Double) {
        self.request = request
        self.reason = reason
        self.key = key
        self.commonReason = commonReason ?? reason
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.delaySeconds = delaySeconds
    }

    /// The notice for retrying after `error` on `server` (`host:port`).
    package init(after error: APIError, server: String, attempt: Int, maxAttempts: Int, delaySeconds: Double) {
        let status = error.status.map { "\($0) " } ?? ""
        // A transport failure's message is provsync's own and names only the server; an answer's message
        // comes from the API and may name the object.
        let common = status + (error.status == nil ? error.message : Self.withoutParticulars(error.message))
        self.init(request: error.request, reason: status + error.message,
                  key: "\(error.kind.rawValue) \(server) \(common)", commonReason: common, attempt: attempt, maxAttempts: maxAttempts, delaySeconds: delaySeconds)
    }

    /// `retrying: GET /providers/installed: 503 Service Unavailable (attempt 2 of 10, next in 0.6 s)`.
    package var line: String {
        "retrying: \(request): \(reason) (attempt \(attempt) of \(maxAttempts), next in \(Self.seconds(delaySeconds)))"
    }

    /// `message` with each word that looks particular to one request (it holds a digit and is longer than a
    /// status, or a `/`) replaced by `…`, e.g. `Provider acme/pg 1.4.2 is busy` → `Provider … … is busy`.
    package static func withoutParticulars(_ message: String) -> String {
        let affixes = Set("\"'`([{<)]}>:;,.!?")
        return message.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let prefix = word.prefix { affixes.contains($0) }
            let rest = word.dropFirst(prefix.count)
            let suffix = rest.reversed().prefix { affixes.contains($0) }
            let core = rest.dropLast(suffix.count)
            let particular = core.contains("/") || (core.count > 3 && core.contains { $0.isNumber })
            return particular ? prefix + "…" + rest.suffix(suffix.count) : String(word)
        }.joined(separator: " ")
    }

    /// `0.6 s`, `5 s`, `12 s`: tenths below ten seconds, whole seconds above.
    package static func seconds(_ value: Double) -> String {
        let value = max(0, value)
        if value >= 10 { return "\(Int(value.rounded())) s" }
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10)) s" : "\(tenths / 10) s"
    }
}

/// What a run's retries print, as a value: the first retry of each reason in full, later ones counted, a
/// "still retrying" line at most every `interval` seconds, and a summary when the counted ones are reported.
/// A dead server thus gives a few lines however many requests fail.
package struct RetryTally: Sendable {
    /// Reasons printed in full; retries for further reasons are only counted.
    package var maxReasons: Int
    /// Seconds between "still retrying" lines.
    package var interval: Double

    private struct Count: Sendable {
        var reason: String
        var requests = 0
        var retries = 0
        /// Retries not printed in full since the last summary.
        var unprinted = 0
    }

    /// Counts since the last summary, by key, in the order reasons first came.
    private var counts: [String: Count] = [:]
    private var order: [String] = []
    /// Keys printed in full once (never again in this run).
    private var announced: Set<String> = []
    private var lastLine: Double?

    package init(maxReasons: Int = 5, interval: Double = 10) {
        self.maxReasons = max(1, maxReasons)
        self.interval = max(0, interval)
    }

    /// True when no retry was counted since the last summary.
    package var isEmpty: Bool { order.isEmpty }

    /// Counts `notice` and returns the line to print for it at `now` (seconds on any steady clock), if any:
    /// the notice itself for the first retry of a reason, else now and then a "still retrying" line.
    package mutating func record(_ notice: RetryNotice, at now: Double) -> String? {
        let count = add(notice)
        if !announced.contains(notice.key), announced.count < maxReasons {
            announced.insert(notice.key)
            counts[notice.key]?.unprinted -= 1
            lastLine = now
            return notice.line
        }
        guard announced.contains(notice.key), let lastLine, now - lastLine >= interval else { return nil }
        self.lastLine = now
        return "still retrying: \(count.reason): \(Self.tally(count)) so far (\(notice.request): attempt "
            + "\(notice.attempt) of \(notice.maxAttempts), next in \(RetryNotice.seconds(notice.delaySeconds)))"
    }

    /// Counts `notice` for a live line, where nothing stays printed, and returns that line's text: what
    /// changes first, as a narrow terminal cuts the end, e.g. `retrying GET /x (attempt 3 of 10, next in
    /// 1.2 s; 9 retries so far): 503 Service Unavailable`.
    package mutating func count(_ notice: RetryNotice) -> String {
        add(notice)
        let retries = counts.values.reduce(0) { $0 + $1.retries }
        let soFar = retries > 1 ? "; \(retries) retries so far" : ""
        return "retrying \(notice.request) (attempt \(notice.attempt) of \(notice.maxAttempts), next in "
            + "\(RetryNotice.seconds(notice.delaySeconds))\(soFar)): \(notice.reason)"
    }

    /// `retried 37 requests: 503 …` for each reason with retries not printed in full, the reasons beyond
    /// `maxReasons` (counting those printed in full) in one line; then starts counting afresh.
    package mutating func summary() -> [String] {
        var lines: [String] = []
        var others = (reasons: 0, requests: 0, retries: 0)
        var newReasons = 0
        for key in order {
            guard let count = counts[key], count.unprinted > 0 else { continue }
            let known = announced.contains(key)
            if known || announced.count + newReasons < maxReasons {
                lines.append("retried \(Self.tally(count)): \(count.reason)")
                newReasons += known ? 0 : 1
            } else {
                others = (others.reasons + 1, others.requests + count.requests, others.retries + count.retries)
            }
        }
        if others.reasons > 0 {
            let count = Count(reason: "", requests: others.requests, retries: others.retries)
            let reasons = "\(others.reasons) other reason\(others.reasons == 1 ? "" : "s")"
            lines.append("retried \(Self.tally(count)) for \(reasons)")
        }
        counts = [:]
        order = []
        return lines
    }

    @discardableResult
    private mutating func add(_ notice: RetryNotice) -> Count {
        var count = counts[notice.key] ?? Count(reason: notice.commonReason)
        if counts[notice.key] == nil { order.append(notice.key) }
        count.retries += 1
        count.unprinted += 1
        if notice.attempt <= 2 || count.requests == 0 { count.requests += 1 }
        counts[notice.key] = count
        return count
    }

    /// `37 requests`, or `2 requests, 18 retries` when some were retried more than once.
    private static func tally(_ count: Count) -> String {
        let requests = "\(count.requests) request\(count.requests == 1 ? "" : "s")"
        return count.retries == count.requests ? requests : "\(requests), \(count.retries) retries"
    }
}
