import Foundation
import ProvsyncEngine
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncReporting
import ProvsyncSandbox
import Testing

/// The repository of the apply flows: postgres with a secret in its config, redis, and an agent provider
/// with a secret variable; the secrets come from the environment.
private enum Demo {
    static let secrets = ["DB_PASSWORD": "pg-s3cret-value", "OPENAI_API_KEY": "sk-very-secret"]

    /// The three manifests, and `extra` ones (path → text).
    static func manifests(extra: [String: String] = [:]) -> [String: String] {
        var files = [
            "manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.4.2",
                                                        extra: "  config:\n    DB_PASSWORD: ${env:DB_PASSWORD}\n"),
            "manifests/redis.yaml": Manifests.installation("acme/redis", version: "7.2.4"),
            "manifests/agent.yaml": """
                apiVersion: provsync/v1
                kind: AgentProvider
                spec:
                  location: ghcr.io/acme/research-agent:1.2.0
                  auto_stop_timeout_sec: 900
                  variables:
                    OPENAI_API_KEY: ${env:OPENAI_API_KEY}

                """,
        ]
        files.merge(extra) { $1 }
        return files
    }

    /// Expects none of the secrets in any of `outputs`.
    static func expectNoSecrets(_ outputs: [String]) {
        for output in outputs {
            for secret in secrets.values {
                #expect(!output.contains(secret), "a secret leaked")
            }
        }
    }
}

/// Runs `body` with the demo repository (and `extra` manifests) committed, the secrets in the environment.
private func withDemo<Value>(extra: [String: String] = [:], _ body: (EngineHarness) async throws -> Value) async throws -> Value {
    try await withHarness(Demo.manifests(extra: extra), environment: Demo.secrets, body)
}

/// The flows of `provsync apply` in process: a change by hand, saved plans, refused replaces, dry runs, failing
/// installs, injected faults and `--wait`. Output is rendered as the command renders it.
@Suite("Engine: apply")
struct ApplyFlowTests {
    @Test("a change made by hand through the API shows up as an update")
    func handChange() async throws {
        try await withDemo { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            let list = try await harness.sandbox.call("GET", "/api/v1/providers").body
            let id = try #require(list?["items"]?[0]?["id"]?.string)
            #expect(try await harness.sandbox.call("PATCH", "/api/v1/providers/\(id)",
                                                   json: ["auto_stop_timeout_sec": 60]).status == 200)
            let plan = try await harness.plan()
            #expect(plan.hasChanges, "plan --detailed-exitcode exits 2")
            let text = PlanTextRenderer(colors: false).render(plan)
            #expect(text.contains("~   agent/ghcr.io/acme/research-agent  (update: auto_stop_timeout_sec changed)"))
            #expect(text.contains("auto_stop_timeout_sec: 60 → 900"))
        }
    }

    @Test("a saved plan applies while fresh and is refused as stale once live state changes")
    func savedPlans() async throws {
        try await withDemo { harness in
            let file = harness.repo.scratch.appendingPathComponent("plan.json").path
            let savedText = try await harness.savePlan(to: file)
            Demo.expectNoSecrets([savedText])
            #expect(try await harness.sandbox.call("POST", "/providers/install",
                                                   json: ["provider_name": "acme/redis", "version": "7.0.15"]).status == 201)
            let writesBefore = try await harness.sandbox.writes().totalReceived
            let stale = try await engineError { try await harness.applySaved(at: file) }
            guard case .stalePlan? = stale else {
                Issue.record("a stale saved plan was not refused: \(String(describing: stale))")
                return
            }
            #expect(stale?.summary?.contains("saved plan is stale: live state changed for installation/acme/redis") == true)
            #expect(try await harness.sandbox.writes().totalReceived == writesBefore, "a stale plan writes nothing")

            try await harness.savePlan(to: file)
            let (plan, report) = try await harness.applySaved(at: file)
            #expect(!report.isIncomplete, "\(report.results)")
            #expect(lastLine(applyOutput(plan, report)) == "Apply complete: 3 applied, 0 failed, 0 not attempted.")
        }
    }

    @Test("a refused replace stops apply before any write")
    func refusedReplace() async throws {
        try await withDemo { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            try harness.commit([
                "manifests/redis.yaml": Manifests.installation("acme/redis", version: "7.2.4",
                                                               extra: "  resource_tier: performance\n"),
                "manifests/new.yaml": Manifests.installation("acme/loki", version: "3.1.0"),
            ])
            let writesBefore = try await harness.sandbox.writes().totalReceived
            let refused = try await harness.apply()
            #expect(refused.report.isIncomplete, "apply exits 1")
            let refusedOutput = applyOutput(refused.plan, refused.report)
            #expect(refusedOutput.contains("! refused: replacing interrupts the provider"))
            #expect(refusedOutput.contains("Apply incomplete: 0 applied, 0 failed, 2 not attempted."))
            #expect(try await harness.sandbox.writes().totalReceived == writesBefore)
            let allowed = try await harness.apply(PlanOptions(allowReplace: true))
            let allowedOutput = applyOutput(allowed.plan, allowed.report)
            #expect(!allowed.report.isIncomplete, "\(allowedOutput)")
            #expect(allowedOutput.contains("✓ installation/acme/redis: replace: reinstalled: 7.2.4"))
        }
    }

    @Test("--dry-run writes nothing and checks creates through the preview endpoint")
    func dryRun() async throws {
        try await withDemo(extra: ["manifests/bad.yaml": Manifests.installation("acme/prometheus", version: "9.9.9")]) {
            harness in
            let (plan, report) = try await harness.dryRun()
            let output = applyOutput(plan, report, dryRun: true)
            #expect(output.contains("~ agent/ghcr.io/acme/research-agent: would create: the API accepts it"))
            // The plan already refuses the unpublished version; the dry run reports it and checks the rest.
            #expect(output.contains("refused: version 9.9.9 of acme/prometheus is not published"), "\(output)")
            #expect(try await harness.sandbox.writes().totalApplied == 0)
            let routes = try await harness.sandbox.requests().map(\.route)
            #expect(routes.contains("POST /api/v1/providers/preview"))
            #expect(!routes.contains("POST /providers/install"))
        }
    }

    @Test("a dry run previews agent provider updates with the whole desired provider")
    func dryRunUpdate() async throws {
        try await withDemo { harness in
            #expect(try await !harness.apply().report.isIncomplete)
            try harness.commit(["manifests/agent.yaml": """
                apiVersion: provsync/v1
                kind: AgentProvider
                spec:
                  location: ghcr.io/acme/research-agent:1.3.0
                  auto_stop_timeout_sec: 900

                """])
            let applied = try await harness.sandbox.writes().totalApplied
            let (plan, report) = try await harness.dryRun()
            let output = applyOutput(plan, report, dryRun: true)
            #expect(!report.isIncomplete, "\(output)")
            #expect(output.contains("would update: the API accepts the new state (preview: ghcr.io/acme/research-agent:1.3.0)"))
            #expect(try await harness.sandbox.writes().totalApplied == applied)
        }
    }

    @Test("a failing install is reported with the API's answer while the others succeed")
    func partialFailure() async throws {
        // Unpinned, so the plan cannot know the store lacks it: the API's refusal comes at apply.
        try await withDemo(extra: ["manifests/bad.yaml": Manifests.installation("acme/not-in-catalog")]) {
            harness in
            let (plan, report) = try await harness.apply()
            let output = applyOutput(plan, report)
            #expect(report.isIncomplete, "apply exits 1")
            #expect(output.contains("Apply incomplete: 3 applied, 1 failed, 0 not attempted."), "\(output)")
            #expect(output.contains("installation/acme/not-in-catalog: install failed: POST /providers/install "
                                    + "acme/not-in-catalog: 404"), "\(output)")
        }
    }

    @Test("under injected 503s, 429s and dropped connections apply completes and sends each install once")
    func faults() async throws {
        var extra: [String: String] = [:]
        for index in 0..<6 { extra["manifests/p\(index).yaml"] = Manifests.installation("acme/p\(index)", version: "1.0.0") }
        let faults = FaultPlan(seed: 7, rules: [
            FaultRule(route: "POST /providers/install", errorRate: 0.25, throttleRate: 0.2, retryAfterSeconds: 0,
                      dropRate: 0.1, lostReplyRate: 0.15),
            FaultRule(route: "GET *", errorRate: 0.2, throttleRate: 0.1, retryAfterSeconds: 0),
        ])
        try await withHarness(Demo.manifests(extra: extra), environment: Demo.secrets,
                              sandbox: SandboxConfiguration(pendingSeconds: 0, processingSeconds: 0, faults: faults, manualClock: true)) {
            harness in
            for index in 0..<6 { try await harness.sandbox.publish("acme/p\(index)") }
            let (plan, report) = try await harness.apply(connection: harness.connection(parallelism: 1))
            #expect(!report.isIncomplete, "\(applyOutput(plan, report))")
            let installs = try await harness.sandbox.requests(on: "POST /providers/install")
            #expect(installs.contains { $0.fault == "lost-reply" }, "a reply must have been lost")
            #expect(installs.contains { ["500", "502", "503"].contains($0.fault ?? "") })
            let successful = installs.filter { $0.status == 201 }.compactMap(\.subject)
            #expect(successful.sorted() == (["acme/postgres", "acme/redis"] + (0..<6).map { "acme/p\($0)" }).sorted())
            #expect(!installs.contains { $0.status == 409 }, "no install was sent after it had taken effect")
        }
    }

    @Test("--wait reports installations that become ready and those that fail, with the health message")
    func waitForInstallations() async throws {
        try await withDemo(extra: ["manifests/flaky.yaml": Manifests.installation("acme/flaky", version: "0.2.0")]) {
            harness in
            let (report, waited) = try await harness.inWorkspace { workspace in
                let executable = try await workspace.plan(PlanOptions()).executable
                let report = await workspace.apply(executable)
                return (report, await workspace.waitForInstallations(after: report, timeout: 30))
            }
            #expect(!report.isIncomplete && !waited.isSuccess, "apply --wait exits 1 for the failed installation")
            #expect(waited.summary.contains("Waited: 2 ready, 1 failed, 0 not settled in time."))
            #expect(waited.summary.contains("✗ installation/acme/flaky: failed: version 0.2.0 failed to start"))
        }
    }
}
