import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ProvsyncSandbox
import ProvsyncTestSupport

private func installation(_ name: String, version: String, extra: String = "") -> String {
    "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: \(name)\n  version: \"\(version)\"\n" + extra
}

/// A repository of four manifests applied to a fresh sandbox, then changed by hand so that each drift
/// status occurs once: postgres in sync, redis drifted (config), loki missing, flaky unhealthy (failed).
private func driftedWorld() async throws -> (ScratchRepository, LoopbackSandbox) {
    let repo = try ScratchRepository()
    try repo.write("manifests/pg.yaml", installation("acme/postgres", version: "1.4.2"))
    try repo.write("manifests/redis.yaml", installation("acme/redis", version: "7.2.4",
                                                        extra: "  config:\n    LOG_LEVEL: info\n    MODE: lru\n"))
    try repo.write("manifests/loki.yaml", installation("acme/loki", version: "3.1.0"))
    try repo.write("manifests/flaky.yaml", installation("acme/flaky", version: "0.2.0"))
    try repo.commitAll()
    let sandbox = try await LoopbackSandbox.start()
    let apply = try await ProvsyncBinary.run(["apply", "--auto-approve", "--api-url", sandbox.url], in: repo.url,
                                       environment: ["CI": "true"])
    #expect(apply.status == 0, "\(apply.stdout)")
    try await sandbox.call("DELETE", "/providers/installed/acme/loki?cascade=true")
    try await sandbox.call("DELETE", "/providers/installed/acme/redis?cascade=true")
    try await sandbox.call("POST", "/providers/install", json: [
        "provider_name": "acme/redis", "version": "7.2.4", "config": ["LOG_LEVEL": "debug", "MODE": "lfu"],
    ])
    try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/hand-made"])
    try await sandbox.call("GET", "/providers/installed")
    return (repo, sandbox)
}

private func drift(_ arguments: [String], _ repo: ScratchRepository, _ sandbox: LoopbackSandbox) async throws -> ProcessOutput {
    try await ProvsyncBinary.run(["drift", "--api-url", sandbox.url] + arguments, in: repo.url, environment: ["CI": "true"])
}

@Suite("provsync drift", .serialized)
struct DriftCommandTests {
    @Test("each status is reported, with differences and health; exit 2; no write is made")
    func statuses() async throws {
        let (repo, sandbox) = try await driftedWorld()
        defer { repo.delete(); Task { await sandbox.stop() } }
        let writes = try await sandbox.receivedWrites()
        let output = try await drift([], repo, sandbox)
        #expect(output.status == 2)
        #expect(output.stdout.contains("✓ installation/acme/postgres  (in_sync)"))
        #expect(output.stdout.contains("~ installation/acme/redis  (drifted)"))
        #expect(output.stdout.contains("config.LOG_LEVEL: live \"debug\", desired \"info\""))
        #expect(output.stdout.contains("- installation/acme/loki  (missing)"))
        #expect(output.stdout.contains("! installation/acme/flaky  (unhealthy)"))
        #expect(output.stdout.contains("health: failed: version 0.2.0 failed to start"))
        #expect(output.stdout.contains("Unmanaged (live, no manifest):\n  installation/acme/hand-made"))
        #expect(output.stdoutLines.last == "Drift: 1 drifted, 1 missing, 1 unhealthy of 4 managed objects.")
        #expect(try await sandbox.receivedWrites() == writes, "drift never writes")
    }

    @Test("ignore rules for one run, and policy.ignore in the manifest, hide drift at those paths")
    func ignoreRules() async throws {
        let (repo, sandbox) = try await driftedWorld()
        defer { repo.delete(); Task { await sandbox.stop() } }
        let output = try await drift(["--ignore", "installation/*:config.LOG_LEVEL"], repo, sandbox)
        #expect(!output.stdout.contains("config.LOG_LEVEL"))
        #expect(output.stdout.contains("config.MODE: live \"lfu\", desired \"lru\""))
        try repo.write("manifests/redis.yaml", installation("acme/redis", version: "7.2.4", extra: """
              config:
                LOG_LEVEL: info
                MODE: lru
            policy:
              ignore: [config.MODE]

            """))
        try repo.commitAll()
        let both = try await drift(["--ignore", "installation/acme/redis:config.LOG_LEVEL"], repo, sandbox)
        #expect(both.stdout.contains("✓ installation/acme/redis  (in_sync)"))
    }

    @Test("JSON has the spec's shape; JUnit parses as XML with one failing case per problem; markdown has the summary")
    func formats() async throws {
        let (repo, sandbox) = try await driftedWorld()
        defer { repo.delete(); Task { await sandbox.stop() } }
        let json = try await drift(["--format", "json"], repo, sandbox)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["in_sync"] as? Bool == false)
        #expect(document["summary"] as? [String: Int] == ["managed": 4, "in_sync": 1, "drifted": 1, "missing": 1,
                                                          "unhealthy": 1, "unmanaged": 1])
        let resources = try #require(document["resources"] as? [[String: Any]])
        let redis = try #require(resources.first { $0["address"] as? String == "installation/acme/redis" })
        #expect((redis["differences"] as? [[String: Any]])?.first?["live"] as? String == "debug")

        let report = repo.scratch.appendingPathComponent("drift.xml")
        let junit = try await drift(["--format", "junit", "--out", report.path], repo, sandbox)
        #expect(junit.status == 2)
        #expect(junit.stdout.contains("Drift: 1 drifted"), "text still goes to standard output")
        let xml = try XMLDocument(contentsOf: report)
        let cases = try xml.nodes(forXPath: "//testcase")
        #expect(cases.count == 4)
        let failures = try xml.nodes(forXPath: "//testcase/failure")
        #expect(Set(failures.compactMap { ($0 as? XMLElement)?.attribute(forName: "type")?.stringValue })
                == ["drifted", "missing", "unhealthy"])

        let markdown = try await drift(["--format", "markdown"], repo, sandbox)
        #expect(markdown.stdout.contains("**Drift: 1 drifted, 1 missing, 1 unhealthy of 4 managed objects.**"))
        #expect(markdown.stdout.contains("| `installation/acme/redis` | drifted | `config.LOG_LEVEL`, `config.MODE` |"))
        #expect(markdown.stdout.contains("<details><summary><code>installation/acme/redis</code>: drifted</summary>"))
    }

    @Test("in sync exits 0")
    func inSync() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/pg.yaml", installation("acme/postgres", version: "1.4.2"))
        try repo.commitAll()
        let sandbox = try await LoopbackSandbox.start()
        defer { Task { await sandbox.stop() } }
        #expect(try await ProvsyncBinary.run(["apply", "--auto-approve", "--api-url", sandbox.url], in: repo.url).status == 0)
        let output = try await drift([], repo, sandbox)
        #expect(output.status == 0)
        #expect(output.stdoutLines.last == "In sync: 1 managed object.")
    }
}
