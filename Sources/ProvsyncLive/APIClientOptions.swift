import Foundation

/// Tuning of an `APIClient`: timeout, retries, the clock and randomness retries use (tests inject both), and
/// who hears of each retry.
package struct APIClientOptions: Sendable {
    /// Per attempt, in seconds: the longest a request may take from connecting to the last byte. Rounded up
    /// to whole seconds (URLSession on Linux counts whole seconds).
    package var timeout: Double
    package var retry: RetryPolicy
    /// Waits between attempts; the default sleeps the task (cancellation stops it).
    package var sleep: @Sendable (Double) async throws -> Void
    /// A number in 0..<1 for backoff jitter.
    package var jitter: @Sendable () -> Double
    package var userAgent: String
    /// Told of each retry before its wait starts (the command line prints it); called from any task, so it
    /// must return quickly.
    package var onRetry: @Sendable (RetryNotice) -> Void

    package init(
        timeout: Double = 30, retry: RetryPolicy = .standard,
        sleep: @escaping @Sendable (Double) async throws -> Void = APIClientOptions.taskSleep,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        userAgent: String = "provsync", onRetry: @escaping @Sendable (RetryNotice) -> Void = { _ in }
    ) {
        self.timeout = timeout > 0 ? timeout : 30
        self.retry = retry
        self.sleep = sleep
        self.jitter = jitter
        self.userAgent = userAgent
        self.onRetry = onRetry
    }

    /// `Task.sleep` for the given seconds.
    @Sendable
    package static func taskSleep(_ seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(min(seconds, 3600) * 1_000_000_000))
    }
}
