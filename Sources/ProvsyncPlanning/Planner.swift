import ProvsyncModel

/// Builds a plan from desired and live state. Pure: the same inputs give the same plan.
package enum Planner {
    package static func plan(
        source: ManifestSource, desired: DesiredState, live: LiveSnapshot, options: PlanningOptions
    ) -> ExecutablePlan {
        let digester = Digester(salt: options.salt)
        var changes: [PlannedChange] = []
        var operations: [ResourceAddress: PlannedOperation] = [:]
        var previews: [ResourceAddress: AgentProviderRequest] = [:]
        var unchanged: [String: String] = [:]
        var desiredParts: [String] = []

        let liveInstallations = Dictionary(live.installations.map { ($0.providerName, $0) }, uniquingKeysWith: { a, _ in a })
        let installationPlanner = InstallationPlanner(digester: digester, allowReplace: options.allowReplace)
        for item in desired.installations where options.isTargeted(item.manifest.address) {
            let current = liveInstallations[item.manifest.providerName]
            desiredParts.append(describe(item))
            if let (change, operation) = installationPlanner.plan(item, live: current) {
                changes.append(change)
                operations[change.address] = operation
            } else if let current {
                unchanged[item.manifest.address.description] = digester.fingerprint(current)
            }
        }

        let liveAgents = Dictionary(grouping: live.agentProviders, by: \.origin)
        var matchedAgentIDs: Set<String> = []
        let agentPlanner = AgentProviderPlanner(digester: digester)
        for item in desired.agentProviders where options.isTargeted(item.manifest.address) {
            let candidates = liveAgents[item.manifest.origin] ?? []
            // No provider with the origin: one at the same location whose origin changed is the same agent
            // (its origin is updated, not a second provider created, which the API would refuse).
            let current = candidates.first { $0.source == item.source } ?? candidates.min { $0.id < $1.id }
                ?? live.agentProviders.first { $0.source == item.source }
            if let current { matchedAgentIDs.insert(current.id) }
            desiredParts.append(describe(item))
            if let (change, operation) = agentPlanner.plan(item, live: current) {
                changes.append(change)
                operations[change.address] = operation
                if case .update = operation {
                    previews[change.address] = AgentProviderPlanner.wholeProvider(item)
                }
            } else if let current {
                unchanged[item.manifest.address.description] = digester.fingerprint(current)
            }
        }

        // Unmanaged: installations no manifest names, and agent providers no manifest was matched to (a
        // second provider sharing a managed origin shows here too, rather than being hidden).
        let managedInstallations = Set(desired.installations.map(\.manifest.address))
        let managedOrigins = Set(desired.agentProviders.map(\.manifest.origin))
        let unmatchedAgents = live.agentProviders.filter {
            !matchedAgentIDs.contains($0.id) && !(managedOrigins.contains($0.origin) && !options.targets.isEmpty)
        }
        let unmanaged = Set(live.installations.map(\.address).filter { !managedInstallations.contains($0) }
                            + unmatchedAgents.map(\.address))
        let plan = Plan(
            source: source,
            changes: changes.sorted { $0.address < $1.address },
            unmanaged: unmanaged.sorted(),
            desiredDigest: digester.digest(desiredParts.sorted().joined(separator: "\n")),
            unchangedFingerprints: unchanged,
            salt: options.salt
        )
        return ExecutablePlan(plan: plan, operations: operations, previews: previews)
    }

    private static func describe(_ item: DesiredInstallation) -> String {
        let manifest = item.manifest
        return JSONValue.object([
            "address": .string(manifest.address.description),
            "version": manifest.version.map(JSONValue.string) ?? .null,
            "resource_tier": .string(manifest.resourceTier.rawValue),
            "upgrade_policy": .string(manifest.upgradePolicy.rawValue),
            "config": .object(item.config.mapValues { .string($0.text) }),
            "policy": .array((manifest.policy.ignore + ["|"] + manifest.policy.sensitive).map(JSONValue.string)),
            "allow_replace": .bool(manifest.policy.allowReplace),
        ]).canonicalText
    }

    private static func describe(_ item: DesiredAgentProvider) -> String {
        let manifest = item.manifest
        return JSONValue.object([
            "address": .string(manifest.address.description),
            "location": .string(manifest.location),
            "origin_pinned": .bool(manifest.originIsPinned),
            "auto_stop_timeout_sec": manifest.autoStopTimeoutSec.map(JSONValue.integer) ?? .null,
            "variables": item.variables.map { .object($0.mapValues { .string($0.text) }) } ?? .null,
            "agent_card": manifest.agentCard ?? .null,
            "policy": .array((manifest.policy.ignore + ["|"] + manifest.policy.sensitive).map(JSONValue.string)),
        ]).canonicalText
    }
}
