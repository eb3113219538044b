import ProvsyncModel

/// An extra ignore rule for one run (`drift --ignore installation/*:config.LOG_LEVEL`): objects whose
/// address matches the pattern (a trailing `*` matches any rest) do not diff the path.
package struct IgnoreRule: Sendable, Hashable {
    package var addressPattern: String
    package var path: String

    /// Reads `ADDRESS_PATTERN:PATH`; nil when the text has no `:` between a pattern and a path.
    package init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
              text.index(after: colon) != text.endIndex else { return nil }
        addressPattern = String(text[..<colon])
        path = String(text[text.index(after: colon)...])
    }

    func applies(to address: ResourceAddress) -> Bool {
        AddressPattern.matches(addressPattern, address)
    }
}

extension DesiredState {
    /// The same desired state with `rules` added to the matching objects' `policy.ignore`.
    package func ignoring(_ rules: [IgnoreRule]) -> DesiredState {
        guard !rules.isEmpty else { return self }
        var copy = self
        for index in copy.installations.indices {
            let address = copy.installations[index].manifest.address
            copy.installations[index].manifest.policy.ignore += rules.filter { $0.applies(to: address) }.map(\.path)
        }
        for index in copy.agentProviders.indices {
            let address = copy.agentProviders[index].manifest.address
            copy.agentProviders[index].manifest.policy.ignore += rules.filter { $0.applies(to: address) }.map(\.path)
        }
        return copy
    }
}

/// Builds a drift report: the plan's view of each managed object (a missing object would be installed or
/// created; a differing one changed), plus the health the APIs report. Pure.
package enum DriftAnalyzer {
    package static func report(source: ManifestSource, desired: DesiredState, live: LiveSnapshot, salt: String) -> DriftReport {
        let plan = Planner.plan(source: source, desired: desired, live: live,
                                options: PlanningOptions(allowReplace: true, salt: salt, recordsDigests: false)).plan
        let changes = Dictionary(plan.changes.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        let installations = Dictionary(live.installations.map { ($0.providerName, $0) }, uniquingKeysWith: { a, _ in a })
        let agents = Dictionary(live.agentProviders.map { ($0.origin, $0) }, uniquingKeysWith: { a, _ in a })
        var resources: [DriftedResource] = []
        for item in desired.installations {
            let address = item.manifest.address
            resources.append(resource(address, change: changes[address], manifest: item.location,
                                      health: installations[item.manifest.providerName].flatMap(problem)))
        }
        for item in desired.agentProviders {
            let address = item.manifest.address
            resources.append(resource(address, change: changes[address], manifest: item.location,
                                      health: agents[item.manifest.origin].flatMap(problem)))
        }
        return DriftReport(source: source, resources: resources, unmanaged: plan.unmanaged)
    }

    private static func resource(
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

    /// Why an installation is unhealthy: it `failed`, or its health is `degraded`.
    static func problem(_ installation: LiveInstallation) -> String? {
        if installation.lifecycleState == "failed" {
            return "failed" + (installation.healthMessage.map { ": \($0)" } ?? "")
        }
        if installation.health == "degraded" {
            return "degraded" + (installation.healthMessage.map { ": \($0)" } ?? "")
        }
        return nil
    }

    /// Why an agent provider is unhealthy: state `error`, or required variables missing.
    static func problem(_ provider: LiveAgentProvider) -> String? {
        if provider.state == "error" {
            return "error" + (provider.lastError.map { ": \($0)" } ?? "")
        }
        if !provider.missingConfiguration.isEmpty {
            return "missing configuration: \(provider.missingConfiguration.joined(separator: ", "))"
        }
        return nil
    }
}
