import ProvsyncModel

/// Builds a drift report: the plan's view of each managed object (a missing object would be installed or
/// created; a differing one changed), plus the health the APIs report of the paired live object. Pure.
package enum DriftAnalyzer {
    /// Pairs `desired` with `live` and reports.
    package static func report(source: ManifestSource, desired: DesiredState, live: LiveSnapshot, salt: String) -> DriftReport {
        report(Reconciler.reconcile(desired, with: live), source: source, salt: salt)
    }

    package static func report(_ reconciliation: Reconciliation, source: ManifestSource, salt: String) -> DriftReport {
        let plan = Planner.plan(reconciliation, source: source,
                                options: PlanningOptions(allowReplace: true, salt: salt, recordsDigests: false)).plan
        let changes = Dictionary(plan.changes.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        let resources = ManifestKind.allCases.flatMap { kind in
            kind.planning.driftedResources(in: reconciliation, changes: changes)
        }
        var report = DriftReport(source: source, resources: resources, unmanaged: plan.unmanaged)
        report.warnings = reconciliation.liveDuplicates
        return report
    }

    static func resource(
        _ address: ResourceAddress, change: PlannedChange?, manifest: SourceLocation, health: String?
    ) -> DriftedResource {
        guard let change else {
            return DriftedResource(address: address, status: health == nil ? .inSync : .unhealthy,
                                   manifest: manifest, health: health)
        }
        if change.action == .install || change.action == .create {
            return DriftedResource(address: address, status: .missing, manifest: manifest)
        }
        let differences = change.differences.map { DriftDifference(path: $0.path, live: $0.before, desired: $0.after) }
        return DriftedResource(address: address, status: health == nil ? .drifted : .unhealthy,
                               differences: differences, manifest: manifest, health: health)
    }
}

extension KindPlanning {
    /// Every managed object's status, and `extra` for each live object apply would delete.
    static func driftedResources(in reconciliation: Reconciliation,
                                 changes: [ResourceAddress: PlannedChange]) -> [DriftedResource] {
        let pairing = reconciliation[keyPath: pairing]
        return pairing.pairs.map { pair in
            DriftAnalyzer.resource(pair.desired.address, change: changes[pair.desired.address],
                                   manifest: pair.desired.location, health: pair.live.flatMap(health))
        } + pairing.deletions.map { deletion in
            DriftedResource(address: address(of: deletion.live), status: .extra, manifest: deletion.reason.location,
                            reason: deletion.reason.description)
        }
    }
}
