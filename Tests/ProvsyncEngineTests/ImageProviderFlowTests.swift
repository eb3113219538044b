import Foundation
import ProvsyncEngine
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncSandbox
import Testing

/// Image (managed) providers against a sandbox that knows only the images listed, as a real registry does.
@Suite("Engine: image providers")
struct ImageProviderFlowTests {
    static let card = #"{"name": "img-echo", "description": "echo agent", "url": "http://localhost:8000/", "version": "1.0.0", "capabilities": {"streaming": true, "extensions": [{"uri": "https://a2a-extensions.agentstack.beeai.dev/ui/agent-detail/v1", "params": {"variables": [{"name": "API_KEY", "description": "key", "required": true}]}}]}, "defaultInputModes": ["text/plain"], "defaultOutputModes": ["text/plain"], "skills": [{"id": "run", "name": "Run", "description": "runs", "tags": ["image"]}]}"#
    static let images = """
        {"agents/echo:1.0": {"digest": "sha256:\(String(repeating: "1", count: 64))", "card": \(card)},
         "agents/echo:1.1": {"digest": "sha256:\(String(repeating: "2", count: 64))", "card": \(card)},
         "library/pubfoo:latest": {"digest": "sha256:\(String(repeating: "3", count: 64))", "card": \(card)},
         "agents/nolabel:1.0": {"digest": "sha256:\(String(repeating: "4", count: 64))", "card": null, "label_raw": null}}
        """
    static let configuration = SandboxConfiguration(pendingSeconds: 0, processingSeconds: 0,
                                                    images: Data(images.utf8), manualClock: true)

    @Test("short names, registries with ports, pinned origins, explicit cards and variables converge in one apply")
    func converges() async throws {
        let manifests = [
            "manifests/short.yaml": Manifests.agent("pubfoo", variables: ["API_KEY": "k"]),
            "manifests/registry.yaml": Manifests.agent("registry.test:5000/agents/echo:1.0", origin: "team/echo",
                                                       variables: ["API_KEY": "k"]),
            "manifests/card.yaml": Manifests.agent("ghcr.io/agents/nolabel:1.0", extra: """
                  agent_card:
                    name: Explicit
                    description: An explicit card for an image without the label.
                    url: http://localhost:8000/
                    version: "1.0"
                    capabilities: {}
                    defaultInputModes: [text/plain]
                    defaultOutputModes: [text/plain]
                    skills: []

                """),
        ]
        try await withHarness(manifests, sandbox: Self.configuration) { harness in
            let (plan, report) = try await harness.apply()
            #expect(plan.changes.map(\.address.description).sorted() == [
                "agent/docker.io/library/pubfoo", "agent/ghcr.io/agents/nolabel", "agent/team/echo",
            ])
            #expect(!report.isIncomplete, "\(report.results)")
            let live = try await harness.sandbox.reader().agentProviders(origin: nil)
            #expect(Set(live.map(\.state)) == ["missing"])
            #expect(live.map(\.source).sorted() == ["docker.io/library/pubfoo:latest", "ghcr.io/agents/nolabel:1.0",
                                                    "registry.test:5000/agents/echo:1.0"])
            let again = try await harness.plan()
            #expect(again.summaryLine == "No changes.", "\(again.changes.map { ($0.address, $0.differences) })")
            // The probe leaves image providers alone: the card and the pinned origin stay managed.
            try await harness.sandbox.advanceClock(seconds: 11)
            #expect(try await harness.plan().summaryLine == "No changes.")
            // A new tag is a PATCH of the location on the same provider.
            try harness.commit(["manifests/registry.yaml": Manifests.agent(
                "registry.test:5000/agents/echo:1.1", origin: "team/echo", variables: ["API_KEY": "k"])])
            let upgrade = try await harness.apply()
            #expect(upgrade.plan.changes.map(\.action) == [.update])
            #expect(!upgrade.report.isIncomplete, "\(upgrade.report.results)")
            #expect(try await harness.plan().summaryLine == "No changes.")
        }
    }

    @Test("the dry run reports what the registry refuses (a missing tag, no card label) as failing, with the reason")
    func dryRunResolves() async throws {
        let manifests = [
            "manifests/missing-tag.yaml": Manifests.agent("ghcr.io/agents/echo:9.9"),
            "manifests/no-label.yaml": Manifests.agent("registry.test:5000/agents/nolabel:1.0"),
            "manifests/fine.yaml": Manifests.agent("registry.test:5000/agents/echo:1.0"),
        ]
        try await withHarness(manifests, sandbox: Self.configuration) { harness in
            let report = try await harness.inWorkspace { workspace in
                await workspace.dryRun(try await workspace.plan(PlanOptions()).executable)
            }
            let messages = Dictionary(uniqueKeysWithValues: report.results.map { ($0.address.description, $0.outcome) })
            guard case .wouldFail(let missing)? = messages["agent/ghcr.io/agents/echo"] else {
                Issue.record("\(report.results)")
                return
            }
            #expect(missing.contains("Failed to resolve version for 'ghcr.io/agents/echo:9.9'"), "\(missing)")
            guard case .wouldFail(let unlabelled)? = messages["agent/registry.test:5000/agents/nolabel"] else {
                Issue.record("\(report.results)")
                return
            }
            #expect(unlabelled.contains("Docker image labels must contain 'beeai.dev.agent.json'"), "\(unlabelled)")
            #expect(report.failures.count == 2)
            #expect(try await harness.sandbox.writes().totalApplied == 0)
        }
    }
}
