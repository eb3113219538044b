import ProvsyncModel
import ProvsyncSupport

/// Builds a plan from a reconciliation. Pure: the same inputs give the same plan.
package enum Planner {
    /// Pairs `desired` with `live` and plans the pairs.
    package static func plan(
        source: ManifestSource, desired: DesiredState, live: LiveSnapshot, options: PlanningOptions
    ) -> ExecutablePlan {
        plan(Reconciler.reconcile(desired, with: live), source: source, options: options)
    }

    /// Plans every targeted pair of `reconciliation`: one change (with the operations that carry it out) per
    /// object that differs, the live objects no manifest manages, and for saved plans the digests that tell
    /// a stale plan.
    package static func plan(
        _ reconciliation: Reconciliation, source: ManifestSource, options: PlanningOptions
    ) -> ExecutablePlan {
        let context = PlanningContext(digester: Digester(salt: options.salt, key: options.key),
                                      allowReplace: options.allowReplace,
                                      recordsDigests: options.recordsDigests)
        let outcomes = ManifestKind.allCases.flatMap { kind in
            kind.planning.outcomes(of: reconciliation, options: options, context: context)
        }
        var changes: [PlannedChange] = []
        var operations: [ResourceAddress: PlannedOperation] = [:]
        var unchanged: [String: String] = [:]
        var desiredParts: [String] = reconciliation.absent.map { "absent \($0.address) cascade \($0.cascade)" }
        let deletes = ManifestKind.allCases.flatMap { kind in
            kind.planning.deletions(in: reconciliation, options: options, context: context)
        }
        for (change, operation) in deletes {
            changes.append(change)
            operations[change.address] = operation
        }
        let sources = reconciliation.layerSources
        for outcome in outcomes {
            if let description = outcome.description { desiredParts.append(description) }
            if var (change, operation) = outcome.planned {
                if let layered = sources[change.address] { change.attribute(to: layered) }
                changes.append(change)
                operations[change.address] = operation
            }
            if let fingerprint = outcome.unchangedFingerprint { unchanged[outcome.address.description] = fingerprint }
        }
        var plan = Plan(
            source: source,
            changes: changes.sorted { $0.address < $1.address },
            unmanaged: options.scope.map { scope in reconciliation.unmanaged.filter(scope.contains) } ?? reconciliation.unmanaged,
            desiredDigest: options.recordsDigests ? context.digester.digest(desiredParts.sorted().joined(separator: "\n")) : "",
            unchangedFingerprints: unchanged,
            salt: options.salt,
            key: options.key
        )
        plan.scope = options.scope.map { $0.sorted() }
        plan.refusal = DeletionBudget(limit: options.maxDeletes ?? reconciliation.prune?.maxDeletes
            ?? PruneRules.defaultMaxDeletes, overridden: options.maxDeletes != nil).refusal(of: plan.changes)
        return ExecutablePlan(plan: plan, operations: operations)
    }
}

/// What planning one desired object gave.
struct ObjectOutcome: Sendable {
    var address: ResourceAddress
    /// The object's desired state as canonical text, for the plan's desired digest (when recorded).
    var description: String?
    var planned: (change: PlannedChange, operation: PlannedOperation)?
    /// The live object's fingerprint when nothing changes (when recorded).
    var unchangedFingerprint: String?
}

extension KindPlanning {
    /// Each targeted pair planned on its own, so they are planned side by side; the results come back in
    /// manifest order, which keeps the plan the same whatever the number of cores.
    static func outcomes(of reconciliation: Reconciliation, options: PlanningOptions,
                         context: PlanningContext) -> [ObjectOutcome] {
        reconciliation[keyPath: pairing].pairs.filter { options.isTargeted($0.desired.address) }.concurrentMap { pair in
            var outcome = ObjectOutcome(address: pair.desired.address,
                                        description: context.recordsDigests
                                            ? describe(pair.desired, digester: context.digester).canonicalText : nil)
            switch plan(pair.desired, live: pair.live, context: context) {
            case .change(let change, let operation):
                outcome.planned = (change, planned(operation))
            case .unchanged(let fingerprint):
                outcome.unchangedFingerprint = fingerprint
            }
            return outcome
        }
    }
}

extension PlannedChange {
    /// Names the layers a layered manifest was merged from, and the layer that set each desired value.
    mutating func attribute(to sources: LayerSources) {
        layers = sources.layers
        for index in differences.indices {
            differences[index].setAt = sources.location(of: differences[index].path)
        }
    }
}
