import Testing
import ProvsyncApplying
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncPlanning

private let here = SourceLocation(file: "manifests/m.yaml", line: 1, column: 1)
private let source = ManifestSource(repository: "/repo", ref: "HEAD", commit: nil, isWorkingTree: true)

private func installation(_ name: String, version: String) -> Manifest {
    Manifest(.installation(InstallationManifest(providerName: name, version: version, resourceTier: .standard,
                                                upgradePolicy: .manual, config: [:], policy: ManifestPolicy())),
             location: here, identityLocation: here)
}

private func agent(_ location: String, origin: String, timeout: Int, variables: [String: String]) -> Manifest {
    Manifest(.agentProvider(AgentProviderManifest(
        location: location, origin: origin, autoStopTimeoutSec: timeout,
        variables: variables.mapValues(TemplatedString.init(literal:))
    )), location: here, identityLocation: here)
}

/// Plans `manifests` against the sandbox's live state as it is now.
private func plan(_ manifests: [Manifest], in sandbox: LiveSandbox) async throws -> ExecutablePlan {
    let desired = try DesiredState.resolve(ManifestSet(source: source, manifests: manifests), environment: [:]).get()
    let live = try await sandbox.reader().snapshot(details: VariablesOf(origins: Set(desired.agentProviders.map(\.manifest.origin))))
    return Planner.plan(source: source, desired: desired, live: live, options: PlanningOptions(salt: "salt"))
}

@Suite("Concurrent applies")
struct ConcurrentApplyTests {
    @Test("an object changed between plan and write is left alone and reported; the others are applied")
    func changedSincePlan() async throws {
        try await withSandbox { sandbox in
            let writer = sandbox.writer()
            for name in ["acme/postgres", "acme/prometheus"] {
                _ = try await writer.install(InstallRequest(providerName: name, version: name == "acme/postgres"
                    ? "1.3.0" : "2.7.1", resourceTier: .standard, upgradePolicy: .manual, config: [:]))
            }
            let research = try await writer.createAgentProvider(AgentProviderRequest(
                location: "ghcr.io/acme/research-agent:1.0.0", origin: "ghcr.io/acme/research-agent",
                variables: ["MODEL": "small"], autoStopTimeoutSec: 600))
            let writerAgent = try await writer.createAgentProvider(AgentProviderRequest(
                location: "ghcr.io/acme/writer-agent:1.0.0", origin: "ghcr.io/acme/writer-agent",
                variables: ["MODEL": "small"], autoStopTimeoutSec: 600))

            // This job's plan: upgrade both installations, update both agents, create a third agent.
            let executable = try await plan([
                installation("acme/postgres", version: "1.4.2"),
                installation("acme/prometheus", version: "2.9.0"),
                agent("ghcr.io/acme/research-agent:1.1.0", origin: "ghcr.io/acme/research-agent", timeout: 900,
                      variables: ["MODEL": "large"]),
                agent("ghcr.io/acme/writer-agent:1.1.0", origin: "ghcr.io/acme/writer-agent", timeout: 900,
                      variables: ["MODEL": "large"]),
                agent("ghcr.io/acme/triage-agent:1.0.0", origin: "ghcr.io/acme/triage-agent", timeout: 900,
                      variables: [:]),
            ], in: sandbox)
            #expect(executable.plan.changes.map(\.action) == [.update, .create, .update, .upgrade, .upgrade])

            // Another job applies its own, newer changes after this plan was made.
            _ = try await writer.upgrade(providerName: "acme/postgres", to: "1.5.0")
            _ = try await writer.updateAgentProvider(id: research.id, AgentProviderRequest(variables: ["MODEL": "newer"]))
            _ = try await writer.createAgentProvider(AgentProviderRequest(
                location: "ghcr.io/acme/triage-agent:2.0.0", origin: "ghcr.io/acme/triage-agent"))
            try await sandbox.clearRequests()

            let report = await Applier(reader: sandbox.reader(), writer: writer, parallelism: 4).apply(executable)
            let outcomes = Dictionary(uniqueKeysWithValues: report.results.map { ($0.address.description, $0.outcome) })
            for address in ["installation/acme/postgres", "agent/ghcr.io/acme/research-agent",
                            "agent/ghcr.io/acme/triage-agent"] {
                guard case .notAttempted(let why) = outcomes[address] else {
                    Issue.record("\(address) must not be applied over a newer change: \(String(describing: outcomes[address]))")
                    continue
                }
                #expect(why.contains("after the plan was made"))
                #expect(why.contains("run plan again"))
            }
            guard case .applied = outcomes["installation/acme/prometheus"], case .applied = outcomes["agent/ghcr.io/acme/writer-agent"]
            else {
                Issue.record("unchanged objects are applied: \(outcomes)")
                return
            }
            #expect(report.isIncomplete)

            // Nothing was written to the three changed objects: the other job's state stands.
            let writes = try await sandbox.requests().filter { $0.method != "GET" }
            #expect(writes.map(\.route).sorted() == ["PATCH /api/v1/providers/{id}",
                                                    "POST /providers/installed/{org}/{name}/upgrade"])
            #expect(writes.allSatisfy { $0.subject != research.id && $0.subject != "acme/postgres" })
            #expect(try await sandbox.reader().installation(named: "acme/postgres")?.installedVersion == "1.5.0")
            #expect(try await sandbox.reader().variables(providerID: research.id) == ["MODEL": "newer"])
            #expect(try await sandbox.reader().variables(providerID: writerAgent.id) == ["MODEL": "large"])
        }
    }

    @Test("checks of installations share list reads instead of reading the whole list once per change")
    func sharedReads() async throws {
        try await withSandbox { sandbox in
            let writer = sandbox.writer()
            let names = (0..<12).map { "acme/service-\($0)" }
            for name in names {
                try await sandbox.publish(name)
                _ = try await writer.install(InstallRequest(providerName: name, version: "1.0.0", resourceTier: .standard,
                                                            upgradePolicy: .manual, config: [:]))
            }
            let executable = try await plan(names.map { installation($0, version: "1.2.0") }, in: sandbox)
            try await sandbox.clearRequests()
            let report = await Applier(reader: sandbox.reader(), writer: writer, parallelism: 4).apply(executable)
            #expect(report.applied.count == 12)
            let lists = try await sandbox.requests(on: "GET /providers/installed").count
            #expect(lists >= 1 && lists < 12)
        }
    }
}
