import Foundation
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncSandbox
import Testing

@Suite("LiveReader against the sandbox")
struct SnapshotTests {
    static let research = "ghcr.io/acme/research-agent"
    static let network = "https://agents.example.com/"

    /// A whole A2A card (the recorded server refuses one without its required fields).
    static let remoteCard: JSONValue = [
        "name": "Remote", "description": "", "url": "https://agents.example.com/", "version": "1.0.0",
        "capabilities": [:], "defaultInputModes": ["text/plain"], "defaultOutputModes": ["text/plain"], "skills": [],
    ]

    /// Installs two providers and creates two agents through the writer.
    static func populate(_ sandbox: LiveSandbox) async throws {
        let writer = sandbox.writer()
        _ = try await writer.install(InstallRequest(
            providerName: "acme/postgres", version: "1.4.2", resourceTier: .performance, upgradePolicy: .manual,
            config: ["LOG_LEVEL": "info", "DB_PASSWORD": "s3cret"]
        ))
        _ = try await writer.install(InstallRequest(
            providerName: "acme/redis", version: nil, resourceTier: .free, upgradePolicy: .auto, config: [:]
        ))
        _ = try await writer.createAgentProvider(AgentProviderRequest(location: "\(research):1.2.0"))
        _ = try await writer.createAgentProvider(AgentProviderRequest(
            location: "https://agents.example.com", agentCard: remoteCard,
            variables: ["API_KEY": "k-1", "MODE": "fast"], autoStopTimeoutSec: 90
        ))
    }

    @Test("a snapshot decodes every field of installations and agent providers")
    func decodesEveryField() async throws {
        try await withSandbox { sandbox in
            try await Self.populate(sandbox)
            let snapshot = try await sandbox.reader().snapshot(parallelism: 4, details: VariablesOf(origins: [Self.network]))

            #expect(snapshot.installations.map(\.providerName) == ["acme/postgres", "acme/redis"])
            let postgres = try #require(snapshot.installations.first)
            #expect(postgres.installedVersion == "1.4.2")
            #expect(postgres.currentVersion == "1.4.2")
            #expect(postgres.resourceTier == "performance")
            #expect(postgres.upgradePolicy == "manual")
            #expect(postgres.config == ["LOG_LEVEL": "info", "DB_PASSWORD": "s3cret"])
            #expect(postgres.lifecycleState == "ready")
            #expect(postgres.health == "healthy")
            #expect(postgres.healthMessage == nil)
            #expect(postgres.updatedAt?.isEmpty == false)
            let redis = try #require(snapshot.installations.last)
            #expect(redis.installedVersion == "7.2.4")
            #expect(redis.resourceTier == "free")
            #expect(redis.upgradePolicy == "auto")
            #expect(redis.config == [:])

            #expect(snapshot.agentProviders.map(\.origin) == [Self.research, Self.network])
            let agent = snapshot.agentProviders[0]
            #expect(agent.source == "\(Self.research):1.2.0")
            #expect(agent.id.count == 36)
            // An image provider with no deployment reads `missing` on the recorded server (image_providers.json).
            #expect(agent.state == "missing")
            #expect(agent.autoStopTimeoutSec == 1200)
            #expect(agent.missingConfiguration == ["OPENAI_API_KEY"])
            #expect(agent.variables == nil, "not managed: variables are not read")
            #expect(agent.registry == nil)
            #expect(agent.lastError == nil)
            #expect(agent.updatedAt?.isEmpty == false)
            guard case .object(let card)? = agent.agentCard else {
                Issue.record("no agent card")
                return
            }
            #expect(card["name"] == "Research")
            #expect(card["protocolVersion"] == "0.3.0")

            let remote = snapshot.agentProviders[1]
            #expect(remote.source == Self.network)
            // Network providers read offline until the server's first probe (background_refresh.json).
            #expect(remote.state == "offline")
            #expect(remote.autoStopTimeoutSec == 90)
            #expect(remote.variables == ["API_KEY": "k-1", "MODE": "fast"])
            #expect(remote.missingConfiguration == [])
            if case .object(let remoteCard)? = remote.agentCard {
                #expect(remoteCard["name"] == "Remote")
                #expect(remoteCard["skills"] == .array([]), "the recorded server keeps empty lists")
            } else {
                Issue.record("no agent card on the network provider")
            }
        }
    }

    @Test("registry, last_error and the error state are decoded")
    func registryAndLastError() async throws {
        try await withSandbox { sandbox in
            let created = try await sandbox.writer().createAgentProvider(AgentProviderRequest(location: "acme/broken:2"))
            try await sandbox.editProvider(id: created.id, ["lastError": "image pull failed", "registry": "hub"])
            let provider = try #require(try await sandbox.reader().agentProvider(id: created.id))
            #expect(provider.lastError == "image pull failed")
            #expect(provider.registry == "hub")
            #expect(provider.state == "error")
            #expect(provider.origin == "docker.io/acme/broken")
            #expect(provider.source == "docker.io/acme/broken:2")
        }
    }

    @Test("variables are read only for managed origins, one GET each", arguments: [1, 3])
    func variablesOnlyForManaged(parallelism: Int) async throws {
        try await withSandbox { sandbox in
            let writer = sandbox.writer()
            var origins: [String] = []
            for index in 0..<5 {
                let created = try await writer.createAgentProvider(AgentProviderRequest(
                    location: "ghcr.io/acme/agent-\(index):1.0", variables: ["INDEX": "\(index)"]
                ))
                origins.append(created.origin)
            }
            try await sandbox.clearRequests()
            let managed = Set([origins[0], origins[2], origins[4], "ghcr.io/acme/not-deployed"])
            let snapshot = try await sandbox.reader().snapshot(parallelism: parallelism, details: VariablesOf(origins: managed))

            for provider in snapshot.agentProviders {
                let index = try #require(origins.firstIndex(of: provider.origin))
                #expect(provider.variables == (managed.contains(provider.origin) ? ["INDEX": "\(index)"] : nil))
            }
            let variableReads = try await sandbox.requests(on: "GET /api/v1/providers/{id}/variables")
            #expect(variableReads.count == 3)
            let managedIDs = Set(snapshot.agentProviders.filter { managed.contains($0.origin) }.map(\.id))
            #expect(Set(variableReads.compactMap(\.subject)) == managedIDs)
            #expect(try await sandbox.requests(on: "GET /providers/installed").count == 1)
            #expect(try await sandbox.requests(on: "GET /api/v1/providers").count == 1)
        }
    }

    @Test("single reads: installation by name, agent by origin and by id, versions")
    func singleReads() async throws {
        try await withSandbox { sandbox in
            try await Self.populate(sandbox)
            let reader = sandbox.reader()
            #expect(try await reader.installation(named: "acme/redis")?.installedVersion == "7.2.4")
            #expect(try await reader.installation(named: "acme/absent") == nil)

            let agent = try #require(try await reader.agentProvider(origin: Self.network, includingVariables: true))
            #expect(agent.variables == ["API_KEY": "k-1", "MODE": "fast"])
            #expect(try await reader.agentProvider(origin: "ghcr.io/acme/nothing") == nil)
            let byID = try await reader.agentProvider(id: agent.id)
            #expect(byID?.origin == Self.network)
            #expect(byID?.variables == nil)
            #expect(try await reader.agentProvider(id: "00000000-0000-0000-0000-000000000000") == nil)

            #expect(try await reader.versions(of: "acme/postgres") == ["1.5.0", "1.4.2", "1.4.0", "1.3.0"])
            let originQueries = try await sandbox.requests(on: "GET /api/v1/providers").count
            #expect(originQueries == 2)
        }
    }

    @Test("preview returns the provider as it would be and stores nothing")
    func preview() async throws {
        try await withSandbox { sandbox in
            let previewed = try await sandbox.reader().preview(AgentProviderRequest(
                location: "ghcr.io/acme/research-agent:2.0.0", autoStopTimeoutSec: 600
            ))
            #expect(previewed.origin == Self.research)
            #expect(previewed.source == "ghcr.io/acme/research-agent:2.0.0")
            // The recorded server's preview ignores auto_stop_timeout_sec and answers its default (preview.json).
            #expect(previewed.autoStopTimeoutSec == 1200)
            #expect(previewed.missingConfiguration == ["OPENAI_API_KEY"])
            let snapshot = try await sandbox.reader().snapshot(parallelism: 2, details: NoDetails())
            #expect(snapshot.agentProviders.isEmpty)
        }
    }
}
