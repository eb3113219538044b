/// How one managed object compares with live state.
package enum DriftStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case inSync = "in_sync"
    case drifted
    case missing
    case unhealthy
    /// Live, but a manifest says `ensure: absent`, or `prune.owns` covers it and no manifest names it: apply
    /// would delete it.
    case extra
}

/// One field where live state differs from the manifest.
package struct DriftDifference: Sendable, Hashable, Codable {
    package var path: String
    package var live: PlanValue
    package var desired: PlanValue

    package init(path: String, live: PlanValue, desired: PlanValue) {
        self.path = path
        self.live = live
        self.desired = desired
    }

    /// Whether either side is a secret (JSON marks the difference `"sensitive": true`).
    package var isRedacted: Bool { live.isSensitive || desired.isSensitive }
}

/// One managed object in a drift report.
package struct DriftedResource: Sendable, Hashable, Codable {
    package var address: ResourceAddress
    package var status: DriftStatus
    package var differences: [DriftDifference]
    package var manifest: SourceLocation
    /// Why the object is unhealthy (`failed: readiness probe failed`), when it is.
    package var health: String?
    /// Why an `extra` object would be deleted (`ensure: absent at …`, `no manifest; owned by prune.owns …`).
    package var reason: String?

    package init(address: ResourceAddress, status: DriftStatus, differences: [DriftDifference] = [],
                 manifest: SourceLocation, health: String? = nil, reason: String? = nil) {
        self.address = address
        self.status = status
        self.differences = differences
        self.manifest = manifest
        self.health = health
        self.reason = reason
    }
}

/// Live state against the manifests: every managed object's status, and the live objects no manifest manages.
package struct DriftReport: Sendable, Hashable, Codable {
    package var source: ManifestSource
    package var resources: [DriftedResource]
    package var unmanaged: [ResourceAddress]
    /// What the command prints on standard error before the report (a live object listed twice); not part
    /// of the report itself.
    package var warnings: [Diagnostic] = []

    package init(source: ManifestSource, resources: [DriftedResource], unmanaged: [ResourceAddress]) {
        self.source = source
        self.resources = resources.sorted { $0.address < $1.address }
        self.unmanaged = unmanaged
    }

    private enum CodingKeys: String, CodingKey {
        case source, resources, unmanaged
    }

    package func count(_ status: DriftStatus) -> Int {
        resources.count { $0.status == status }
    }

    /// True when every managed object is in sync (unmanaged objects do not count as drift).
    package var inSync: Bool { resources.allSatisfy { $0.status == .inSync } }

    /// `In sync: 7 managed objects.` or `Drift: 2 drifted, 1 missing, 1 unhealthy of 7 managed objects.`
    package var summaryLine: String {
        let problems = [DriftStatus.drifted, .missing, .unhealthy, .extra].compactMap { status -> String? in
            let count = count(status)
            return count > 0 ? "\(count) \(status.rawValue)" : nil
        }
        let managed = "\(resources.count) managed object\(resources.count == 1 ? "" : "s")"
        return problems.isEmpty ? "In sync: \(managed)." : "Drift: \(problems.joined(separator: ", ")) of \(managed)."
    }
}
