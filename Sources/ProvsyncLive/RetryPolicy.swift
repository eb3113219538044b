import Foundation

/// When a failed request is sent again. Reads (GET) are retried on transient failures and on 500; writes
/// only when the server cannot have acted: a 429, or a connection that could not be made at all.
package struct RetryPolicy: Sendable, Hashable {
    /// What to do after a failed attempt.
    package enum Decision: Sendable, Hashable {
        case retry(afterSeconds: Double)
        case giveUp
    }

    /// Attempts in all, the first included (1 = never retry).
    package var maxAttempts: Int
    /// Attempts for reads, which change nothing, so may be sent more often than writes.
    package var maxReadAttempts: Int
    /// The delay before the first retry; it doubles with each further one.
    package var baseDelay: Double
    /// The longest backoff delay.
    package var maxDelay: Double
    /// The longest wait a `Retry-After` header may ask for.
    package var maxRetryAfter: Double

    /// `maxReadAttempts` defaults to `maxAttempts`.
    package init(maxAttempts: Int = 5, maxReadAttempts: Int? = nil, baseDelay: Double = 0.5, maxDelay: Double = 10,
                 maxRetryAfter: Double = 60) {
        self.maxAttempts = max(1, maxAttempts)
        self.maxReadAttempts = max(1, maxReadAttempts ?? maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
        self.maxRetryAfter = max(0, maxRetryAfter)
    }

    /// What provsync uses: writes sent at most 5 times, reads 10 (a snapshot makes thousands of reads, and
    /// one that fails ends it).
    package static let standard = RetryPolicy(maxAttempts: 5, maxReadAttempts: 10)

    /// A policy that never retries.
    package static let never = RetryPolicy(maxAttempts: 1)

    /// Whether to send the request again after `attempt` (1-based) failed with `error`. `jitter` in 0..<1
    /// spreads the backoff over its upper half; a `Retry-After` is honoured as given (capped), without jitter.
    package func decide(after error: APIError, attempt: Int, isWrite: Bool, jitter: Double) -> Decision {
        guard attempt < (isWrite ? maxAttempts : maxReadAttempts), isRetryable(error, isWrite: isWrite) else { return .giveUp }
        if let retryAfter = error.retryAfterSeconds, error.kind == .throttled || error.kind == .unavailable {
            return .retry(afterSeconds: min(max(0, retryAfter), maxRetryAfter))
        }
        return .retry(afterSeconds: backoff(attempt: attempt, jitter: jitter))
    }

    /// Whether a failure may be retried at all, ignoring the attempt count.
    package func isRetryable(_ error: APIError, isWrite: Bool) -> Bool {
        if isWrite {
            return error.kind == .throttled || error.kind == .connectionFailed
        }
        switch error.kind {
        case .throttled, .unavailable, .serverError, .timeout, .connectionFailed, .connectionLost: return true
        default: return false
        }
    }

    /// `baseDelay * 2^(attempt-1)`, capped at `maxDelay`, scaled into its upper half by `jitter`.
    package func backoff(attempt: Int, jitter: Double) -> Double {
        let exponent = Double(min(max(0, attempt - 1), 30))
        let full = min(maxDelay, baseDelay * pow(2, exponent))
        let spread = min(max(0, jitter), 1)
        return full / 2 + full / 2 * spread
    }
}
