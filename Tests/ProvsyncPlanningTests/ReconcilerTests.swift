import ProvsyncModel
import ProvsyncPlanning
import Testing

private let source = ManifestSource(repository: "/repo", ref: "HEAD", commit: nil, isWorkingTree: true)

private func desired(_ bodies: [(Manifest.Body, Int)]) throws -> DesiredState {
    let manifests = bodies.map { body, line in
        Manifest(body, location: SourceLocation(file: "manifests/m.yaml", line: line, column: 1),
                 identityLocation: SourceLocation(file: "manifests/m.yaml", line: line, column: 1))
    }
    return try DesiredState.resolve(ManifestSet(source: source, manifests: manifests), environment: [:]).get()
}

private func agent(_ location: String, origin: String? = nil, variables: Bool = false) -> Manifest.Body {
    let derived = (try? AgentLocation.parse(location).get())?.origin ?? location
    return .agentProvider(AgentProviderManifest(location: location, origin: origin ?? derived, originIsPinned: origin != nil,
                                                variables: variables ? [:] : nil))
}

private func live(_ id: String, _ source: String, origin: String) -> LiveAgentProvider {
    LiveAgentProvider(id: id, source: source, origin: origin)
}

@Suite("Reconciler")
struct ReconcilerTests {
    @Test("installations pair by org/name; unpaired live objects are live-only")
    func installations() throws {
        let state = try desired([(.installation(InstallationManifest(providerName: "acme/a")), 1),
                                 (.installation(InstallationManifest(providerName: "acme/b")), 2)])
        let pairing = Reconciler.reconcile(state, with: LiveSnapshot(installations: [
            LiveInstallation(providerName: "acme/b", installedVersion: "1.0.0"),
            LiveInstallation(providerName: "acme/z", installedVersion: "1.0.0"),
        ]))
        #expect(pairing.installations.pairs.map { $0.live?.providerName } == [nil, "acme/b"])
        #expect(pairing.installations.desiredOnly.map(\.address.name) == ["acme/a"])
        #expect(pairing.unmanaged.map(\.description) == ["installation/acme/z"])
        #expect(pairing.conflicts.isEmpty)
    }

    @Test("a live object an API lists twice is one warning; the first row listed is the one paired")
    func listedTwice() throws {
        let state = try desired([(.installation(InstallationManifest(providerName: "acme/a")), 1)])
        let pairing = Reconciler.reconcile(state, with: LiveSnapshot(installations: [
            LiveInstallation(providerName: "acme/a", installedVersion: "1.0.0"),
            LiveInstallation(providerName: "acme/a", installedVersion: "2.0.0"),
            LiveInstallation(providerName: "acme/a", installedVersion: "3.0.0"),
        ]))
        #expect(pairing.liveDuplicates.map(\.description) == [
            "warning: the store API listed installation/acme/a (acme/a) more than once; the first row listed is the one "
                + "compared with the manifests",
        ])
        #expect(pairing.installations.pairs.first?.live?.installedVersion == "1.0.0")
        #expect(pairing.conflicts.isEmpty)
        let drift = DriftAnalyzer.report(pairing, source: source, salt: "s")
        #expect(drift.warnings == pairing.liveDuplicates, "drift warns too")
    }

    @Test("agent providers pair by origin, preferring the one at the manifest's source, then the lowest id")
    func byOrigin() throws {
        let state = try desired([(agent("ghcr.io/acme/a:2"), 1)])
        let candidates = [live("id-2", "ghcr.io/acme/a:1", origin: "ghcr.io/acme/a"),
                          live("id-3", "ghcr.io/acme/a:2", origin: "ghcr.io/acme/a"),
                          live("id-1", "ghcr.io/acme/a:0", origin: "ghcr.io/acme/a")]
        let atSource = Reconciler.reconcile(state, with: LiveSnapshot(agentProviders: candidates))
        #expect(atSource.agentProviders.pairs.first?.live?.id == "id-3")
        #expect(atSource.unmanaged.count == 1, "the other two share one address")
        let lowest = Reconciler.reconcile(state, with: LiveSnapshot(agentProviders: [candidates[0], candidates[2]]))
        #expect(lowest.agentProviders.pairs.first?.live?.id == "id-1")
    }

    @Test("which details to read: the live objects the detail-needing manifests pair with, as a full pairing says")
    func detailSelection() throws {
        let state = try desired([(agent("ghcr.io/acme/a:1", variables: true), 1),
                                 (agent("ghcr.io/acme/b:1"), 2),  // no variables: no details needed
                                 (agent("ghcr.io/acme/c:1", variables: true), 3),
                                 (agent("ghcr.io/acme/d:1", variables: true), 4),  // nothing live
                                 (.installation(InstallationManifest(providerName: "acme/x")), 5)])
        let listed = LiveSnapshot(installations: [LiveInstallation(providerName: "acme/x", installedVersion: "1.0.0")],
                                  agentProviders: [live("id-a", "ghcr.io/acme/a:0", origin: "ghcr.io/acme/a"),
                                                   live("id-b", "ghcr.io/acme/b:1", origin: "ghcr.io/acme/b"),
                                                   live("id-c", "ghcr.io/acme/c:1", origin: "ghcr.io/acme/c"),
                                                   live("id-z", "ghcr.io/acme/z:1", origin: "ghcr.io/acme/z")])
        let full = Reconciler.reconcile(state, with: listed)
        for kind in ManifestKind.allCases {
            #expect(Reconciler.identitiesNeedingDetails(of: kind, desired: state, listed: listed)
                    == full.identitiesNeedingDetails(of: kind))
        }
        #expect(Reconciler.identitiesNeedingDetails(of: .agentProvider, desired: state, listed: listed) == ["id-a", "id-c"])
        let scope: Set<ResourceAddress> = [try #require(state.agentProviders.last?.address)]
        let scoped = Reconciler.identitiesNeedingDetails(of: .agentProvider, desired: state, listed: listed, scope: scope)
        #expect(scoped.isEmpty, "the scoped manifest has nothing live")
        let scopeC: Set<ResourceAddress> = [state.agentProviders[2].address]
        #expect(Reconciler.identitiesNeedingDetails(of: .agentProvider, desired: state, listed: listed, scope: scopeC)
                == full.identitiesNeedingDetails(of: .agentProvider, scope: scopeC))
    }

    @Test("without a provider of its origin, a manifest pairs with the provider at its location")
    func bySource() throws {
        let state = try desired([(agent("ghcr.io/acme/a:1", origin: "custom"), 1)])
        let pairing = Reconciler.reconcile(state, with: LiveSnapshot(agentProviders: [
            live("id-1", "ghcr.io/acme/a:1", origin: "ghcr.io/acme/a"),
        ]))
        #expect(pairing.agentProviders.pairs.first?.live?.id == "id-1")
        #expect(pairing.unmanaged.isEmpty)
    }

    @Test("a live object two manifests claim is one error at the later manifest, naming both; the later stays unpaired")
    func claimedTwice() throws {
        let state = try desired([(agent("ghcr.io/acme/a:2"), 1), (agent("ghcr.io/acme/a:1", origin: "ghcr.io/acme/b"), 7)])
        let pairing = Reconciler.reconcile(state, with: LiveSnapshot(agentProviders: [
            live("id-1", "ghcr.io/acme/a:1", origin: "ghcr.io/acme/a"),
        ]))
        #expect(pairing.agentProviders.pairs.map { $0.live?.id } == ["id-1", nil])
        #expect(pairing.conflicts.map(\.description) == [
            "manifests/m.yaml:7:1: error: agent/ghcr.io/acme/b and agent/ghcr.io/acme/a (manifests/m.yaml:1:1) both match "
                + "the live AgentProvider id-1 (agent/ghcr.io/acme/a); a live object is managed by one manifest: change the "
                + "location or origin of one of them",
        ])
    }

    @Test("details are asked for only for paired providers whose manifests need them")
    func details() throws {
        let state = try desired([(agent("ghcr.io/acme/a:1", variables: true), 1), (agent("ghcr.io/acme/b:1"), 2),
                                 (agent("ghcr.io/acme/c:1", variables: true), 3)])
        let pairing = Reconciler.reconcile(state, with: LiveSnapshot(agentProviders: [
            live("id-a", "ghcr.io/acme/a:1", origin: "ghcr.io/acme/a"), live("id-b", "ghcr.io/acme/b:1", origin: "ghcr.io/acme/b"),
        ]))
        #expect(pairing.identitiesNeedingDetails(of: .agentProvider) == ["id-a"])
        #expect(pairing.identitiesNeedingDetails(of: .installation).isEmpty)
    }

    @Test("reconciling only some kinds leaves the others empty")
    func someKinds() throws {
        let state = try desired([(.installation(InstallationManifest(providerName: "acme/a")), 1), (agent("ghcr.io/acme/a:1"), 2)])
        let pairing = Reconciler.reconcile(state, with: LiveSnapshot(), kinds: [.agentProvider])
        #expect(pairing.installations.pairs.isEmpty)
        #expect(pairing.agentProviders.pairs.count == 1)
    }
}
