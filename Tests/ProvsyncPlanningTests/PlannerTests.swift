import Foundation
import Testing
import ProvsyncModel
@testable import ProvsyncPlanning
@testable import ProvsyncReporting

private let here = SourceLocation(file: "manifests/m.yaml", line: 1, column: 1)
private let source = ManifestSource(repository: "/repo", ref: "HEAD", commit: String(repeating: "a", count: 40),
                                    isWorkingTree: false)

private func manifests(_ bodies: [Manifest.Body]) -> ManifestSet {
    ManifestSet(source: source, manifests: bodies.map { Manifest($0, location: here, identityLocation: here) })
}

private func plan(
    _ bodies: [Manifest.Body], live: LiveSnapshot, environment: [String: String] = [:],
    options: PlanningOptions = PlanningOptions(salt: "s")
) throws -> ExecutablePlan {
    let desired = try DesiredState.resolve(manifests(bodies), environment: environment).get()
    return Planner.plan(source: source, desired: desired, live: live, options: options)
}

private func installation(
    _ name: String = "acme/pg", version: String? = "1.4.2", tier: ResourceTier = .standard,
    upgrade: UpgradePolicy = .manual, config: [String: TemplatedString] = [:], policy: ManifestPolicy = ManifestPolicy()
) -> Manifest.Body {
    .installation(InstallationManifest(providerName: name, version: version, resourceTier: tier, upgradePolicy: upgrade,
                                       config: config, policy: policy))
}

private func live(_ name: String = "acme/pg", version: String = "1.4.2", tier: String = "standard",
                  upgrade: String = "manual", config: [String: String] = [:]) -> LiveInstallation {
    LiveInstallation(providerName: name, installedVersion: version, upgradePolicy: upgrade, resourceTier: tier,
                     config: config)
}

/// An agent provider PATCH as a plan holds it.
private struct Patch: Equatable {
    var id: String
    var request: AgentProviderRequest

    init(id: String, _ request: AgentProviderRequest) {
        self.id = id
        self.request = request
    }
}

private func patch(_ operation: PlannedOperation?) -> Patch? {
    guard case .agentProvider(.update(let update))? = operation else { return nil }
    return Patch(id: update.id, update.request)
}

private let secret = TemplatedString(segments: [.environment(name: "PW", location: here)])

@Suite("Installation planning")
struct InstallationPlanningTests {
    @Test("an absent installation is installed with every desired field shown")
    func install() throws {
        let result = try plan([installation(config: ["LOG": TemplatedString(literal: "info"), "PW": secret])],
                              live: LiveSnapshot(), environment: ["PW": "hunter2"])
        let change = try #require(result.plan.changes.first)
        #expect(change.action == .install)
        #expect(change.reason == "not installed")
        #expect(change.differences.map(\.path) == ["version", "resource_tier", "upgrade_policy", "config.LOG", "config.PW"])
        guard case .sensitive = change.differences.last?.after else {
            Issue.record("a value from the environment must be sensitive")
            return
        }
        #expect(result.operations[change.address] == .installation(.install(InstallRequest(
            providerName: "acme/pg", version: "1.4.2", resourceTier: .standard, upgradePolicy: .manual,
            config: ["LOG": "info", "PW": "hunter2"]
        ))))
    }

    @Test("version changes are upgrades or downgrades by semantic version; auto upgrades may run ahead of the pin",
          arguments: [
              ("1.4.0", UpgradePolicy.manual, PlanAction?.some(.upgrade)),
              ("1.10.0", .manual, .some(.downgrade)),
              ("1.10.0", .auto, nil),
              ("1.4.0", .auto, .some(.upgrade)),
              ("1.4.2", .manual, nil),
          ])
    func versions(installed: String, policy: UpgradePolicy, expected: PlanAction?) throws {
        let result = try plan([installation(upgrade: policy)],
                              live: LiveSnapshot(installations: [live(version: installed, upgrade: policy.rawValue)]))
        #expect(result.plan.changes.first?.action == expected)
    }

    @Test("without a pinned version the installed version is never compared")
    func unpinned() throws {
        let result = try plan([installation(version: nil)], live: LiveSnapshot(installations: [live(version: "9.9.9")]))
        #expect(!result.plan.hasChanges)
        #expect(result.plan.summaryLine == "No changes.")
    }

    @Test("config, tier or policy changes are a replace, refused unless allowed; the reinstall keeps the live version")
    func replace() throws {
        let body = installation(version: nil, tier: .performance, config: ["LOG": TemplatedString(literal: "debug")])
        let current = LiveSnapshot(installations: [live(version: "1.3.0", config: ["LOG": "info"])])
        let refused = try plan([body], live: current)
        let change = try #require(refused.plan.changes.first)
        #expect(change.action == .replace)
        #expect(change.reason == "config, resource_tier changed; only uninstall + install changes them")
        #expect(change.refusal != nil)
        #expect(change.differences.map(\.path) == ["resource_tier", "config.LOG"])
        guard case .installation(.replace(let request))? = refused.operations[change.address] else {
            Issue.record("replace expected")
            return
        }
        #expect(request.version == "1.3.0")
        let allowed = try plan([body], live: current, options: PlanningOptions(allowReplace: true, salt: "s"))
        #expect(allowed.plan.changes.first?.refusal == nil)
        let byPolicy = try plan([installation(version: nil, tier: .performance, policy: ManifestPolicy(allowReplace: true))],
                                live: current)
        #expect(byPolicy.plan.changes.first?.refusal == nil)
    }

    @Test("ignored paths are never diffed")
    func ignore() throws {
        let body = installation(config: ["LOG": TemplatedString(literal: "debug")],
                                policy: ManifestPolicy(ignore: ["config.*", "version"]))
        let result = try plan([body], live: LiveSnapshot(installations: [live(version: "1.0.0", config: ["LOG": "info", "X": "y"])]))
        #expect(!result.plan.hasChanges)
    }

    @Test("a changed secret shows as changed without either value, in every output")
    func secrets() throws {
        let body = installation(config: ["PW": secret, "KEY": TemplatedString(literal: "plain-but-sensitive")],
                                policy: ManifestPolicy(sensitive: ["config.KEY"]))
        let result = try plan([body], live: LiveSnapshot(installations: [live(config: ["PW": "old-secret", "KEY": "old-key"])]),
                              environment: ["PW": "new-secret"], options: PlanningOptions(allowReplace: true, salt: "s"))
        let change = try #require(result.plan.changes.first)
        #expect(change.differences.count == 2)
        for difference in change.differences {
            guard case .sensitive(let before) = difference.before, case .sensitive(let after) = difference.after else {
                Issue.record("\(difference.path) must be redacted on both sides")
                continue
            }
            #expect(before != after)
        }
        let outputs = [PlanTextRenderer(colors: false).render(result.plan), try PlanJSONRenderer.render(result.plan),
                       try PlanFile(result.plan, saved: SavedPlanOptions()).encoded()]
        for output in outputs {
            for value in ["new-secret", "old-secret", "plain-but-sensitive", "old-key"] {
                #expect(!output.contains(value), "\(value) leaked")
            }
            #expect(output.contains("(sensitive)"))
        }
    }

    @Test("an unset environment variable is an error at its reference")
    func unsetVariable() {
        let result = DesiredState.resolve(manifests([installation(config: ["PW": secret])]), environment: [:])
        guard case .failure(let error) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.diagnostics.map(\.description) == ["manifests/m.yaml:1:1: error: environment variable PW is not set"])
    }
}

@Suite("Agent provider planning")
struct AgentProviderPlanningTests {
    private func agent(
        location: String = "ghcr.io/acme/a:1.0.0", origin: String? = nil, timeout: Int? = nil,
        variables: [String: TemplatedString]? = nil, card: JSONValue? = nil, policy: ManifestPolicy = ManifestPolicy()
    ) -> Manifest.Body {
        let derived = (try? AgentLocation.parse(location).get())?.origin ?? location
        return .agentProvider(AgentProviderManifest(
            location: location, origin: origin ?? derived, originIsPinned: origin != nil, autoStopTimeoutSec: timeout,
            variables: variables, agentCard: card, policy: policy
        ))
    }

    private func liveAgent(source: String = "ghcr.io/acme/a:1.0.0", origin: String = "ghcr.io/acme/a",
                           timeout: Int? = 1200, variables: [String: String]? = [:], card: JSONValue? = nil,
                           registry: String? = nil) -> LiveAgentProvider {
        LiveAgentProvider(id: "id-1", source: source, origin: origin, agentCard: card, autoStopTimeoutSec: timeout,
                          variables: variables, registry: registry)
    }

    @Test("an absent provider is created; a pinned origin is always sent")
    func create() throws {
        let result = try plan([agent(origin: "acme-a")], live: LiveSnapshot())
        let change = try #require(result.plan.changes.first)
        #expect(change.action == .create)
        #expect(change.address.description == "agent/acme-a")
        #expect(result.operations[change.address] == .agentProvider(.create(AgentProviderCreate(
            request: AgentProviderRequest(location: "ghcr.io/acme/a:1.0.0", origin: "acme-a"),
            source: "ghcr.io/acme/a:1.0.0", origin: "acme-a"))))
    }

    @Test("absent variables and card are not managed; an absent timeout means the API's default")
    func unmanagedFields() throws {
        let result = try plan([agent()], live: LiveSnapshot(agentProviders: [
            liveAgent(timeout: 1200, variables: ["X": "1"], card: ["name": "Whatever"]),
        ]))
        #expect(!result.plan.hasChanges)
        let shortened = try plan([agent()], live: LiveSnapshot(agentProviders: [liveAgent(timeout: 60)]))
        let change = try #require(shortened.plan.changes.first)
        #expect(change.differences == [FieldDifference(path: "auto_stop_timeout_sec", before: .value(60), after: .value(1200))])
        #expect(patch(shortened.operations[change.address]) == Patch(id: "id-1", AgentProviderRequest(autoStopTimeoutSec: 1200)))
    }

    @Test("cards compare after the API's normalisation, ignoring the proxy-rewritten fields")
    func cards() throws {
        let desired: JSONValue = ["name": "A", "description": "", "skills": [["id": "s", "name": "Old"]]]
        let liveCard: JSONValue = ["name": "A", "protocolVersion": "0.3.0", "preferredTransport": "JSONRPC",
                                   "url": "http://proxy/a2a/id-1/", "additionalInterfaces": [["url": "x"]],
                                   "skills": [["id": "s", "name": "Old"]]]
        let same = try plan([agent(card: desired)], live: LiveSnapshot(agentProviders: [liveAgent(card: liveCard)]))
        #expect(!same.plan.hasChanges)
        let renamed: JSONValue = ["name": "A", "skills": [["id": "s", "name": "New"]]]
        let changed = try plan([agent(card: renamed)], live: LiveSnapshot(agentProviders: [liveAgent(card: liveCard)]))
        let change = try #require(changed.plan.changes.first)
        #expect(change.action == .update)
        #expect(change.differences == [FieldDifference(path: "agent_card.skills[0].name", before: .value("Old"),
                                                       after: .value("New"))])
        #expect(patch(changed.operations[change.address]) == Patch(id: "id-1", AgentProviderRequest(agentCard: renamed)))
    }

    @Test("variables are replaced as a set, keeping the live values of ignored ones")
    func variables() throws {
        let body = agent(variables: ["A": TemplatedString(literal: "2")], policy: ManifestPolicy(ignore: ["variables.KEEP"]))
        let result = try plan([body], live: LiveSnapshot(agentProviders: [liveAgent(variables: ["A": "1", "KEEP": "k", "GONE": "g"])]))
        let change = try #require(result.plan.changes.first)
        #expect(change.differences.map(\.path) == ["variables.A", "variables.GONE"])
        #expect(patch(result.operations[change.address]) == Patch(id: "id-1", AgentProviderRequest(
            variables: ["A": "2", "KEEP": "k"]
        )))
    }

    @Test("a new location and timeout are updates; providers from a registry are refused")
    func locationAndRegistry() throws {
        let result = try plan([agent(location: "ghcr.io/acme/a:2.0.0", timeout: 900)], live: LiveSnapshot(agentProviders: [
            liveAgent(registry: "https://registry.example/agents"),
        ]))
        let change = try #require(result.plan.changes.first)
        #expect(change.reason == "auto_stop_timeout_sec, location changed")
        #expect(change.refusal?.contains("registry") == true)
        #expect(patch(result.operations[change.address]) == Patch(id: "id-1", AgentProviderRequest(
            location: "ghcr.io/acme/a:2.0.0", autoStopTimeoutSec: 900
        )))
    }
}

@Suite("Plans")
struct PlanTests {
    @Test("unmanaged live objects are listed; --target limits the changes; the summary follows the table's order")
    func unmanagedTargetsSummary() throws {
        let bodies: [Manifest.Body] = [installation("acme/a"), installation("acme/b"), installation("acme/c", version: "2.0.0")]
        let current = LiveSnapshot(installations: [live("acme/c", version: "1.0.0"), live("acme/legacy")])
        let all = try plan(bodies, live: current)
        #expect(all.plan.unmanaged.map(\.description) == ["installation/acme/legacy"])
        #expect(all.plan.summaryLine == "Plan: 2 to install, 1 to upgrade.")
        let targeted = try plan(bodies, live: current, options: PlanningOptions(targets: ["installation/acme/c"], salt: "s"))
        #expect(targeted.plan.changes.map(\.address.description) == ["installation/acme/c"])
        let wildcard = try plan(bodies, live: current, options: PlanningOptions(targets: ["installation/acme/*"], salt: "s"))
        #expect(wildcard.plan.changes.count == 3)
    }

    @Test("the JSON plan has the spec's shape")
    func jsonShape() throws {
        let result = try plan([installation("acme/a")], live: LiveSnapshot(installations: [live("acme/old")]))
        let text = try PlanJSONRenderer.render(result.plan)
        for fragment in ["\"format_version\" : \"1\"", "\"install\" : 1", "\"address\" : \"installation/acme/a\"",
                         "\"kind\" : \"Installation\"", "\"action\" : \"install\"", "\"file\" : \"manifests/m.yaml\"",
                         "\"before\" : null", "\"unmanaged\" : [", "\"address\" : \"installation/acme/old\""] {
            #expect(text.contains(fragment), "missing \(fragment)")
        }
    }

    @Test("text plans show markers, differences and the summary last")
    func textShape() throws {
        let result = try plan([installation("acme/a", version: "1.4.2")],
                              live: LiveSnapshot(installations: [live("acme/a", version: "1.4.0")]))
        let text = PlanTextRenderer(colors: false).render(result.plan)
        #expect(text.contains("  ~   installation/acme/a  (upgrade: version 1.4.0 → 1.4.2)"))
        #expect(text.contains("version: \"1.4.0\" → \"1.4.2\""))
        #expect(text.hasSuffix("Plan: 1 to upgrade."))
    }

    @Test("many objects are planned side by side: each comes out as it does when planned alone, in address order")
    func manyObjects() throws {
        var bodies: [Manifest.Body] = []
        var installations: [LiveInstallation] = []
        var agents: [LiveAgentProvider] = []
        for index in 0..<400 {
            let name = "acme/s\(1000 + index)"
            bodies.append(installation(name, config: ["N": TemplatedString(literal: "\(index)")]))
            if index % 11 != 0 {
                installations.append(live(name, version: index % 7 == 0 ? "1.4.0" : "1.4.2", config: ["N": "\(index)"]))
            }
            let location = "ghcr.io/acme/agent\(1000 + index):1.0.0"
            bodies.append(.agentProvider(AgentProviderManifest(
                location: location, origin: "ghcr.io/acme/agent\(1000 + index)", autoStopTimeoutSec: 600,
                variables: ["K": TemplatedString(literal: "v")], agentCard: ["name": .string("A\(index)")]
            )))
            if index % 13 != 0 {
                agents.append(LiveAgentProvider(
                    id: "id-\(index)", source: "ghcr.io/acme/agent\(1000 + index):1.0.0",
                    origin: "ghcr.io/acme/agent\(1000 + index)", agentCard: ["name": .string("A\(index)")],
                    autoStopTimeoutSec: index % 5 == 0 ? 900 : 600, variables: ["K": "v"]
                ))
            }
        }
        let current = LiveSnapshot(installations: installations, agentProviders: agents)
        let whole = try plan(bodies, live: current).plan
        #expect(whole.changes.map(\.address) == whole.changes.map(\.address).sorted())
        var expectedChanges: [PlannedChange] = []
        var expectedFingerprints: [String: String] = [:]
        for body in bodies {
            let alone = try plan([body], live: current).plan
            expectedChanges += alone.changes
            expectedFingerprints.merge(alone.unchangedFingerprints) { first, _ in first }
        }
        #expect(whole.changes == expectedChanges.sorted { $0.address < $1.address })
        #expect(whole.unchangedFingerprints == expectedFingerprints)
        #expect(whole.changes.count == 37 + 52 + 31 + 73)  // installs, upgrades, creates, timeout updates
        #expect(whole.desiredDigest.count == 64 && whole.unchangedFingerprints.count == 800 - whole.changes.count)

        // Without digests (no saved plan): the same changes, nothing recorded for staleness checks.
        let lean = try plan(bodies, live: current, options: PlanningOptions(salt: "s", recordsDigests: false)).plan
        #expect(lean.changes == whole.changes)
        #expect(lean.desiredDigest.isEmpty && lean.unchangedFingerprints.isEmpty)
    }
}

@Suite("Review findings")
struct ReviewFindingTests {
    private let agentLive = LiveAgentProvider(id: "id-1", source: "ghcr.io/acme/a:1.0.0", origin: "ghcr.io/acme/a",
                                              agentCard: ["name": "A", "ratio": 1, "big": 1000],
                                              autoStopTimeoutSec: 300, variables: ["A": "1", "OLD_KEY": "sk-old"])

    private func agent(_ policy: ManifestPolicy = ManifestPolicy(), card: JSONValue? = nil, origin: String? = nil,
                       variables: [String: TemplatedString]? = nil) -> Manifest.Body {
        .agentProvider(AgentProviderManifest(location: "ghcr.io/acme/a:1.0.0", origin: origin ?? "ghcr.io/acme/a",
                                             originIsPinned: origin != nil, autoStopTimeoutSec: 900,
                                             variables: variables, agentCard: card, policy: policy))
    }

    @Test("an ignored field is neither shown nor sent")
    func ignoredFieldNotSent() throws {
        let result = try plan([agent(ManifestPolicy(ignore: ["auto_stop_timeout_sec"]), variables: ["A": TemplatedString(literal: "2")])],
                              live: LiveSnapshot(agentProviders: [agentLive]))
        let change = try #require(result.plan.changes.first)
        guard let request = patch(result.operations[change.address])?.request else {
            Issue.record("update expected")
            return
        }
        #expect(request.autoStopTimeoutSec == nil)
    }

    @Test("whole numbers in cards compare equal whichever way JSON wrote them")
    func cardNumbers() throws {
        let result = try plan([agent(card: ["name": "A", "ratio": .number(1.0), "big": .number(1000)])],
                              live: LiveSnapshot(agentProviders: [LiveAgentProvider(
                                  id: "id-1", source: "ghcr.io/acme/a:1.0.0", origin: "ghcr.io/acme/a",
                                  agentCard: ["name": "A", "ratio": 1, "big": 1000], autoStopTimeoutSec: 900)]))
        #expect(!result.plan.hasChanges)
    }

    @Test("pinning a new origin on an existing location is an update of the origin, not a second create")
    func originChange() throws {
        let result = try plan([agent(origin: "acme-a")], live: LiveSnapshot(agentProviders: [agentLive]))
        let change = try #require(result.plan.changes.first)
        #expect(change.action == .update)
        #expect(change.differences.first == FieldDifference(path: "origin", before: .value("ghcr.io/acme/a"),
                                                            after: .value("acme-a")))
        #expect(result.plan.unmanaged.isEmpty)
    }

    @Test("values under a sensitive path and variables leaving the manifest are redacted")
    func redaction() throws {
        let card: JSONValue = ["name": "A", "ratio": 1, "big": 1000, "securitySchemes": ["api": ["token": "internal-token"]]]
        let result = try plan([agent(ManifestPolicy(sensitive: ["agent_card.securitySchemes.api.token"]), card: card,
                                     variables: ["A": TemplatedString(literal: "1")])],
                              live: LiveSnapshot(agentProviders: [agentLive]))
        let text = PlanTextRenderer(colors: false).render(result.plan) + (try PlanJSONRenderer.render(result.plan))
        #expect(!text.contains("internal-token"))
        #expect(!text.contains("sk-old"))
        #expect(text.contains("variables.OLD_KEY"))
    }

    @Test("a replace keeps an auto-upgraded version and the live values of ignored config keys")
    func replaceKeepsState() throws {
        let body = installation(version: "7.2.4", tier: .performance, upgrade: .auto,
                                policy: ManifestPolicy(ignore: ["config.LOG_LEVEL"], allowReplace: true))
        let result = try plan([body], live: LiveSnapshot(installations: [
            live(version: "7.4.0", upgrade: "auto", config: ["LOG_LEVEL": "info"]),
        ]))
        let change = try #require(result.plan.changes.first)
        guard case .installation(.replace(let request))? = result.operations[change.address] else {
            Issue.record("replace expected")
            return
        }
        #expect(request.version == "7.4.0")
        #expect(request.config == ["LOG_LEVEL": "info"])
        #expect(!change.differences.contains { $0.path == "version" })
    }

    @Test("a card PATCH keeps the live values at ignored card paths")
    func cardKeepsIgnored() throws {
        let live = LiveAgentProvider(id: "id-1", source: "ghcr.io/acme/a:1.0.0", origin: "ghcr.io/acme/a",
                                     agentCard: ["name": "A", "description": "set by hand", "meta": ["owner": "team-x"]],
                                     autoStopTimeoutSec: 900)
        let result = try plan([agent(ManifestPolicy(ignore: ["agent_card.description", "agent_card.meta.owner"]),
                                     card: ["name": "B"])],
                              live: LiveSnapshot(agentProviders: [live]))
        let change = try #require(result.plan.changes.first)
        guard let request = patch(result.operations[change.address])?.request else {
            Issue.record("update expected")
            return
        }
        #expect(request.agentCard == ["name": "B", "description": "set by hand", "meta": ["owner": "team-x"]])
        #expect(change.differences.map(\.path) == ["agent_card.name"])
    }
}
