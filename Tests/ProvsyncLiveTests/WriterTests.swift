import Foundation
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncSandbox
import Testing

@Suite("LiveWriter against the sandbox")
struct WriterTests {
    @Test("install, upgrade, downgrade and uninstall change the installation")
    func installationLifecycle() async throws {
        try await withSandbox { sandbox in
            let writer = sandbox.writer()
            let installed = try await writer.install(InstallRequest(
                providerName: "acme/postgres", version: "1.3.0", resourceTier: .standard, upgradePolicy: .manual,
                config: ["A": "1"]
            ))
            #expect(installed.lifecycleState == "pending")
            #expect(installed.installedVersion == "1.3.0")
            #expect(installed.currentVersion == nil)

            let upgraded = try await writer.upgrade(providerName: "acme/postgres", to: "1.4.2")
            #expect(upgraded.installedVersion == "1.4.2")
            let latest = try await writer.upgrade(providerName: "acme/postgres", to: nil)
            #expect(latest.installedVersion == "1.5.0")
            let downgraded = try await writer.downgrade(providerName: "acme/postgres", to: "1.4.0")
            #expect(downgraded.installedVersion == "1.4.0")
            #expect(downgraded.lifecycleState == "pending")

            try await writer.uninstall(providerName: "acme/postgres", cascade: false)
            #expect(try await sandbox.reader().installation(named: "acme/postgres") == nil)
            let deletes = try await sandbox.requests(on: "DELETE /providers/installed/{org}/{name}")
            #expect(deletes.map(\.status) == [204])
            #expect(deletes.first?.path == "/providers/installed/acme/postgres")
        }
    }

    @Test("install without a version gets the latest one (version sent as null)")
    func installLatest() async throws {
        try await withSandbox { sandbox in
            let installed = try await sandbox.writer().install(InstallRequest(
                providerName: "acme/loki", version: nil, resourceTier: .standard, upgradePolicy: .manual, config: [:]
            ))
            #expect(installed.installedVersion == "3.1.0")
        }
    }

    @Test("create and PATCH an agent provider; nil fields keep their value")
    func agentCreateAndPatch() async throws {
        try await withSandbox { sandbox in
            let writer = sandbox.writer()
            let created = try await writer.createAgentProvider(AgentProviderRequest(
                location: "ghcr.io/acme/research-agent:1.2.0", origin: "ghcr.io/acme/research-agent",
                variables: ["OPENAI_API_KEY": "sk-1"], autoStopTimeoutSec: 300
            ))
            #expect(created.autoStopTimeoutSec == 300)
            #expect(created.missingConfiguration == [])

            let patched = try await writer.updateAgentProvider(id: created.id, AgentProviderRequest(
                location: "ghcr.io/acme/research-agent:1.3.0", origin: "ghcr.io/acme/research-agent"
            ))
            #expect(patched.id == created.id, "a PATCH that changes the location keeps the id")
            #expect(patched.source == "ghcr.io/acme/research-agent:1.3.0")
            #expect(patched.autoStopTimeoutSec == 300, "an omitted field keeps its value")
            let reader = sandbox.reader()
            let reread = try #require(try await reader.agentProvider(id: created.id, includingVariables: true))
            #expect(reread.variables == ["OPENAI_API_KEY": "sk-1"], "omitted variables are kept")

            let cleared = try await writer.updateAgentProvider(id: created.id, AgentProviderRequest(
                origin: "ghcr.io/acme/research-agent", variables: [:], autoStopTimeoutSec: 1800
            ))
            #expect(cleared.autoStopTimeoutSec == 1800)
            #expect(cleared.missingConfiguration == ["OPENAI_API_KEY"])
            #expect(try await reader.variables(providerID: created.id) == [:])
        }
    }

    @Test("origin is sent only when given: without it the server recomputes it from the location")
    func originOnlyWhenGiven() async throws {
        try await withSandbox { sandbox in
            let writer = sandbox.writer()
            let created = try await writer.createAgentProvider(AgentProviderRequest(
                location: "ghcr.io/acme/a:1", origin: "acme-pinned"
            ))
            #expect(created.origin == "acme-pinned")
            let kept = try await writer.updateAgentProvider(id: created.id, AgentProviderRequest(
                origin: "acme-pinned", autoStopTimeoutSec: 60
            ))
            #expect(kept.origin == "acme-pinned")
            let recomputed = try await writer.updateAgentProvider(id: created.id, AgentProviderRequest(
                autoStopTimeoutSec: 61
            ))
            #expect(recomputed.origin == "ghcr.io/acme/a")
        }
    }
}
