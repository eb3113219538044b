import ProvsyncModel

/// Builds a plan from desired and live state. Pure: the same inputs give the same plan.
package enum Planner {
    package static func plan(
        source: ManifestSource, desired: DesiredState, live: LiveSnapshot, options: PlanningOptions
    ) -> ExecutablePlan {
        let digester = Digester(salt: options.salt)
        let records = options.recordsDigests
        // Each object is planned on its own, so they are planned side by side; the results are merged in
        // manifest order, which keeps the plan the same whatever the number of cores.
        let liveInstallations = Dictionary(live.installations.map { ($0.providerName, $0) }, uniquingKeysWith: { a, _ in a })
        let installationPlanner = InstallationPlanner(digester: digester, allowReplace: options.allowReplace)
        let installationOutcomes = desired.installations.filter { options.isTargeted($0.manifest.address) }
            .concurrentMap { item in
                let current = liveInstallations[item.manifest.providerName]
                var outcome = ObjectOutcome(address: item.manifest.address,
                                            description: records ? describe(item) : nil)
                if let planned = installationPlanner.plan(item, live: current) {
                    outcome.planned = planned
                } else if records, let current {
                    outcome.unchangedFingerprint = digester.fingerprint(current)
                }
                return outcome
            }

        let liveAgents = Dictionary(grouping: live.agentProviders, by: \.origin)
        let liveAgentsBySource = Dictionary(live.agentProviders.map { ($0.source, $0) }, uniquingKeysWith: { a, _ in a })
        let agentPlanner = AgentProviderPlanner(digester: digester)
        let agentOutcomes = desired.agentProviders.filter { options.isTargeted($0.manifest.address) }
            .concurrentMap { item in
                let candidates = liveAgents[item.manifest.origin] ?? []
                // No provider with the origin: one at the same location whose origin changed is the same agent
                // (its origin is updated, not a second provider created, which the API would refuse).
                let current = candidates.first { $0.source == item.source } ?? candidates.min { $0.id < $1.id }
                    ?? liveAgentsBySource[item.source]
                var outcome = ObjectOutcome(address: item.manifest.address,
                                            description: records ? describe(item) : nil)
                outcome.matchedAgentID = current?.id
                // The live card's comparable form, made once for the diff and the fingerprint when either needs it.
                let liveCard: JSONValue?? = item.manifest.agentCard != nil || records
                    ? .some(current?.agentCard.map(AgentCardRules.comparable)) : nil
                if let (change, operation) = agentPlanner.plan(item, live: current, liveCard: liveCard) {
                    outcome.planned = (change, operation)
                    if case .update = operation {
                        outcome.preview = AgentProviderPlanner.wholeProvider(item)
                    }
                } else if records, let current {
                    outcome.unchangedFingerprint = digester.fingerprint(current, card: liveCard)
                }
                return outcome
            }

        var changes: [PlannedChange] = []
        var operations: [ResourceAddress: PlannedOperation] = [:]
        var previews: [ResourceAddress: AgentProviderRequest] = [:]
        var unchanged: [String: String] = [:]
        var desiredParts: [String] = []
        var matchedAgentIDs: Set<String> = []
        for outcome in installationOutcomes + agentOutcomes {
            if let description = outcome.description { desiredParts.append(description) }
            if let id = outcome.matchedAgentID { matchedAgentIDs.insert(id) }
            if let (change, operation) = outcome.planned {
                changes.append(change)
                operations[change.address] = operation
            }
            if let preview = outcome.preview { previews[outcome.address] = preview }
            if let fingerprint = outcome.unchangedFingerprint { unchanged[outcome.address.description] = fingerprint }
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
            desiredDigest: records ? digester.digest(desiredParts.sorted().joined(separator: "\n")) : "",
            unchangedFingerprints: unchanged,
            salt: options.salt
        )
        return ExecutablePlan(plan: plan, operations: operations, previews: previews)
    }

    /// What planning one desired object gave.
    private struct ObjectOutcome: Sendable {
        var address: ResourceAddress
        /// The object's desired state as canonical text, for the plan's desired digest (when recorded).
        var description: String?
        var planned: (change: PlannedChange, operation: PlannedOperation)?
        /// The whole provider, for an update's preview.
        var preview: AgentProviderRequest?
        /// The live object's fingerprint when nothing changes.
        var unchangedFingerprint: String?
        /// The live agent provider the desired one was matched to.
        var matchedAgentID: String?
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
