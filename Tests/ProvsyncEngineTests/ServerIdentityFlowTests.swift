import ProvsyncEngine
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncSandbox
import Testing

/// Locations whose stored spelling depends on the server's configuration (loopback hosts) are paired by the
/// server's identity, learned from the server, and the dry run checks what preview does not.
@Suite("Engine: the server's identity of a location")
struct ServerIdentityFlowTests {
    @Test("a localhost location converges: the server stores it as host.docker.internal, and the next plan says so")
    func loopbackConverges() async throws {
        try await withHarness(["manifests/a.yaml": Manifests.agent("http://localhost:18601")]) { harness in
            let (plan, report) = try await harness.apply()
            #expect(plan.changes.map(\.action) == [.create])
            #expect(report.applied.count == 1 && !report.isIncomplete, "\(report.results)")
            let live = try await harness.sandbox.reader().agentProviders(origin: nil)
            #expect(live.map(\.source) == ["http://host.docker.internal:18601/"])
            let again = try await harness.plan()
            #expect(again.summaryLine == "No changes.", "\(again.changes)")
            #expect(again.unmanaged.isEmpty)
            #expect(try await harness.drift().resources.allSatisfy { $0.status != .drifted })
        }
    }

    @Test("a provider made by hand at 127.0.0.1 is the one a manifest at localhost manages: no create")
    func handMadeLoopbackPaired() async throws {
        try await withHarness(["manifests/a.yaml": Manifests.agent("http://localhost:18602/", variables: ["K": "v"])]) {
            harness in
            let made = try await harness.sandbox.writer().createAgentProvider(
                AgentProviderRequest(location: "http://127.0.0.1:18602/"))
            let plan = try await harness.plan()
            #expect(plan.changes.map(\.action) == [.update], "\(plan.changes)")
            #expect(plan.changes.first?.differences.map(\.path) == ["variables.K"])
            #expect(plan.unmanaged.isEmpty)
            let (_, report) = try await harness.apply()
            #expect(report.applied.map(\.outcome) == [.applied("updated \(made.id)")], "\(report.results)")
            #expect(try await harness.plan().summaryLine == "No changes.")
        }
    }

    @Test("with the server's local-network setting, host.docker.internal is stored as localhost and converges")
    func localNetworkConverges() async throws {
        let configuration = SandboxConfiguration(pendingSeconds: 0, processingSeconds: 0, localNetwork: true,
                                                 manualClock: true)
        try await withHarness(["manifests/a.yaml": Manifests.agent("http://host.docker.internal:18603/")],
                              sandbox: configuration) { harness in
            let (_, report) = try await harness.apply()
            #expect(!report.isIncomplete, "\(report.results)")
            #expect(try await harness.sandbox.reader().agentProviders(origin: nil).map(\.source)
                    == ["http://localhost:18603/"])
            #expect(try await harness.plan().summaryLine == "No changes.")
        }
    }

    @Test("the dry run reports a create the server would refuse: the id of a provider that moved away")
    func dryRunSeesIdCollision() async throws {
        try await withHarness(["manifests/a.yaml": Manifests.agent("http://agent-a.test:18601/")]) { harness in
            let writer = harness.sandbox.writer()
            let moved = try await writer.createAgentProvider(AgentProviderRequest(location: "http://agent-a.test:18601/"))
            _ = try await writer.updateAgentProvider(id: moved.id, AgentProviderRequest(location: "http://agent-b.test:18602/"))
            let report = try await harness.inWorkspace { workspace in
                let executable = try await workspace.plan(PlanOptions()).executable
                #expect(executable.plan.changes.map(\.action) == [.create])
                return await workspace.dryRun(executable)
            }
            let outcome = try #require(report.results.first?.outcome)
            guard case .wouldFail(let message) = outcome else {
                Issue.record("the dry run accepted a create the server refuses: \(outcome)")
                return
            }
            #expect(message.contains("provider \(moved.id), the id the server derives from http://agent-a.test:18601/"))
            let (_, applied) = try await harness.apply()
            #expect(applied.failures.first?.outcome.message.contains("Duplicate provider found") == true,
                    "\(applied.results)")
        }
    }

    @Test("the dry run reports a create whose location a provider took after the plan")
    func dryRunSeesTakenLocation() async throws {
        try await withHarness(["manifests/a.yaml": Manifests.agent("http://localhost:18604")]) { harness in
            let report = try await harness.inWorkspace { workspace in
                let executable = try await workspace.plan(PlanOptions()).executable
                _ = try await harness.sandbox.writer().createAgentProvider(
                    AgentProviderRequest(location: "http://127.0.0.1:18604/"))
                return await workspace.dryRun(executable)
            }
            let message = try #require(report.failures.first?.outcome.message)
            #expect(message.contains("already holds this location (source http://host.docker.internal:18604/)"))
        }
    }

    @Test("managed variables without the admin credential: one error saying so, before anything is planned")
    func variablesNeedAdmin() async throws {
        let configuration = SandboxConfiguration(token: "store-token", password: "admin-password", pendingSeconds: 0,
                                                 processingSeconds: 0, manualClock: true)
        try await withHarness(["manifests/a.yaml": Manifests.agent("ghcr.io/acme/a:1", variables: ["K": "v"])],
                              environment: ["PROVSYNC_TOKEN": "store-token"], sandbox: configuration) { harness in
            let admin = harness.sandbox.writer(.basic(username: "admin", password: "admin-password"))
            _ = try await admin.createAgentProvider(AgentProviderRequest(location: "ghcr.io/acme/a:1"))
            do {
                let plan = try await harness.plan()
                Issue.record("a plan was made without reading the variables: \(plan.changes)")
            } catch let error as EngineError {
                let summary = try #require(error.summary)
                #expect(summary.hasPrefix("error: reading variables needs an admin credential of the agent API: "
                                          + "the manifests manage `spec.variables`, and GET /api/v1/providers/"))
                #expect(summary.contains("403 Insufficient permissions"))
                #expect(!summary.contains("store-token"))
            }
            do {
                _ = try await harness.drift()
                Issue.record("drift ran without reading the variables")
            } catch let error as EngineError {
                #expect(error.summary?.hasPrefix("error: reading variables needs an admin credential") == true)
            }
        }
    }
}

@Suite("Engine: two manifests the server takes for one provider")
struct SharedServerSourceFlowTests {
    @Test("localhost and 127.0.0.1 at one port are one provider for the server: an error naming both, no write")
    func loopbackTwice() async throws {
        try await withHarness([
            "manifests/a.yaml": Manifests.agent("http://localhost:18607/"),
            "manifests/b.yaml": Manifests.agent("http://127.0.0.1:18607"),
        ]) { harness in
            do {
                let plan = try await harness.plan()
                Issue.record("a plan was made: \(plan.changes)")
            } catch let error as EngineError {
                #expect(error.diagnostics.map(\.description) == [
                    "manifests/b.yaml:1:1: error: agent/http://127.0.0.1:18607/ and agent/http://localhost:18607/ "
                        + "(manifests/a.yaml:1:1) are one provider for the server, which stores both locations as "
                        + "http://host.docker.internal:18607/; keep one of the two manifests",
                ])
            }
            // Only previews (which store nothing) reached the server.
            #expect(try await harness.sandbox.writes().received.keys.sorted() == ["POST /api/v1/providers/preview"])
            #expect(try await harness.sandbox.writes().totalApplied == 0)
        }
    }
}
