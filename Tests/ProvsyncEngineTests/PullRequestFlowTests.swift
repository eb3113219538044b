import Foundation
import ProvsyncEngine
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncReporting
import Testing

/// The plan with `--base` as the JSON the command prints, decoded, and the warnings it prints.
private func planJSON(_ harness: EngineHarness, base: String) async throws -> (plan: Plan, json: JSONValue,
                                                                               warnings: [Diagnostic]) {
    let result = try await harness.inWorkspace { try await $0.plan(PlanOptions(base: base)) }
    let json = try JSONDecoder().decode(JSONValue.self, from: Data(try PlanJSONRenderer.render(result.plan).utf8))
    return (result.plan, json, result.warnings)
}

/// Pull-request plans (`plan --base`) in process.
@Suite("Engine: pull-request plans")
struct PullRequestFlowTests {
    @Test("--base marks the pull request's own changes apart from pre-existing drift; no write is made")
    func baseAttribution() async throws {
        try await withHarness([
            "manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.4.2"),
            "manifests/redis.yaml": Manifests.installation("acme/redis", version: "7.2.4"),
        ]) { harness in
            let base = try harness.repo.sha("HEAD")
            #expect(try await !harness.apply().report.isIncomplete)
            try harness.commit([
                "manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.5.0"),
                "manifests/loki.yaml": Manifests.installation("acme/loki", version: "3.1.0"),
            ])
            try await harness.sandbox.call("POST", "/providers/installed/acme/redis/downgrade",
                                           json: ["target_version": "7.0.15"])
            let writes = try await harness.sandbox.writes().totalReceived

            let (plan, json, warnings) = try await planJSON(harness, base: base)
            #expect(warnings.isEmpty, "\(warnings)")
            let changes = try #require(json["changes"]?.array)
            let attribution = Dictionary(uniqueKeysWithValues: changes.map {
                ($0["address"]?.string ?? "", "\($0["action"]?.string ?? "") \($0["pre_existing"] == .bool(true))")
            })
            #expect(attribution == [
                "installation/acme/postgres": "upgrade false",
                "installation/acme/loki": "install false",
                "installation/acme/redis": "upgrade true",
            ])
            // Under GitHub Actions the command appends the markdown plan to the job's summary.
            let summaryText = "earlier step\n" + PlanMarkdownRenderer().render(plan) + "\n"
            #expect(summaryText.hasPrefix("earlier step\n## provsync plan"))
            #expect(summaryText.contains("### Pre-existing drift (planned from the base too)"))
            #expect(try await harness.sandbox.writes().totalReceived == writes, "plan never writes")
        }
    }

    @Test("a --base that cannot be read is one error, before any API call")
    func unreadableBase() async throws {
        try await withHarness(["manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.4.2")]) {
            harness in
            do {
                let plan = try await harness.inWorkspace { try await $0.plan(PlanOptions(base: "no-such-ref")) }
                Issue.record("a plan was made without its base: \(plan.plan.changes)")
            } catch let error as EngineError {
                #expect(error.summary?.hasPrefix("error: the manifests at --base no-such-ref cannot be read") == true)
                #expect(error.diagnostics.contains { $0.description.contains("no-such-ref") }, "\(error.diagnostics)")
            }
            #expect(try await harness.sandbox.requests().isEmpty, "no API call is made")
        }
    }

    @Test("a --base whose manifests are invalid is a warning; every change is shown as introduced")
    func invalidBase() async throws {
        try await withHarness(["manifests/pg.yaml": "kind: Installation\n"]) { harness in
            let base = try harness.repo.sha("HEAD")
            try harness.commit(["manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.4.2")])
            let (_, json, warnings) = try await planJSON(harness, base: base)
            #expect(warnings.map(\.description).joined(separator: "\n")
                .contains("warning: the manifests at --base \(base) are invalid"))
            let changes = try #require(json["changes"]?.array)
            #expect(changes.map { $0["address"]?.string } == ["installation/acme/postgres"])
            #expect(changes.allSatisfy { $0["pre_existing"] == .bool(false) })
        }
    }
}
