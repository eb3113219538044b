import Foundation
import Testing
import ProvsyncSandbox
import ProvsyncTestSupport

private func installation(_ name: String, version: String, config: String = "") -> String {
    "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: \(name)\n  version: \"\(version)\"\n" + config
}

private let secrets = ["DB_PASSWORD": "pg-s3cret-value", "OPENAI_API_KEY": "sk-very-secret"]

private func demoRepository(extra: [String: String] = [:]) throws -> ScratchRepository {
    let repo = try ScratchRepository()
    try repo.write("manifests/pg.yaml", installation("acme/postgres", version: "1.4.2",
                                                     config: "  config:\n    DB_PASSWORD: ${env:DB_PASSWORD}\n"))
    try repo.write("manifests/redis.yaml", installation("acme/redis", version: "7.2.4"))
    try repo.write("manifests/agent.yaml", """
        apiVersion: provsync/v1
        kind: AgentProvider
        spec:
          location: ghcr.io/acme/research-agent:1.2.0
          auto_stop_timeout_sec: 900
          variables:
            OPENAI_API_KEY: ${env:OPENAI_API_KEY}

        """)
    for (path, text) in extra { try repo.write(path, text) }
    try repo.commitAll()
    return repo
}

private func provsync(_ arguments: [String], _ repo: ScratchRepository, _ sandbox: LoopbackSandbox) async throws -> ProcessOutput {
    try await ProvsyncBinary.run(arguments + ["--api-url", sandbox.url], in: repo.url,
                           environment: secrets.mapValues { $0 }.merging(["CI": "true"]) { $1 })
}

private func expectNoSecrets(_ outputs: [String]) {
    for output in outputs {
        for secret in secrets.values {
            #expect(!output.contains(secret), "a secret leaked")
        }
    }
}

@Suite("provsync apply", .serialized)
struct ApplyCommandTests {
    @Test("plan → apply → plan says No changes; no secret is printed")
    func converges() async throws {
        let repo = try demoRepository()
        defer { repo.delete() }
        let sandbox = try await LoopbackSandbox.start()
        defer { Task { await sandbox.stop() } }
        let applied = try await provsync(["apply", "--auto-approve"], repo, sandbox)
        #expect(applied.status == 0, "stderr: \(applied.stderr)")
        #expect(applied.stdout.contains("Plan: 2 to install, 1 to create."))
        #expect(applied.stdoutLines.last == "Apply complete: 3 applied, 0 failed, 0 not attempted.")
        let again = try await provsync(["plan", "--detailed-exitcode"], repo, sandbox)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdoutLines.last == "No changes.")
        expectNoSecrets([applied.stdout, applied.stderr, again.stdout, again.stderr])
    }

    @Test("a change made by hand through the API shows up as an update")
    func handChange() async throws {
        let repo = try demoRepository()
        defer { repo.delete() }
        let sandbox = try await LoopbackSandbox.start()
        defer { Task { await sandbox.stop() } }
        #expect(try await provsync(["apply", "--auto-approve"], repo, sandbox).status == 0)
        let list = try await sandbox.call("GET", "/api/v1/providers").body as? [String: Any]
        let id = try #require(((list?["items"] as? [[String: Any]])?.first)?["id"] as? String)
        #expect(try await sandbox.call("PATCH", "/api/v1/providers/\(id)", json: ["auto_stop_timeout_sec": 60]).status == 200)
        let plan = try await provsync(["plan", "--detailed-exitcode"], repo, sandbox)
        #expect(plan.status == 2)
        #expect(plan.stdout.contains("~   agent/ghcr.io/acme/research-agent  (update: auto_stop_timeout_sec changed)"))
        #expect(plan.stdout.contains("auto_stop_timeout_sec: 60 → 900"))
    }

    @Test("a saved plan applies while fresh and is refused as stale once live state changes")
    func savedPlans() async throws {
        let repo = try demoRepository()
        defer { repo.delete() }
        let sandbox = try await LoopbackSandbox.start()
        defer { Task { await sandbox.stop() } }
        let file = repo.scratch.appendingPathComponent("plan.json").path
        #expect(try await provsync(["plan", "--out", file], repo, sandbox).status == 0)
        let savedText = try String(decoding: Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self)
        expectNoSecrets([savedText])
        #expect(try await sandbox.call("POST", "/providers/install", json: ["provider_name": "acme/redis", "version": "7.0.15"]).status == 201)
        let writesBefore = try await sandbox.receivedWrites()
        let stale = try await provsync(["apply", file], repo, sandbox)
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("saved plan is stale: live state changed for installation/acme/redis"))
        #expect(try await sandbox.receivedWrites() == writesBefore, "a stale plan writes nothing")

        #expect(try await provsync(["plan", "--out", file], repo, sandbox).status == 0)
        let fresh = try await provsync(["apply", file], repo, sandbox)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(fresh.stdoutLines.last == "Apply complete: 3 applied, 0 failed, 0 not attempted.")
    }

    @Test("a refused replace stops apply before any write")
    func refusedReplace() async throws {
        let repo = try demoRepository()
        defer { repo.delete() }
        let sandbox = try await LoopbackSandbox.start()
        defer { Task { await sandbox.stop() } }
        #expect(try await provsync(["apply", "--auto-approve"], repo, sandbox).status == 0)
        try repo.write("manifests/redis.yaml", installation("acme/redis", version: "7.2.4", config: "  resource_tier: performance\n"))
        try repo.write("manifests/new.yaml", installation("acme/loki", version: "3.1.0"))
        try repo.commitAll()
        let writesBefore = try await sandbox.receivedWrites()
        let refused = try await provsync(["apply", "--auto-approve"], repo, sandbox)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("! refused: replacing interrupts the provider"))
        #expect(refused.stdout.contains("Apply incomplete: 0 applied, 0 failed, 2 not attempted."))
        #expect(try await sandbox.receivedWrites() == writesBefore)
        let allowed = try await provsync(["apply", "--auto-approve", "--allow-replace"], repo, sandbox)
        #expect(allowed.status == 0, "\(allowed.stdout)")
        #expect(allowed.stdout.contains("✓ installation/acme/redis: replace: reinstalled: 7.2.4"))
    }

    @Test("--dry-run writes nothing and checks creates through the preview endpoint")
    func dryRun() async throws {
        let repo = try demoRepository(extra: ["manifests/bad.yaml": installation("acme/prometheus", version: "9.9.9")])
        defer { repo.delete() }
        let sandbox = try await LoopbackSandbox.start()
        defer { Task { await sandbox.stop() } }
        let output = try await provsync(["apply", "--dry-run"], repo, sandbox)
        #expect(output.stdout.contains("~ agent/ghcr.io/acme/research-agent: would create: the API accepts it"))
        #expect(output.stdout.contains("✗ installation/acme/prometheus: install failed: version 9.9.9 of acme/prometheus is not published"))
        #expect(try await sandbox.appliedWrites() == 0)
        let routes = try await sandbox.requests().compactMap { $0["route"] as? String }
        #expect(routes.contains("POST /api/v1/providers/preview"))
        #expect(!routes.contains("POST /providers/install"))
    }

    @Test("a failing install is reported with the API's answer while the others succeed")
    func partialFailure() async throws {
        let repo = try demoRepository(extra: ["manifests/bad.yaml": installation("acme/prometheus", version: "9.9.9")])
        defer { repo.delete() }
        let sandbox = try await LoopbackSandbox.start()
        defer { Task { await sandbox.stop() } }
        let output = try await provsync(["apply", "--auto-approve"], repo, sandbox)
        #expect(output.status == 1)
        #expect(output.stdout.contains("Apply incomplete: 3 applied, 1 failed, 0 not attempted."))
        #expect(output.stdout.contains("installation/acme/prometheus: install failed: POST /providers/install acme/prometheus: 404 Version 9.9.9 of acme/prometheus not found"))
    }

    @Test("under injected 503s, 429s and dropped connections apply completes and sends each install once")
    func faults() async throws {
        var extra: [String: String] = [:]
        for index in 0..<6 { extra["manifests/p\(index).yaml"] = installation("acme/p\(index)", version: "1.0.0") }
        let repo = try demoRepository(extra: extra)
        defer { repo.delete() }
        let faults = FaultPlan(seed: 7, rules: [
            FaultRule(route: "POST /providers/install", errorRate: 0.25, throttleRate: 0.2, retryAfterSeconds: 0,
                      dropRate: 0.1, lostReplyRate: 0.15),
            FaultRule(route: "GET *", errorRate: 0.2, throttleRate: 0.1, retryAfterSeconds: 0),
        ])
        let sandbox = try await LoopbackSandbox.start(SandboxConfiguration(pendingSeconds: 0, processingSeconds: 0, faults: faults))
        defer { Task { await sandbox.stop() } }
        let output = try await provsync(["apply", "--auto-approve", "--parallelism", "1"], repo, sandbox)
        #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
        let installs = try await sandbox.requests().filter { $0["route"] as? String == "POST /providers/install" }
        #expect(installs.contains { $0["fault"] as? String == "lost-reply" }, "a reply must have been lost")
        #expect(installs.contains { ["500", "502", "503"].contains($0["fault"] as? String ?? "") })
        let successful = installs.filter { $0["status"] as? Int == 201 }.compactMap { $0["subject"] as? String }
        #expect(successful.sorted() == (["acme/postgres", "acme/redis"] + (0..<6).map { "acme/p\($0)" }).sorted())
        #expect(!installs.contains { $0["status"] as? Int == 409 }, "no install was sent after it had taken effect")
    }

    @Test("--wait reports installations that become ready and those that fail, with the health message")
    func waitForInstallations() async throws {
        let repo = try demoRepository(extra: ["manifests/flaky.yaml": installation("acme/flaky", version: "0.2.0")])
        defer { repo.delete() }
        let sandbox = try await LoopbackSandbox.start()
        defer { Task { await sandbox.stop() } }
        let output = try await provsync(["apply", "--auto-approve", "--wait", "--wait-timeout", "30"], repo, sandbox)
        #expect(output.status == 1)
        #expect(output.stdout.contains("Waited: 2 ready, 1 failed, 0 not settled in time."))
        #expect(output.stdout.contains("✗ installation/acme/flaky: failed: version 0.2.0 failed to start"))
    }

    @Test("a dry run previews agent provider updates with the whole desired provider")
    func dryRunUpdate() async throws {
        let repo = try demoRepository()
        defer { repo.delete() }
        let sandbox = try await LoopbackSandbox.start()
        defer { Task { await sandbox.stop() } }
        #expect(try await provsync(["apply", "--auto-approve"], repo, sandbox).status == 0)
        try repo.write("manifests/agent.yaml", """
            apiVersion: provsync/v1
            kind: AgentProvider
            spec:
              location: ghcr.io/acme/research-agent:1.3.0
              auto_stop_timeout_sec: 900

            """)
        try repo.commitAll()
        let applied = try await sandbox.appliedWrites()
        let output = try await provsync(["apply", "--dry-run"], repo, sandbox)
        #expect(output.status == 0, "\(output.stdout)")
        #expect(output.stdout.contains("would update: the API accepts the new state (preview: ghcr.io/acme/research-agent:1.3.0)"))
        #expect(try await sandbox.appliedWrites() == applied)
    }
}
