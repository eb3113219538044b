import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ProvsyncEngine
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncPlanning
import ProvsyncReporting
import Testing

/// Runs `body` with four manifests applied to a fresh sandbox, then changed by hand so that each drift status
/// occurs once: postgres in sync, redis drifted (config), loki missing, flaky unhealthy (failed).
private func withDriftedWorld(_ body: (EngineHarness) async throws -> Void) async throws {
    try await withHarness([
        "manifests/pg.yaml": Manifests.installation("acme/postgres", version: "1.4.2"),
        "manifests/redis.yaml": Manifests.installation("acme/redis", version: "7.2.4",
                                                       extra: "  config:\n    LOG_LEVEL: info\n    MODE: lru\n"),
        "manifests/loki.yaml": Manifests.installation("acme/loki", version: "3.1.0"),
        "manifests/flaky.yaml": Manifests.installation("acme/flaky", version: "0.2.0"),
    ]) { harness in
        let (plan, report) = try await harness.apply()
        #expect(!report.isIncomplete, "\(applyOutput(plan, report))")
        let sandbox = harness.sandbox
        try await sandbox.call("DELETE", "/providers/installed/acme/loki?cascade=true")
        try await sandbox.call("DELETE", "/providers/installed/acme/redis?cascade=true")
        try await sandbox.call("POST", "/providers/install", json: [
            "provider_name": "acme/redis", "version": "7.2.4", "config": ["LOG_LEVEL": "debug", "MODE": "lfu"],
        ])
        try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/hand-made"])
        try await sandbox.call("GET", "/providers/installed")
        try await body(harness)
    }
}

/// The drift report of HEAD with `--ignore` rules.
private func drift(_ harness: EngineHarness, ignoring rules: [String] = []) async throws -> DriftReport {
    let parsed = try rules.map { try #require(IgnoreRule(parsing: $0)) }
    return try await harness.inWorkspace { try await $0.drift(ignoring: parsed) }
}

/// The flows of `provsync drift` in process: ignore rules, and the report's formats as the command renders them.
@Suite("Engine: drift")
struct DriftFlowTests {
    @Test("ignore rules for one run, and policy.ignore in the manifest, hide drift at those paths")
    func ignoreRules() async throws {
        try await withDriftedWorld { harness in
            let output = DriftRenderer.text(try await drift(harness, ignoring: ["installation/*:config.LOG_LEVEL"]))
            #expect(!output.contains("config.LOG_LEVEL"))
            #expect(output.contains("config.MODE: live \"lfu\", desired \"lru\""))
            try harness.commit(["manifests/redis.yaml": Manifests.installation("acme/redis", version: "7.2.4", extra: """
                  config:
                    LOG_LEVEL: info
                    MODE: lru
                policy:
                  ignore: [config.MODE]

                """)])
            let both = DriftRenderer.text(try await drift(harness, ignoring: ["installation/acme/redis:config.LOG_LEVEL"]))
            #expect(both.contains("✓ installation/acme/redis  (in_sync)"))
        }
    }

    @Test("JSON has the spec's shape; JUnit parses as XML with one failing case per problem; markdown has the summary")
    func formats() async throws {
        try await withDriftedWorld { harness in
            let report = try await drift(harness)
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(try DriftRenderer.json(report).utf8))
            #expect(document["in_sync"] == .bool(false))
            #expect(document["summary"] == ["managed": 4, "in_sync": 1, "drifted": 1, "missing": 1, "unhealthy": 1, "extra": 0,
                                            "unmanaged": 1])
            let resources = try #require(document["resources"]?.array)
            let redis = try #require(resources.first { $0["address"]?.string == "installation/acme/redis" })
            #expect(redis["differences"]?[0]?["live"]?.string == "debug")

            // drift --format junit --out FILE: the report goes to the file, text still to standard output.
            let file = harness.repo.scratch.appendingPathComponent("drift.xml")
            try Data((DriftRenderer.junit(report) + "\n").utf8).write(to: file)
            #expect(!report.inSync, "drift exits 2")
            #expect(DriftRenderer.text(report).contains("Drift: 1 drifted"), "text still goes to standard output")
            let xml = try XMLDocument(contentsOf: file)
            let cases = try xml.nodes(forXPath: "//testcase")
            #expect(cases.count == 4)
            let failures = try xml.nodes(forXPath: "//testcase/failure")
            #expect(Set(failures.compactMap { ($0 as? XMLElement)?.attribute(forName: "type")?.stringValue })
                    == ["drifted", "missing", "unhealthy"])

            let markdown = DriftRenderer.markdown(report)
            #expect(markdown.contains("**Drift: 1 drifted, 1 missing, 1 unhealthy of 4 managed objects.**"))
            #expect(markdown.contains("| `installation/acme/redis` | drifted | `config.LOG_LEVEL`, `config.MODE` |"))
            #expect(markdown.contains("<details><summary><code>installation/acme/redis</code>: drifted</summary>"))
        }
    }
}
