import ProvsyncLive
import ProvsyncModel

/// Polls installations until each is `ready` or `failed` (`apply --wait`), within a time limit, telling
/// `progress` when it starts and then every `reportInterval` seconds, so a long wait is never silent.
package struct InstallationWaiter: Sendable {
    package struct Outcome: Sendable {
        package var ready: [String]
        package var failed: [(name: String, message: String)]
        package var unsettled: [String]

        package var isSuccess: Bool { failed.isEmpty && unsettled.isEmpty }

        package var summary: String {
            var lines = ["Waited: \(ready.count) ready, \(failed.count) failed, \(unsettled.count) not settled in time."]
            lines += failed.map { "  ✗ installation/\($0.name): failed: \($0.message)" }
            lines += unsettled.map { "  … installation/\($0): still not ready" }
            return lines.joined(separator: "\n")
        }
    }

    /// Where a wait stands: `settled` of `total` are ready or failed after `elapsed` seconds.
    package struct Progress: Sendable, Hashable {
        package var settled: Int
        package var total: Int
        package var elapsed: Double
        package var timeout: Double
        /// True for the report made when waiting starts.
        package var isStart: Bool

        /// `waiting for 5 installations to become ready (up to 600 s)` or
        /// `still waiting: 3 of 5 settled, 40 s elapsed`.
        package var line: String {
            isStart ? "Waiting for \(total) installation\(total == 1 ? "" : "s") to become ready (up to \(Int(timeout)) s)."
                : "Still waiting: \(settled) of \(total) settled, \(Int(elapsed)) s elapsed."
        }
    }

    package var reader: any InstallationReading
    package var timeout: Double
    package var interval: Double
    package var reportInterval: Double
    package var clock: any WaitClock
    package var progress: @Sendable (Progress) -> Void

    package init(reader: any InstallationReading, timeout: Double, interval: Double = 1, reportInterval: Double = 15,
                 clock: any WaitClock = SystemWaitClock(), progress: @escaping @Sendable (Progress) -> Void = { _ in }) {
        self.reader = reader
        self.timeout = timeout
        self.interval = interval
        self.reportInterval = reportInterval
        self.clock = clock
        self.progress = progress
    }

    /// Waits for the installations named `org/name`.
    package func wait(for names: Set<String>) async -> Outcome {
        var outcome = Outcome(ready: [], failed: [], unsettled: names.sorted())
        guard !names.isEmpty else { return outcome }
        let start = clock.now()
        var lastReport = start
        progress(Progress(settled: 0, total: names.count, elapsed: 0, timeout: timeout, isStart: true))
        while !outcome.unsettled.isEmpty {
            if let live = try? await reader.installations() {
                let byName = Dictionary(live.map { ($0.providerName, $0) }, uniquingKeysWith: { first, _ in first })
                var still: [String] = []
                for name in outcome.unsettled {
                    switch byName[name]?.lifecycleState {
                    case "ready": outcome.ready.append(name)
                    case "failed":
                        outcome.failed.append((name, byName[name]?.healthMessage ?? "no health message"))
                    default: still.append(name)
                    }
                }
                outcome.unsettled = still
            }
            let now = clock.now()
            guard !outcome.unsettled.isEmpty, now - start < timeout else { break }
            if now - lastReport >= reportInterval {
                lastReport = now
                progress(Progress(settled: names.count - outcome.unsettled.count, total: names.count,
                                  elapsed: now - start, timeout: timeout, isStart: false))
            }
            await clock.sleep(seconds: interval)
        }
        return outcome
    }
}

/// The time a wait is measured in, and how it sleeps: the system's, or a test's.
package protocol WaitClock: Sendable {
    /// Seconds since some fixed point.
    func now() -> Double
    func sleep(seconds: Double) async
}

/// The monotonic system clock.
package struct SystemWaitClock: WaitClock {
    private let origin = ContinuousClock.now

    package init() {}

    package func now() -> Double {
        let elapsed = ContinuousClock.now - origin
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    package func sleep(seconds: Double) async {
        try? await Task.sleep(for: .seconds(seconds))
    }
}
