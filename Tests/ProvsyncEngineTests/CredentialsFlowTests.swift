import Testing
import ProvsyncEngine
import ProvsyncManifests
import ProvsyncModel
import ProvsyncSandbox

private let storeToken = "st0re-t0ken"
private let agentsPassword = "ag3nts-pa55"
private let agentsToken = "oidc-t0ken"

private let files = [
    "manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.4.2"),
    "manifests/agent.yaml": Manifests.agent("ghcr.io/acme/research-agent:1.2.0", variables: ["LOG_LEVEL": "info"]),
]

/// A sandbox whose store API wants one bearer token and whose agent API wants its admin password (or an OIDC
/// token): the two APIs' credentials differ, as on a real platform.
private let split = SandboxConfiguration(storeToken: storeToken, agentsPassword: agentsPassword, agentsToken: agentsToken,
                                         pendingSeconds: 0, processingSeconds: 0, manualClock: true)

/// Plans and applies the manifests with `environment`, then plans again: the apply's report and whether the
/// second plan is empty.
private func converge(_ harness: EngineHarness, environment: [String: String], env: String? = nil) async throws
    -> (applied: Bool, converged: Bool) {
    var harness = harness
    harness.environment = environment
    var request = harness.request()
    request.environment = env
    let report = try await harness.inWorkspace(request, connection: harness.connection) { workspace in
        await workspace.apply(try await workspace.plan(PlanOptions()).executable)
    }
    let again = try await harness.inWorkspace(request, connection: harness.connection) {
        try await $0.plan(PlanOptions()).plan
    }
    return (!report.isIncomplete, !again.hasChanges)
}

@Suite("Engine: credentials per API")
struct CredentialsFlowTests {
    @Test("PROVSYNC_STORE_TOKEN with PROVSYNC_AGENTS_USERNAME/PASSWORD, or with PROVSYNC_AGENTS_TOKEN: plan and apply work")
    func perAPIVariables() async throws {
        for agents in [["PROVSYNC_AGENTS_USERNAME": "admin", "PROVSYNC_AGENTS_PASSWORD": agentsPassword],
                       ["PROVSYNC_AGENTS_PASSWORD": agentsPassword], ["PROVSYNC_AGENTS_TOKEN": agentsToken]] {
            try await withHarness(files, sandbox: split) { harness in
                let result = try await converge(harness, environment: agents.merging(["PROVSYNC_STORE_TOKEN": storeToken]) { $1 })
                #expect(result.applied && result.converged, "\(agents.keys.sorted())")
            }
        }
    }

    @Test("the per-API variables win over PROVSYNC_TOKEN and PROVSYNC_USERNAME/PASSWORD, which serve an API without its own")
    func precedence() async throws {
        try await withHarness(files, sandbox: split) { harness in
            let wrongShared = ["PROVSYNC_TOKEN": "wrong-shared", "PROVSYNC_USERNAME": "u", "PROVSYNC_PASSWORD": "wrong-pw"]
            let result = try await converge(harness, environment: wrongShared.merging(
                ["PROVSYNC_STORE_TOKEN": storeToken, "PROVSYNC_AGENTS_PASSWORD": agentsPassword]) { $1 })
            #expect(result.applied && result.converged)
            // The agent API without its own variables falls back to the shared Basic pair.
            let fallback = try await converge(harness, environment: [
                "PROVSYNC_STORE_TOKEN": storeToken, "PROVSYNC_USERNAME": "u", "PROVSYNC_PASSWORD": agentsPassword,
            ])
            #expect(fallback.applied && fallback.converged)
        }
    }

    @Test("one shared token for both differing APIs fails on the agent API, naming it and its variables, and no secret")
    func sharedTokenRefused() async throws {
        try await withHarness(files, sandbox: split) { harness in
            var harness = harness
            harness.environment = ["PROVSYNC_TOKEN": storeToken]
            let report = try await harness.apply().report
            let agent = try #require(report.results.first { $0.address.kind == .agentProvider })
            guard case .failed(let message) = agent.outcome else {
                Issue.record("the agent API must refuse the store token: \(agent.outcome)")
                return
            }
            #expect(message.contains("403"))
            #expect(message.contains("credentials for the agent API come from PROVSYNC_AGENTS_TOKEN, or "
                                     + "PROVSYNC_AGENTS_USERNAME and PROVSYNC_AGENTS_PASSWORD, or PROVSYNC_TOKEN"), "\(message)")
            #expect(!message.contains(storeToken))
            let installation = try #require(report.results.first { $0.address.kind == .installation })
            #expect(installation.outcome.message.hasPrefix("1.4.2"), "the store API takes the shared token")
        }
    }

    @Test("an environment's credentials: only the variables it names, never the PROVSYNC_* ones, and they are secret")
    func environmentCredentials() async throws {
        var layered = files
        layered["provsync.yaml"] = """
            environments:
              production:
                paths: [manifests]
                credentials: {store_token: PROD_STORE_TOKEN, agents_username: PROD_USER, agents_password: PROD_PASSWORD}
            """
        try await withHarness(layered, sandbox: split) { harness in
            let named = ["PROD_STORE_TOKEN": storeToken, "PROD_USER": "admin", "PROD_PASSWORD": agentsPassword,
                         "PROVSYNC_STORE_TOKEN": "staging-token", "PROVSYNC_AGENTS_PASSWORD": "staging-pw"]
            let result = try await converge(harness, environment: named, env: "production")
            #expect(result.applied && result.converged)
            var unset = harness
            unset.environment = ["PROVSYNC_STORE_TOKEN": storeToken, "PROVSYNC_AGENTS_PASSWORD": agentsPassword]
            var request = unset.request()
            request.environment = "production"
            await #expect(throws: EngineError.self, "PROD_* unset: the PROVSYNC_* values are not sent instead") {
                _ = try await unset.inWorkspace(request, connection: unset.connection) { try await $0.plan(PlanOptions()) }
            }
            var secretsHarness = harness
            secretsHarness.environment = named
            var secretsRequest = secretsHarness.request()
            secretsRequest.environment = "production"
            let secrets = try await secretsHarness.inWorkspace(secretsRequest, connection: secretsHarness.connection) {
                $0.secrets
            }
            #expect(secrets.values.contains(storeToken) && secrets.values.contains(agentsPassword))
        }
    }
}
