import Testing
import ProvsyncEngine
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncReporting

private func agent(_ name: String, tag: String = "1.0.0") -> String {
    Manifests.agent("ghcr.io/acme/\(name):\(tag)", variables: ["LOG_LEVEL": "info"])
}

private let files = [
    "manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.4.2"),
    "manifests/redis.yaml": Manifests.installation("acme/redis", version: "7.2.4"),
    "manifests/a.yaml": agent("a"), "manifests/b.yaml": agent("b"), "manifests/c.yaml": agent("c"),
    "provsync.yaml": "prune:\n  owns: [\"installation/acme/*\"]\n",
]

/// `plan --base REF --changed-only`: only what the pull request touches is planned, and only its details read.
@Suite("Engine: pull-request plans of the change only")
struct ChangedOnlyFlowTests {
    @Test("only the changed manifests are planned and read in detail; drift elsewhere is left out and said so")
    func changedOnly() async throws {
        try await withHarness(files) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            let base = try harness.repo.commitAll("base")
            // Drift outside the change, made by hand: another agent's variables.
            let listed = try await harness.sandbox.reader().agentProviders()
            let other = try #require(listed.first { $0.origin == "ghcr.io/acme/b" })
            _ = try await harness.sandbox.call("PUT", "/api/v1/providers/\(other.id)/variables",
                                               json: ["variables": ["LOG_LEVEL": "debug"]])
            try harness.commit(["manifests/a.yaml": agent("a", tag: "1.1.0")], removing: ["manifests/redis.yaml"])
            try await harness.sandbox.clearRequests()

            let plan = try await harness.plan(PlanOptions(base: base, changedOnly: true))
            #expect(plan.changes.map { "\($0.action.rawValue) \($0.address)" }
                    == ["update agent/ghcr.io/acme/a", "delete installation/acme/redis"])
            #expect(plan.changes.allSatisfy { $0.isPreExisting == false })
            #expect(plan.scope?.map(\.description) == ["agent/ghcr.io/acme/a", "installation/acme/redis"])
            let target = try #require(listed.first { $0.origin == "ghcr.io/acme/a" })
            let variableReads = try await harness.sandbox.requests(on: "GET /api/v1/providers/{id}/variables")
            #expect(variableReads.map(\.path) == ["/api/v1/providers/\(target.id)/variables"])
            #expect(PlanTextRenderer(colors: false).render(plan).contains("Changed only: 2 objects whose manifests"))
            #expect(PlanMarkdownRenderer().render(plan).contains("drift there is not shown"))
            #expect(try PlanJSONRenderer.render(plan).contains("\"changed_only\" : ["))

            let full = try await harness.plan(PlanOptions(base: base))
            #expect(full.changes.map(\.address.description).contains("agent/ghcr.io/acme/b"), "the full plan shows the drift")
            #expect(full.scope == nil)
        }
    }
}
