import ProvsyncLive
import ProvsyncModel
import ProvsyncSupport

/// `apply --dry-run`: everything but the writes, holding only the reading protocol. Refusals are
/// reported, and each operation is checked by its kind (pinned versions against the store's published
/// versions; agent provider creates and updates through the API's preview endpoint, which stores nothing).
package struct DryRun: Sendable {
    package var reader: any LiveReading

    package init(reader: any LiveReading) {
        self.reader = reader
    }

    /// Every change checked, at most `parallelism` API calls at a time; the results in the plan's order.
    package func check(_ executable: ExecutablePlan, parallelism: Int = 8) async -> ApplyReport {
        let reader = self.reader
        let results = await WorkQueue(executable.plan.changes).map(width: parallelism) { change in
            let outcome: ApplyOutcome
            if let refusal = change.refusal {
                outcome = .notAttempted("refused: \(refusal)")
            } else if let operation = executable.operations[change.address] {
                outcome = await operation.kind.execution.check(operation, reader: reader)
            } else {
                outcome = .notAttempted("no operation was planned")
            }
            return ApplyResult(address: change.address, action: change.action, outcome: outcome)
        }
        return ApplyReport(results: results)
    }

    /// What a check that ended in an API error says: a refusal of the request itself (a 4xx other than
    /// for credentials or throttling) means apply would fail the same way; anything else means the change
    /// could not be checked, which is not a verdict on it.
    package static func outcome(after error: APIError) -> ApplyOutcome {
        if let status = error.status, (400..<500).contains(status), ![401, 403, 408, 429].contains(status) {
            return .wouldFail(error.description)
        }
        return .notAttempted("not checked: \(error.description)")
    }
}
