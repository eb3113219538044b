import Foundation
import ProvsyncLive
import ProvsyncModel

/// Polls installations until each is `ready` or `failed` (`apply --wait`), within a time limit.
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

    package var reader: any InstallationReading
    package var timeout: Double
    package var interval: Double

    package init(reader: any InstallationReading, timeout: Double, interval: Double = 1) {
        self.reader = reader
        self.timeout = timeout
        self.interval = interval
    }

    /// Waits for the installations named `org/name`.
    package func wait(for names: Set<String>) async -> Outcome {
        var outcome = Outcome(ready: [], failed: [], unsettled: names.sorted())
        let deadline = Date().addingTimeInterval(timeout)
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
            guard !outcome.unsettled.isEmpty, Date() < deadline else { break }
            try? await Task.sleep(for: .seconds(interval))
        }
        return outcome
    }
}
