import ProvsyncLive
import ProvsyncModel
import ProvsyncPlanning
import ProvsyncSupport

/// Carries out a plan's operations through the writing protocols, at most `parallelism` at a time. A failure
/// does not stop the other changes (each concerns a different object). Before its first write, each change's
/// object is read again and compared with the plan's fingerprint: one changed since the plan (another apply
/// running at the same time) is left alone and reported. Writes are not retried blindly (`WriteAttempts`).
package struct Applier: Sendable {
    package var reader: any LiveReading
    package var writer: any LiveWriting
    package var parallelism: Int
    package var observer: any ApplyObserver
    /// Checked before each operation starts; once requested, the remaining ones are not attempted.
    package var stop: StopRequest
    package var attempts: WriteAttempts

    package init(reader: any LiveReading, writer: any LiveWriting, parallelism: Int,
                 observer: any ApplyObserver = SilentApplyObserver(), stop: StopRequest = StopRequest(),
                 attempts: WriteAttempts = WriteAttempts()) {
        self.reader = reader
        self.writer = writer
        self.parallelism = max(1, parallelism)
        self.observer = observer
        self.stop = stop
        self.attempts = attempts
    }

    package func apply(_ executable: ExecutablePlan) async -> ApplyReport {
        let changes = executable.plan.changes
        let refused = changes.filter { $0.refusal != nil }
        if let refusal = executable.plan.refusal {
            // The whole plan is refused (too many deletes): no change starts.
            return ApplyReport(results: changes.map { change in
                ApplyResult(address: change.address, action: change.action,
                            outcome: .notAttempted("the plan is refused: \(refusal)"))
            })
        }
        if !refused.isEmpty {
            // A refused change stops the whole apply before any write, so nothing is half done.
            return ApplyReport(results: changes.map { change in
                let why = change.refusal.map { "refused: \($0)" }
                    ?? "not attempted: \(refused.count) refused change\(refused.count == 1 ? "" : "s") in the plan"
                return ApplyResult(address: change.address, action: change.action, outcome: .notAttempted(why))
            })
        }
        let context = ExecutionContext(reader: reader, writer: writer, salt: executable.plan.salt, attempts: attempts)
        let observer = self.observer
        let stop = self.stop
        let results = await WorkQueue(changes).map(width: parallelism) { change in
            await observer.started(change)
            let outcome: ApplyOutcome
            if stop.isRequested || Task.isCancelled {
                outcome = .notAttempted("interrupted before it started")
            } else if let operation = executable.operations[change.address] {
                outcome = await operation.kind.execution.apply(change, operation, context: context)
            } else {
                outcome = .notAttempted("no operation was planned")
            }
            let result = ApplyResult(address: change.address, action: change.action, outcome: outcome)
            await observer.finished(result)
            return result
        }
        return ApplyReport(results: results)
    }
}
