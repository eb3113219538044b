import ProvsyncEngine
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncPlanning
import Testing

/// `--target` and `drift --ignore` patterns that match nothing are errors naming the closest address, not a
/// silent `No changes.`.
@Suite("Engine: patterns that match nothing")
struct PatternFlowTests {
    @Test("a --target typo is an error naming the closest address; nothing is planned")
    func targetTypo() async throws {
        try await withHarness(["manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.4.2")]) { harness in
            do {
                let plan = try await harness.plan(PlanOptions(targets: ["installation/acme/postgress"]))
                Issue.record("a plan was made for a target that matches nothing: \(plan.summaryLine)")
            } catch let error as EngineError {
                #expect(error.diagnostics.map(\.description) == [
                    "error: --target installation/acme/postgress matches no manifest and no live object; did you mean "
                        + "\"installation/acme/postgres\"?",
                ])
            }
            // Patterns that match (a manifest, a wildcard, an unmanaged live object) plan as before.
            try await harness.sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/hand-made"])
            let plan = try await harness.plan(PlanOptions(targets: ["installation/acme/*", "installation/acme/hand-made"]))
            #expect(plan.changes.map(\.address.description) == ["installation/acme/postgres"])
        }
    }

    @Test("a drift --ignore rule whose address matches nothing is an error")
    func ignoreTypo() async throws {
        try await withHarness(["manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.4.2")]) { harness in
            let rule = try #require(IgnoreRule(parsing: "installation/acme/postgre:config.A"))
            do {
                _ = try await harness.inWorkspace { try await $0.drift(ignoring: [rule]) }
                Issue.record("drift ran with a rule that matches nothing")
            } catch let error as EngineError {
                #expect(error.diagnostics.map(\.description) == [
                    "error: --ignore installation/acme/postgre matches no manifest and no live object; did you mean "
                        + "\"installation/acme/postgres\"?",
                ])
            }
        }
    }
}
