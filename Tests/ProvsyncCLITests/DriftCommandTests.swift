import Foundation
import Testing
import ProvsyncLiveTestSupport
import ProvsyncTestSupport

private func installation(_ name: String, version: String, extra: String = "") -> String {
    Manifests.installation(name, version: version, extra: extra)
}

/// Runs `body` with a repository of four manifests applied to a fresh sandbox, then changed by hand so that
/// each drift status occurs once: postgres in sync, redis drifted (config), loki missing, flaky unhealthy
/// (failed).
private func withDriftedWorld(_ body: (ScratchRepository, LiveSandbox) async throws -> Void) async throws {
    let repo = try ScratchRepository()
    defer { repo.delete() }
    try repo.write("manifests/pg.yaml", installation("acme/postgres", version: "1.4.2"))
    try repo.write("manifests/redis.yaml", installation("acme/redis", version: "7.2.4",
                                                        extra: "  config:\n    LOG_LEVEL: info\n    MODE: lru\n"))
    try repo.write("manifests/loki.yaml", installation("acme/loki", version: "3.1.0"))
    try repo.write("manifests/flaky.yaml", installation("acme/flaky", version: "0.2.0"))
    try repo.commitAll()
    try await withSandbox { sandbox in
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
        try await body(repo, sandbox)
    }
}

private func drift(_ arguments: [String], _ repo: ScratchRepository, _ sandbox: LiveSandbox) async throws -> ProcessOutput {
    try await ProvsyncBinary.run(["drift", "--api-url", sandbox.url] + arguments, in: repo.url, environment: ["CI": "true"])
}

@Suite("provsync drift", .serialized)
struct DriftCommandTests {
    @Test("each status is reported, with differences and health; exit 2; no write is made")
    func statuses() async throws {
        try await withDriftedWorld { repo, sandbox in
            let writes = try await sandbox.writes().totalReceived
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
            #expect(try await sandbox.writes().totalReceived == writes, "drift never writes")
        }
    }

    @Test("in sync exits 0")
    func inSync() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try repo.write("manifests/pg.yaml", installation("acme/postgres", version: "1.4.2"))
        try repo.commitAll()
        try await withSandbox { sandbox in
            #expect(try await ProvsyncBinary.run(["apply", "--auto-approve", "--api-url", sandbox.url],
                                                 in: repo.url).status == 0)
            let output = try await drift([], repo, sandbox)
            #expect(output.status == 0)
            #expect(output.stdoutLines.last == "In sync: 1 managed object.")
        }
    }
}
