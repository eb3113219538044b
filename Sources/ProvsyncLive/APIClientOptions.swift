import Foundation

/// Tuning of an `APIClient`: timeouts, answer size caps, retries, the clock and randomness retries use (tests
/// inject both), the network settings read from the environment, and who hears of each retry.
package struct APIClientOptions: Sendable {
    /// Per attempt, in seconds: the longest a request may take from connecting to the last byte of the answer.
    /// A value that is not above zero and finite is ignored.
    package var timeout: Double {
        get { timeoutSetting }
        set { timeoutSetting = Self.limit(newValue) ?? timeoutSetting }
    }
    /// Per attempt, in seconds: the longest connecting (TCP, and TLS for https) may take; never more than
    /// `timeout`. A value that is not above zero and finite is ignored.
    package var connectTimeout: Double {
        get { min(connectTimeoutSetting, timeout) }
        set { connectTimeoutSetting = Self.limit(newValue) ?? connectTimeoutSetting }
    }
    /// Per attempt, in seconds: a transfer that receives less than one byte a second for this long is given up
    /// before `timeout` (a stalled connection). Half the timeout, at least 1 s, unless set.
    package var stallTimeout: Double {
        get { stallTimeoutSetting ?? max(1, timeout / 2) }
        set { stallTimeoutSetting = Self.limit(newValue) }
    }
    private var timeoutSetting: Double
    private var connectTimeoutSetting: Double
    private var stallTimeoutSetting: Double?
    /// The largest successful answer read (a list of 10,000 objects is about 10 MiB).
    package var maxAnswerBytes: Int
    /// The largest error answer kept; the rest is not read (error messages are shortened further when printed).
    package var maxErrorBytes: Int
    /// How many connections the client may hold open at once (the command line's `--parallelism`).
    package var maxConnections: Int
    /// Proxy and certificate settings, from `HTTPS_PROXY`, `NO_PROXY`, `CURL_CA_BUNDLE`, `SSL_CERT_FILE` and so on.
    package var network: NetworkSettings
    package var retry: RetryPolicy
    /// Waits between attempts; the default sleeps the task (cancellation stops it).
    package var sleep: @Sendable (Double) async throws -> Void
    /// A number in 0..<1 for backoff jitter.
    package var jitter: @Sendable () -> Double
    package var userAgent: String
    /// Told of each retry before its wait starts (the command line prints it); called from any task, so it
    /// must return quickly.
    package var onRetry: @Sendable (RetryNotice) -> Void

    /// The default limit on a successful answer: 256 MiB.
    package static let defaultMaxAnswerBytes = 256 << 20
    /// The default limit on an error answer: 1 MiB.
    package static let defaultMaxErrorBytes = 1 << 20

    package init(
        timeout: Double = 30, connectTimeout: Double = 10, stallTimeout: Double? = nil,
        maxAnswerBytes: Int = APIClientOptions.defaultMaxAnswerBytes,
        maxErrorBytes: Int = APIClientOptions.defaultMaxErrorBytes, maxConnections: Int = 256,
        network: NetworkSettings = NetworkSettings(), retry: RetryPolicy = .standard,
        sleep: @escaping @Sendable (Double) async throws -> Void = APIClientOptions.taskSleep,
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        userAgent: String = "provsync", onRetry: @escaping @Sendable (RetryNotice) -> Void = { _ in }
    ) {
        self.timeoutSetting = Self.limit(timeout) ?? 30
        self.connectTimeoutSetting = Self.limit(connectTimeout) ?? 10
        self.stallTimeoutSetting = stallTimeout.flatMap(Self.limit)
        self.maxAnswerBytes = max(1, maxAnswerBytes)
        self.maxErrorBytes = max(1, maxErrorBytes)
        self.maxConnections = min(max(1, maxConnections), 1024)
        self.network = network
        self.retry = retry
        self.sleep = sleep
        self.jitter = jitter
        self.userAgent = userAgent
        self.onRetry = onRetry
    }

    /// `seconds` when it can be a time limit (above zero and finite), else nil.
    private static func limit(_ seconds: Double) -> Double? {
        seconds > 0 && seconds.isFinite ? seconds : nil
    }

    /// `Task.sleep` for the given seconds.
    @Sendable
    package static func taskSleep(_ seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(nanoseconds: UInt64(min(seconds, 3600) * 1_000_000_000))
    }
}
