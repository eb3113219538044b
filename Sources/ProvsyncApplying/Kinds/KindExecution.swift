import ProvsyncLive
import ProvsyncModel
import ProvsyncSupport
import ProvsyncPlanning

/// What apply and the dry run need from a resource kind: the check just before a change's first write (is
/// the object still the one the plan saw?), carrying out its operations through the writing protocols with
/// read-back where an outcome is unknown, and the dry run's check of an operation.
package protocol KindExecution: KindPlanning {
    /// nil when the object is as the plan saw it; otherwise the change's outcome, which is then not sent.
    static func conflict(for change: PlannedChange, _ operation: Operation, context: ExecutionContext) async
        -> ApplyOutcome?
    static func perform(_ operation: Operation, context: ExecutionContext) async -> ApplyOutcome
    /// What the operation would do, checked with reads only (the agent API's preview among them).
    static func check(_ operation: Operation, reader: any LiveReading) async -> ApplyOutcome
    /// Why apply would refuse the operation, learnt with cheap reads when the plan is made (so a pull
    /// request's plan is red before merge); nil when nothing is known against it.
    static func refusal(of operation: Operation, reader: any LiveReading) async -> String?
}

extension ManifestKind {
    /// The kind's executor. A new kind adds its case here.
    package var execution: any KindExecution.Type {
        switch self {
        case .installation: InstallationKind.self
        case .agentProvider: AgentProviderKind.self
        }
    }
}

/// The clients and shared state the executors work with during one apply.
package struct ExecutionContext: Sendable {
    package var reader: any LiveReading
    package var writer: any LiveWriting
    package var fingerprints: LiveFingerprints
    package var attempts: WriteAttempts
    /// Fresh installation lists, shared by the checks that ask at about the same time.
    let installations: SharedInstallationReads

    package init(reader: any LiveReading, writer: any LiveWriting, salt: String, attempts: WriteAttempts = WriteAttempts()) {
        self.reader = reader
        self.writer = writer
        fingerprints = LiveFingerprints(salt: salt)
        self.attempts = attempts
        installations = SharedInstallationReads(reader: reader)
    }

    /// The message of a change left alone because its object changed since the plan.
    static func changedMessage(_ what: String) -> String {
        "\(what) after the plan was made (by another apply, or by hand), so nothing was sent: "
            + "run plan again to see the live state"
    }

    /// The outcome of a pre-write check that reads with `read`: a failed read means nothing is sent.
    static func checking(_ read: () async throws(APIError) -> ApplyOutcome?) async -> ApplyOutcome? {
        do throws(APIError) {
            return try await read()
        } catch {
            return .failed("reading it again before the write failed, so nothing was sent: \(error)")
        }
    }

    /// nil when `now` (the fingerprint of the object read again; nil when it is gone) is the one `change` was
    /// planned from; otherwise the change is not attempted.
    static func unchanged(_ now: String?, since change: PlannedChange) -> ApplyOutcome? {
        guard now != change.liveFingerprint else { return nil }
        return .notAttempted(changedMessage(now == nil ? "it was removed" : "it was changed"))
    }

    /// The pre-write check of a delete: an object already gone is what the delete wanted (nothing is sent);
    /// one changed since the plan is left alone, as for any change.
    static func deletable(_ now: String?, since change: PlannedChange) -> ApplyOutcome? {
        guard let now else { return .applied("already absent; nothing was sent") }
        return unchanged(now, since: change)
    }
}

extension KindExecution {
    /// Checks and carries out `operation` when it is of this kind.
    static func apply(_ change: PlannedChange, _ operation: PlannedOperation, context: ExecutionContext) async
        -> ApplyOutcome {
        guard let operation = self.operation(in: operation) else { return .notAttempted("no operation was planned") }
        if let conflict = await conflict(for: change, operation, context: context) {
            return conflict
        }
        return await perform(operation, context: context)
    }

    static func check(_ operation: PlannedOperation, reader: any LiveReading) async -> ApplyOutcome {
        guard let operation = self.operation(in: operation) else { return .notAttempted("no operation was planned") }
        return await check(operation, reader: reader)
    }

    static func refusal(of operation: PlannedOperation, reader: any LiveReading) async -> String? {
        guard let operation = self.operation(in: operation) else { return nil }
        return await refusal(of: operation, reader: reader)
    }
}

/// Marks the changes of a plan that apply would refuse, by each kind's `refusal(of:reader:)`, at most
/// `parallelism` reads at a time. A change already refused keeps its reason.
package enum PlanRefusals {
    package static func mark(_ executable: ExecutablePlan, reader: any LiveReading, parallelism: Int) async -> ExecutablePlan {
        let candidates = executable.plan.changes.filter { $0.refusal == nil && executable.operations[$0.address] != nil }
        let refusals = await WorkQueue(candidates).map(width: parallelism) { change -> (ResourceAddress, String?) in
            guard let operation = executable.operations[change.address] else { return (change.address, nil) }
            return (change.address, await operation.kind.execution.refusal(of: operation, reader: reader))
        }
        let found = Dictionary(refusals.compactMap { address, reason in reason.map { (address, $0) } },
                               uniquingKeysWith: { first, _ in first })
        guard !found.isEmpty else { return executable }
        var marked = executable
        marked.plan.changes = executable.plan.changes.map { change in
            var change = change
            if let reason = found[change.address] { change.refusal = reason }
            return change
        }
        return marked
    }
}
