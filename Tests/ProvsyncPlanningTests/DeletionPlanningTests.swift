import Testing
import ProvsyncModel
@testable import ProvsyncPlanning

private let source = ManifestSource(repository: "/repo", ref: "HEAD", commit: nil, isWorkingTree: false)
private let config = ProvsyncModel.SourceLocation(file: "provsync.yaml", line: 2, column: 10)

private func at(_ file: String) -> ProvsyncModel.SourceLocation { ProvsyncModel.SourceLocation(file: file, line: 1, column: 1) }

private func installation(_ name: String, ensure: Ensure = .present, cascade: Bool = false,
                          config: [String: TemplatedString] = [:]) -> Manifest {
    Manifest(.installation(InstallationManifest(
        providerName: name, version: "1.0.0", resourceTier: .standard, upgradePolicy: .manual, config: config,
        policy: ManifestPolicy(cascade: cascade)
    )), location: at("manifests/\(name.split(separator: "/").last ?? "").yaml"),
        identityLocation: at("manifests/x.yaml"), ensure: ensure)
}

private func agent(_ location: String, ensure: Ensure = .present) -> Manifest {
    let origin = (try? AgentLocation.parse(location).get())?.origin ?? location
    return Manifest(.agentProvider(AgentProviderManifest(
        location: location, origin: origin, originIsPinned: false, autoStopTimeoutSec: nil, variables: nil,
        agentCard: nil, policy: ManifestPolicy()
    )), location: at("manifests/agent.yaml"), identityLocation: at("manifests/agent.yaml"), ensure: ensure)
}

private func live(_ name: String) -> LiveInstallation {
    LiveInstallation(providerName: name, installedVersion: "1.0.0", upgradePolicy: "manual", resourceTier: "standard",
                     config: [:])
}

private func liveAgent(_ id: String, _ source: String) -> LiveAgentProvider {
    let origin = (try? AgentLocation.parse(source).get())?.origin ?? source
    return LiveAgentProvider(id: id, source: source, origin: origin, agentCard: nil, autoStopTimeoutSec: 1200,
                             variables: nil)
}

private func rules(owns: [String] = [], protect: [String] = [], maxDeletes: Int? = nil) -> PruneRules {
    PruneRules(owns: owns.map { Located($0, at: config) }, protect: protect.map { Located($0, at: config) },
               maxDeletes: maxDeletes)
}

private func plan(_ manifests: [Manifest], live: LiveSnapshot, prune: PruneRules? = nil,
                  options: PlanningOptions = PlanningOptions(salt: "s")) throws -> ExecutablePlan {
    var desired = try DesiredState.resolve(ManifestSet(source: source, manifests: manifests), environment: [:]).get()
    desired.prune = prune
    return Planner.plan(source: source, desired: desired, live: live, options: options)
}

@Suite("Deletions: ensure: absent, prune ownership and the budget")
struct DeletionPlanningTests {
    @Test("ensure: absent deletes a live object, with the manifest as the reason, and plans nothing when it is gone")
    func ensureAbsent() throws {
        let manifest = installation("acme/old", ensure: .absent, config: ["KEY": TemplatedString(segments: [.environment(name: "UNSET", location: at("manifests/old.yaml"))])])
        let present = try plan([manifest], live: LiveSnapshot(installations: [live("acme/old")]))
        let change = try #require(present.plan.changes.first)
        #expect(present.plan.changes.count == 1)
        #expect(change.action == .delete)
        #expect(change.reason == "ensure: absent at manifests/old.yaml:1:1")
        #expect(present.operations[change.address] == .installation(.uninstall(providerName: "acme/old", cascade: false)))
        #expect(present.plan.unmanaged.isEmpty)
        #expect(present.plan.summaryLine == "Plan: 1 to delete.")
        #expect(try plan([manifest], live: LiveSnapshot()).plan.changes.isEmpty, "nothing to delete, nothing planned")
    }

    @Test("policy.cascade and --cascade send cascade=true; an agent provider is deleted by its id")
    func cascadeAndAgents() throws {
        let world = LiveSnapshot(installations: [live("acme/a"), live("acme/b")],
                                 agentProviders: [liveAgent("p-1", "ghcr.io/acme/x:1")])
        let manifests = [installation("acme/a", ensure: .absent, cascade: true), installation("acme/b", ensure: .absent),
                         agent("ghcr.io/acme/x:2", ensure: .absent)]
        let planned = try plan(manifests, live: world).operations
        #expect(planned[.installation(providerName: "acme/a")] == .installation(.uninstall(providerName: "acme/a", cascade: true)))
        #expect(planned[.installation(providerName: "acme/b")] == .installation(.uninstall(providerName: "acme/b", cascade: false)))
        #expect(planned[.agent(origin: "ghcr.io/acme/x")] == .agentProvider(.delete(id: "p-1", origin: "ghcr.io/acme/x")))
        let forced = try plan(manifests, live: world, options: PlanningOptions(salt: "s", cascade: true)).operations
        #expect(forced[.installation(providerName: "acme/b")] == .installation(.uninstall(providerName: "acme/b", cascade: true)))
    }

    @Test("owned live objects without a manifest are deleted; unowned stay unmanaged; protected are never deleted")
    func ownership() throws {
        let world = LiveSnapshot(installations: [live("acme/kept"), live("acme/stray"), live("acme/billing"),
                                                 live("other/thing")])
        let result = try plan([installation("acme/kept")], live: world,
                              prune: rules(owns: ["installation/acme/*"], protect: ["installation/acme/billing"])).plan
        #expect(result.changes.map(\.address.description) == ["installation/acme/stray"])
        #expect(result.changes.first?.reason == "no manifest; owned by prune.owns \"installation/acme/*\" at provsync.yaml:2:10")
        #expect(result.changes.first?.manifest == config)
        #expect(result.unmanaged.map(\.description) == ["installation/acme/billing", "installation/other/thing"])
    }

    @Test("protect wins over ensure: absent: the delete is planned refused")
    func protectWins() throws {
        let result = try plan([installation("acme/billing", ensure: .absent)],
                              live: LiveSnapshot(installations: [live("acme/billing")]),
                              prune: rules(protect: ["installation/acme/billing"])).plan
        let change = try #require(result.changes.first)
        #expect(change.action == .delete)
        #expect(change.refusal?.hasPrefix("protected by prune.protect \"installation/acme/billing\" (provsync.yaml:2:10)") == true)
        #expect(result.hasRefusals)
    }

    @Test("with no manifest at all, prune.owns deletes nothing")
    func emptyManifestsNeverPrune() throws {
        let result = try plan([], live: LiveSnapshot(installations: [live("acme/a")]),
                              prune: rules(owns: ["installation/*"])).plan
        #expect(result.changes.isEmpty)
        #expect(result.unmanaged.map(\.description) == ["installation/acme/a"])
    }

    @Test("more deletes than the limit refuse the whole plan, listing them; --max-deletes raises the limit")
    func budget() throws {
        let names = (1...4).map { "acme/p\($0)" }
        let world = LiveSnapshot(installations: names.map(live) + [live("acme/kept")])
        let prune = rules(owns: ["installation/acme/*"], maxDeletes: 3)
        let refused = try plan([installation("acme/kept")], live: world, prune: prune).plan
        #expect(refused.changes.count == 4)
        #expect(refused.refusal == "the plan deletes 4 objects, more than the limit of 3, so nothing is applied: "
                + "installation/acme/p1, installation/acme/p2, installation/acme/p3, installation/acme/p4; if every one "
                + "is meant, pass --max-deletes 4 (or raise prune.max_deletes in provsync.yaml)")
        let allowed = try plan([installation("acme/kept")], live: world, prune: prune,
                               options: PlanningOptions(salt: "s", maxDeletes: 4)).plan
        #expect(allowed.refusal == nil)
        let defaulted = try plan([installation("acme/kept")], live: LiveSnapshot(installations: (1...6).map { live("acme/q\($0)") }),
                                 prune: rules(owns: ["installation/acme/*"])).plan
        #expect(defaulted.refusal?.contains("more than the limit of \(PruneRules.defaultMaxDeletes)") == true)
    }

    @Test("--target limits deletes like every other change")
    func targets() throws {
        let world = LiveSnapshot(installations: [live("acme/a"), live("acme/b")])
        let result = try plan([installation("acme/a", ensure: .absent), installation("acme/b", ensure: .absent)], live: world,
                              options: PlanningOptions(targets: ["installation/acme/b"], salt: "s")).plan
        #expect(result.changes.map(\.address.description) == ["installation/acme/b"])
    }
}
