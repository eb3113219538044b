import ProvsyncLive
import Testing

@Suite("RetryPolicy decisions (no network)")
struct RetryPolicyTests {
    static func failure(_ kind: APIError.Kind, status: Int? = nil, retryAfter: Double? = nil) -> APIError {
        APIError(request: "GET /x", status: status, kind: kind, message: "m", retryAfterSeconds: retryAfter)
    }

    let policy = RetryPolicy(maxAttempts: 5, baseDelay: 1, maxDelay: 8, maxRetryAfter: 30)

    @Test("reads are retried on transient failures and 500", arguments: [
        APIError.Kind.throttled, .unavailable, .serverError, .timeout, .connectionFailed, .connectionLost,
    ])
    func readsRetried(kind: APIError.Kind) {
        #expect(policy.decide(after: Self.failure(kind), attempt: 1, isWrite: false, jitter: 1) == .retry(afterSeconds: 1))
    }

    @Test("refusals are never retried", arguments: [
        APIError.Kind.badRequest, .unauthorized, .forbidden, .notFound, .conflict, .validation, .invalidResponse,
        .cancelled, .unexpectedStatus,
    ])
    func refusalsNotRetried(kind: APIError.Kind) {
        #expect(policy.decide(after: Self.failure(kind), attempt: 1, isWrite: false, jitter: 0) == .giveUp)
        #expect(policy.decide(after: Self.failure(kind), attempt: 1, isWrite: true, jitter: 0) == .giveUp)
    }

    @Test("writes are retried only on 429 and on a connection never made")
    func writes() {
        #expect(policy.decide(after: Self.failure(.throttled), attempt: 1, isWrite: true, jitter: 1) == .retry(afterSeconds: 1))
        #expect(policy.decide(after: Self.failure(.connectionFailed), attempt: 2, isWrite: true, jitter: 1) == .retry(afterSeconds: 2))
        for kind in [APIError.Kind.unavailable, .serverError, .timeout, .connectionLost] {
            #expect(policy.decide(after: Self.failure(kind), attempt: 1, isWrite: true, jitter: 0) == .giveUp)
        }
    }

    @Test("backoff doubles, is capped, and jitter spreads it over the upper half")
    func backoff() {
        #expect((1...6).map { policy.backoff(attempt: $0, jitter: 1) } == [1, 2, 4, 8, 8, 8])
        #expect(policy.backoff(attempt: 3, jitter: 0) == 2)
        #expect(policy.backoff(attempt: 3, jitter: 0.5) == 3)
        #expect(policy.backoff(attempt: 100, jitter: 1) == 8)
    }

    @Test("Retry-After is honoured as given, capped, without jitter")
    func retryAfter() {
        let throttled = Self.failure(.throttled, status: 429, retryAfter: 3)
        #expect(policy.decide(after: throttled, attempt: 1, isWrite: false, jitter: 0) == .retry(afterSeconds: 3))
        let zero = Self.failure(.throttled, status: 429, retryAfter: 0)
        #expect(policy.decide(after: zero, attempt: 4, isWrite: true, jitter: 0.9) == .retry(afterSeconds: 0))
        let long = Self.failure(.unavailable, status: 503, retryAfter: 3600)
        #expect(policy.decide(after: long, attempt: 1, isWrite: false, jitter: 0) == .retry(afterSeconds: 30))
    }

    @Test("the attempt count ends the retries")
    func attemptsEnd() {
        #expect(policy.decide(after: Self.failure(.timeout), attempt: 4, isWrite: false, jitter: 0) != .giveUp)
        #expect(policy.decide(after: Self.failure(.timeout), attempt: 5, isWrite: false, jitter: 0) == .giveUp)
        #expect(RetryPolicy.never.decide(after: Self.failure(.throttled), attempt: 1, isWrite: false, jitter: 0) == .giveUp)
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
        let standard = RetryPolicy.standard
        #expect(standard.decide(after: Self.failure(.timeout), attempt: 9, isWrite: false, jitter: 0) != .giveUp)
        #expect(standard.decide(after: Self.failure(.timeout), attempt: 10, isWrite: false, jitter: 0) == .giveUp)
        #expect(standard.decide(after: Self.failure(.throttled), attempt: 5, isWrite: true, jitter: 0) == .giveUp)
    }
}
