import ProvsyncModel

/// A manifest value after `${env:…}` substitution, and whether it must be hidden.
package struct ResolvedValue: Sendable, Hashable {
    package var text: String
    package var isSensitive: Bool
}

/// Resolves the `${env:…}` references of many manifests, collecting every unset variable as a problem.
package struct ValueResolver: Sendable {
    let environment: [String: String]
    private(set) var problems: [Diagnostic] = []

    init(environment: [String: String]) {
        self.environment = environment
    }

    /// Each value resolved; a value is sensitive when it reads the environment or `policy.sensitive` names
    /// `field.KEY`.
    mutating func resolve(_ values: [String: TemplatedString], field: String, policy: ManifestPolicy)
        -> [String: ResolvedValue] {
        var resolved: [String: ResolvedValue] = [:]
        for (name, template) in values {
            switch template.resolve(in: environment) {
            case .success(let text):
                let sensitive = template.isSensitive || PathPattern.matchesAny(policy.sensitive, path: "\(field).\(name)")
                resolved[name] = ResolvedValue(text: text, isSensitive: sensitive)
            case .failure(let error):
                problems += error.diagnostics
            }
        }
        return resolved
    }
}

extension DesiredState {
    /// Resolves every `${env:NAME}` from `environment`. Each unset variable is an error at its reference;
    /// all of them are reported together.
    package static func resolve(
        _ manifests: ManifestSet, environment: [String: String]
    ) -> Result<DesiredState, DiagnosticsError> {
        var resolver = ValueResolver(environment: environment)
        var state = DesiredState()
        for manifest in manifests.manifests {
            manifest.kind.planning.add(manifest, to: &state, resolver: &resolver)
            if manifest.layers.count > 1 {
                state.layerSources[manifest.address] = LayerSources(layers: manifest.layers, fields: manifest.fieldSources)
            }
        }
        let problems = resolver.problems
        return problems.isEmpty ? .success(state) : .failure(DiagnosticsError(Diagnostic.sortedByLocation(problems)))
    }

    /// The same desired state with `rules` added to the matching objects' `policy.ignore`.
    package func ignoring(_ rules: [IgnoreRule]) -> DesiredState {
        guard !rules.isEmpty else { return self }
        var copy = self
        for kind in ManifestKind.allCases {
            kind.planning.addIgnoreRules(rules, to: &copy)
        }
        return copy
    }

    /// The addresses of every manifest: desired objects and those with `ensure: absent`.
    package var addresses: [ResourceAddress] {
        ManifestKind.allCases.flatMap { $0.planning.addresses(in: self) } + absent.map(\.address)
    }

    /// Whether `prune.owns` may delete live objects without a manifest: only when there are manifests at
    /// all, so that a wrong `--path` (or an empty checkout) deletes nothing.
    package var prunesLiveObjects: Bool {
        prune.map { !$0.owns.isEmpty } == true && !addresses.isEmpty
    }
}

extension KindPlanning {
    /// A manifest with `ensure: absent` is kept by address only: its values are not resolved (an object to
    /// delete needs no secret).
    static func add(_ manifest: Manifest, to state: inout DesiredState, resolver: inout ValueResolver) {
        guard let spec = spec(in: manifest.body) else { return }
        switch manifest.ensure {
        case .present:
            state[keyPath: desiredObjects].append(resolve(spec, at: manifest.location, resolver: &resolver))
        case .absent:
            state.absent.append(AbsentObject(address: manifest.address, location: manifest.location,
                                             cascade: manifest.policy.cascade))
        }
    }

    static func addIgnoreRules(_ rules: [IgnoreRule], to state: inout DesiredState) {
        for index in state[keyPath: desiredObjects].indices {
            let address = state[keyPath: desiredObjects][index].address
            state[keyPath: desiredObjects][index].policy.ignore += rules.filter { $0.applies(to: address) }.map(\.path)
        }
    }

    static func addresses(in state: DesiredState) -> [ResourceAddress] {
        state[keyPath: desiredObjects].map(\.address)
    }
}

extension DesiredState {
    /// The agent provider locations whose stored spelling depends on the server's configuration (loopback
    /// hosts), each once: the ones to ask the server about before pairing.
    package var locationsDependingOnServer: [String] { locationsDependingOnServer(within: nil) }

    /// `locationsDependingOnServer` of the agent providers at the addresses of `scope` only (`plan
    /// --changed-only`: the server is asked about nothing outside the change); nil means every provider.
    package func locationsDependingOnServer(within scope: Set<ResourceAddress>?) -> [String] {
        var seen: Set<String> = []
        let providers = scope.map { scope in agentProviders.filter { scope.contains($0.address) } } ?? agentProviders
        return providers.map(\.manifest.location).filter { location in
            guard (try? AgentLocation.parse(location).get())?.dependsOnServerConfiguration == true else { return false }
            return seen.insert(location).inserted
        }
    }

    /// The same desired state with the server's spelling of each location in `sources` (manifest location →
    /// the `source` the server stores for it), so pairing, diffs and operations use the server's identity.
    package func adopting(serverSources sources: [String: String]) -> DesiredState {
        guard !sources.isEmpty else { return self }
        var copy = self
        copy.agentProviders = agentProviders.map { provider in
            sources[provider.manifest.location].map(provider.adopting(serverSource:)) ?? provider
        }
        return copy
    }
}

extension DesiredState {
    /// Agent provider manifests whose locations the server stores as one `source` (`localhost` and `127.0.0.1`
    /// become one `host.docker.internal` provider): an error at the second of each, since the server would
    /// refuse its create as a duplicate.
    package var agentProvidersSharingASource: [Diagnostic] {
        var first: [String: DesiredAgentProvider] = [:]
        var problems: [Diagnostic] = []
        for provider in agentProviders {
            guard let earlier = first[provider.source] else {
                first[provider.source] = provider
                continue
            }
            problems.append(.error(
                "\(provider.address) and \(earlier.address) (\(earlier.location)) are one provider for the server, "
                    + "which stores both locations as \(provider.source); keep one of the two manifests",
                at: provider.location))
        }
        return problems
    }
}

extension DesiredState {
    /// The addresses whose manifests differ between `base` and this state: added, changed (any field, policy
    /// or `ensure`) or removed. What `plan --changed-only` plans.
    package func changedAddresses(since base: DesiredState) -> Set<ResourceAddress> {
        let digester = Digester(salt: "changed-only")
        let absentNow = absentDescriptions, absentThen = base.absentDescriptions
        var changed = Set(Set(absentNow.keys).union(absentThen.keys).filter { absentNow[$0] != absentThen[$0] })
        for kind in ManifestKind.allCases {
            changed.formUnion(kind.planning.changedAddresses(in: self, since: base, digester: digester))
        }
        return changed
    }

    /// The `ensure: absent` manifests' desired state as text, by address.
    private var absentDescriptions: [ResourceAddress: String] {
        Dictionary(absent.map { ($0.address, "absent cascade \($0.cascade)") }, uniquingKeysWith: { first, _ in first })
    }
}

extension KindPlanning {
    /// The kind's addresses whose desired state differs between `base` and `state`, added and removed
    /// included. Equal objects are the same; unequal ones (a manifest moved in its file, say) are compared
    /// by their descriptions, so that only what a plan compares counts.
    static func changedAddresses(in state: DesiredState, since base: DesiredState,
                                 digester: Digester) -> Set<ResourceAddress> {
        let before = Dictionary(base[keyPath: desiredObjects].map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var changed = Set<ResourceAddress>()
        var seen = Set<ResourceAddress>()
        for object in state[keyPath: desiredObjects] where seen.insert(object.address).inserted {
            guard let earlier = before[object.address] else {
                changed.insert(object.address)
                continue
            }
            if object != earlier
                && describe(object, digester: digester).canonicalText != describe(earlier, digester: digester).canonicalText {
                changed.insert(object.address)
            }
        }
        changed.formUnion(before.keys.filter { !seen.contains($0) })
        return changed
    }
}
