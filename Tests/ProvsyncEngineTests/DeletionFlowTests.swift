import Testing
import ProvsyncEngine
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncReporting

private let absent = "ensure: absent\n"
private let postgres = Manifests.installation("acme/postgres", version: "1.4.2")
private let redis = Manifests.installation("acme/redis", version: "7.2.4")
private let agent = Manifests.agent("ghcr.io/acme/research-agent:1.2.0")

private func addresses(_ plan: Plan, _ action: PlanAction) -> [String] {
    plan.changes.filter { $0.action == action }.map(\.address.description)
}

/// Deletions end to end against the sandbox: `ensure: absent`, `prune:` ownership and protection, the
/// delete budget, empty manifest paths, the 409 of an installation with active resources, the dry run.
@Suite("Engine: deletions")
struct DeletionFlowTests {
    @Test("ensure: absent deletes an installation and an agent provider, then plans nothing")
    func ensureAbsent() async throws {
        try await withHarness(["manifests/pg.yaml": postgres, "manifests/agent.yaml": agent]) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            try harness.commit(["manifests/pg.yaml": postgres + absent, "manifests/agent.yaml": agent + absent])
            let (plan, report) = try await harness.apply()
            #expect(addresses(plan, .delete) == ["agent/ghcr.io/acme/research-agent", "installation/acme/postgres"])
            #expect(plan.summaryLine == "Plan: 2 to delete.")
            #expect(!report.isIncomplete, "\(ApplyReportRenderer.render(report, dryRun: false))")
            #expect(try await harness.sandbox.call("GET", "/providers/installed").body == .array([]))
            #expect(try await harness.plan().summaryLine == "No changes.")
            let text = PlanTextRenderer(colors: false).render(plan)
            #expect(text.contains("  -   installation/acme/postgres  (delete: ensure: absent at manifests/pg.yaml:1:1)"))
        }
    }

    @Test("prune.owns deletes an owned object whose manifest left git; unowned and protected ones stay unmanaged")
    func prune() async throws {
        let files = ["manifests/pg.yaml": postgres, "manifests/redis.yaml": redis,
                     "manifests/loki.yaml": Manifests.installation("acme/loki", version: "3.1.0")]
        try await withHarness(files) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            try harness.commit(["provsync.yaml": """
                prune:
                  owns: ["installation/acme/*"]
                  protect: [installation/acme/loki]
                """], removing: ["manifests/redis.yaml", "manifests/loki.yaml"])
            let (plan, report) = try await harness.apply()
            #expect(addresses(plan, .delete) == ["installation/acme/redis"])
            #expect(plan.changes.first?.reason == "no manifest; owned by prune.owns \"installation/acme/*\" at provsync.yaml:2:10")
            #expect(plan.unmanaged.map(\.description) == ["installation/acme/loki"])
            #expect(!report.isIncomplete)
            let left = try await harness.sandbox.requests(on: "DELETE /providers/installed/{org}/{name}")
            #expect(left.compactMap(\.subject) == ["acme/redis"])
        }
    }

    @Test("more deletes than max_deletes: the plan is refused as a whole and nothing is written; --max-deletes allows it")
    func budget() async throws {
        let files = ["manifests/pg.yaml": postgres, "manifests/redis.yaml": redis,
                     "manifests/loki.yaml": Manifests.installation("acme/loki", version: "3.1.0")]
        try await withHarness(files) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            try harness.commit(["provsync.yaml": "prune:\n  owns: [\"installation/*\"]\n  max_deletes: 1\n"],
                               removing: ["manifests/redis.yaml", "manifests/loki.yaml"])
            let before = try await harness.sandbox.writes().totalReceived
            let (plan, report) = try await harness.apply()
            #expect(plan.refusal?.hasPrefix("the plan deletes 2 objects, more than the limit of 1") == true)
            #expect(plan.hasRefusals)
            #expect(report.applied.isEmpty && report.notAttempted.count == 2)
            #expect(try await harness.sandbox.writes().totalReceived == before, "nothing was sent")
            let allowed = try await harness.apply(PlanOptions(maxDeletes: 2))
            #expect(allowed.plan.refusal == nil && !allowed.report.isIncomplete)
        }
    }

    @Test("manifest paths with no manifest never delete: the run stops with an error naming the path")
    func emptyPaths() async throws {
        try await withHarness(["manifests/pg.yaml": postgres]) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            try harness.commit(["provsync.yaml": "prune:\n  owns: [\"installation/*\"]\n",
                                "manifests/empty.yaml": "# every manifest moved away\n"], removing: ["manifests/pg.yaml"])
            await #expect(throws: EngineError.self) { try await harness.apply() }
            let deletes = try await harness.sandbox.requests(on: "DELETE /providers/installed/{org}/{name}")
            #expect(deletes.isEmpty)
            guard case .array(let installed)? = try await harness.sandbox.call("GET", "/providers/installed").body else {
                Issue.record("the installations must be listed")
                return
            }
            #expect(installed.count == 1, "acme/postgres is still installed")
        }
    }

    @Test("an uninstall refused for active resources names policy.cascade and --cascade; with cascade it goes")
    func activeResources() async throws {
        try await withHarness(["manifests/pg.yaml": postgres]) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            try await harness.sandbox.editInstallation("acme/postgres", ["activeResources": 2])
            try harness.commit(["manifests/pg.yaml": postgres + absent])
            let refused = try await harness.apply().report
            guard case .failed(let message)? = refused.results.first?.outcome else {
                Issue.record("the uninstall must fail: \(refused.results)")
                return
            }
            #expect(message.contains("409"))
            #expect(message.contains("set policy.cascade: true in its manifest (ensure: absent) or pass --cascade"))
            let cascaded = try await harness.apply(PlanOptions(cascade: true)).report
            #expect(!cascaded.isIncomplete, "\(cascaded.results)")
            #expect(try await harness.sandbox.call("GET", "/providers/installed").body == .array([]))
        }
    }

    @Test("the dry run reports deletes as would-be and writes nothing")
    func dryRun() async throws {
        try await withHarness(["manifests/pg.yaml": postgres]) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            try harness.commit(["manifests/pg.yaml": postgres + absent])
            let before = try await harness.sandbox.writes().totalReceived
            let report = try await harness.inWorkspace { workspace in
                await workspace.dryRun(try await workspace.plan(PlanOptions()).executable)
            }
            #expect(report.results.map(\.outcome) == [.wouldApply("uninstall")])
            #expect(try await harness.sandbox.writes().totalReceived == before)
        }
    }

    @Test("drift reports an owned live object with no manifest, and one a manifest wants absent, as extra")
    func driftExtra() async throws {
        try await withHarness(["manifests/pg.yaml": postgres, "manifests/redis.yaml": redis]) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            try harness.commit(["provsync.yaml": "prune:\n  owns: [\"installation/acme/redis\"]\n",
                                "manifests/pg.yaml": postgres + absent], removing: ["manifests/redis.yaml"])
            let report = try await harness.drift()
            #expect(!report.inSync)
            #expect(report.resources.map(\.status) == [.extra, .extra])
            #expect(report.resources.map(\.reason) == ["ensure: absent at manifests/pg.yaml:1:1",
                                                        "no manifest; owned by prune.owns \"installation/acme/redis\" at provsync.yaml:2:10"])
            #expect(report.summaryLine == "Drift: 2 extra of 2 managed objects.")
            #expect(try DriftRenderer.json(report).contains("\"extra\" : 2"))
        }
    }

    @Test("a saved plan keeps --max-deletes and --cascade: apply PLANFILE deletes as planned")
    func savedPlan() async throws {
        try await withHarness(["manifests/pg.yaml": postgres, "manifests/redis.yaml": redis]) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            try await harness.sandbox.editInstallation("acme/postgres", ["activeResources": 1])
            try harness.commit(["provsync.yaml": "prune:\n  owns: [\"installation/*\"]\n  max_deletes: 0\n",
                                "manifests/pg.yaml": postgres + absent])
            let path = harness.repo.path + "/plan.json"
            let text = try await harness.savePlan(to: path, options: SavedPlanOptions(maxDeletes: 1, cascade: true))
            #expect(text.contains("\"max_deletes\" : 1") && text.contains("\"cascade\" : true"))
            let (plan, report) = try await harness.applySaved(at: path)
            #expect(plan.refusal == nil)
            #expect(!report.isIncomplete, "\(report.results)")
            let deletes = try await harness.sandbox.requests(on: "DELETE /providers/installed/{org}/{name}")
            #expect(deletes.compactMap(\.subject) == ["acme/postgres"])
        }
    }

    @Test("with --base, the delete of a manifest the pull request removes is made by this change")
    func baseAttribution() async throws {
        try await withHarness(["manifests/pg.yaml": postgres, "manifests/redis.yaml": redis,
                               "provsync.yaml": "prune:\n  owns: [\"installation/*\"]\n"]) { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            let base = try harness.repo.commitAll("base")
            try harness.commit([:], removing: ["manifests/redis.yaml"])
            let plan = try await harness.plan(PlanOptions(base: base))
            let change = try #require(plan.changes.first)
            #expect(change.action == .delete && change.address.description == "installation/acme/redis")
            #expect(change.isPreExisting == false)
        }
    }
}
