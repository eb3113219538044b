import ProvsyncEngine
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import Testing

/// The flows that depend on pairing desired with live objects: each converges in one apply.
@Suite("Engine: pairing manifests with live objects")
struct ReconciliationFlowTests {
    @Test("an origin pinned on an existing provider converges in one apply, variables read through the pairing")
    func pinnedOrigin() async throws {
        try await withHarness(["manifests/a.yaml": Manifests.agent("ghcr.io/acme/a:1", variables: ["K": "v"])]) { harness in
            #expect(try await harness.apply().report.applied.count == 1)
            try harness.commit(["manifests/a.yaml": Manifests.agent("ghcr.io/acme/a:1", origin: "ghcr.io/acme/custom",
                                                                   variables: ["K": "v"])])
            let plan = try await harness.plan()
            let change = try #require(plan.changes.first)
            #expect(plan.changes.count == 1)
            #expect(change.action == .update)
            #expect(change.differences == [FieldDifference(path: "origin", before: .value("ghcr.io/acme/a"),
                                                           after: .value("ghcr.io/acme/custom"))])
            let (_, report) = try await harness.apply()
            #expect(report.applied.count == 1 && !report.isIncomplete, "\(report.results)")
            #expect(try await harness.plan().summaryLine == "No changes.")
        }
    }

    @Test("an origin changed by hand is repaired by one apply")
    func driftedOrigin() async throws {
        try await withHarness(["manifests/a.yaml": Manifests.agent("ghcr.io/acme/a:1", variables: ["K": "v"])]) { harness in
            try await harness.apply()
            let id = try #require(try await harness.sandbox.reader().agentProviders(origin: nil).first?.id)
            try await harness.sandbox.editProvider(id: id, ["origin": "hand-made"])
            let plan = try await harness.plan()
            #expect(plan.changes.map(\.action) == [.update])
            #expect(plan.changes.first?.differences.map(\.path) == ["origin"])
            #expect(plan.unmanaged.isEmpty)
            let (_, report) = try await harness.apply()
            #expect(!report.isIncomplete, "\(report.results)")
            #expect(try await harness.plan().summaryLine == "No changes.")
            #expect(try await harness.sandbox.reader().agentProvider(id: id)?.origin == "ghcr.io/acme/a")
        }
    }

    @Test("drift reads health from the paired provider, also when its origin drifted")
    func driftHealthOfPaired() async throws {
        try await withHarness(["manifests/a.yaml": Manifests.agent("ghcr.io/acme/a:1", origin: "ghcr.io/acme/custom")]) {
            harness in
            try await harness.apply()
            let id = try #require(try await harness.sandbox.reader().agentProviders(origin: nil).first?.id)
            try await harness.sandbox.editProvider(id: id, ["origin": "hand-made", "lastError": "image pull failed"])
            let report = try await harness.drift()
            let resource = try #require(report.resources.first)
            #expect(resource.status == .unhealthy)
            #expect(resource.health == "error: image pull failed")
            #expect(resource.differences.map(\.path) == ["origin"])
            #expect(report.unmanaged.isEmpty)
        }
    }

    @Test("a live provider two manifests claim is one clear error naming both, and nothing is planned")
    func claimedTwice() async throws {
        try await withHarness(["manifests/a.yaml": Manifests.agent("ghcr.io/acme/a:1")]) { harness in
            try await harness.apply()
            // b pins a new origin at a's location (pairing by location); a keeps its origin at a new tag.
            try harness.commit([
                "manifests/a.yaml": Manifests.agent("ghcr.io/acme/a:2"),
                "manifests/b.yaml": Manifests.agent("ghcr.io/acme/a:1", origin: "ghcr.io/acme/b"),
            ])
            let writes = try await harness.sandbox.writes().totalReceived
            do {
                _ = try await harness.plan()
                Issue.record("a plan was made although two manifests claim one provider")
            } catch let error as EngineError {
                #expect(error.diagnostics.count == 1)
                let message = error.diagnostics.first?.description ?? ""
                #expect(message.hasPrefix("manifests/b.yaml:1:1: error: agent/ghcr.io/acme/b and agent/ghcr.io/acme/a "
                                          + "(manifests/a.yaml:1:1) both match the live AgentProvider"))
                #expect(error.summary == "nothing was planned: each live object may be managed by one manifest only")
            }
            #expect(try await harness.sandbox.writes().totalReceived == writes)
        }
    }

    @Test("variables are read only for paired providers whose manifests manage them")
    func variablesOnlyWhereManaged() async throws {
        try await withHarness([
            "manifests/a.yaml": Manifests.agent("ghcr.io/acme/a:1", variables: ["K": "v"]),
            "manifests/b.yaml": Manifests.agent("ghcr.io/acme/b:1"),
        ]) { harness in
            try await harness.apply()
            _ = try await harness.sandbox.writer().createAgentProvider(AgentProviderRequest(location: "ghcr.io/acme/c:1"))
            try await harness.sandbox.clearRequests()
            let plan = try await harness.plan()
            #expect(plan.summaryLine == "No changes.")
            #expect(plan.unmanaged.map(\.description) == ["agent/ghcr.io/acme/c"])
            let reads = try await harness.sandbox.requests(on: "GET /api/v1/providers/{id}/variables")
            #expect(reads.count == 1)
        }
    }

    @Test("a create is not sent when a provider took its location after the plan, under another origin")
    func createCheckByLocation() async throws {
        try await withHarness(["manifests/a.yaml": Manifests.agent("http://agent-a.test:18601/")]) { harness in
            try await harness.inWorkspace { workspace in
                let executable = try await workspace.plan(PlanOptions()).executable
                #expect(executable.plan.changes.map(\.action) == [.create])
                _ = try await harness.sandbox.writer().createAgentProvider(AgentProviderRequest(
                    location: "http://agent-a.test:18601", origin: "team/by-hand"))
                let report = await workspace.apply(executable)
                guard case .notAttempted(let why)? = report.results.first?.outcome else {
                    Issue.record("the create must not be sent: \(report.results)")
                    return
                }
                #expect(why.hasPrefix("an agent provider at this location ("))
                #expect(why.hasSuffix("after the plan was made (by another apply, or by hand), so nothing was sent: "
                                      + "run plan again to see the live state"))
            }
            #expect(try await harness.sandbox.requests(on: "POST /api/v1/providers").count == 1, "only the one by hand")
        }
    }
}
