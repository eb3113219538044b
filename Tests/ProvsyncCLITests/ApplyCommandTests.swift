import Foundation
import Testing
import ProvsyncLiveTestSupport
import ProvsyncTestSupport

private let secrets = ["DB_PASSWORD": "pg-s3cret-value", "OPENAI_API_KEY": "sk-very-secret"]

private func installation(_ name: String, version: String, config: String = "") -> String {
    Manifests.installation(name, version: version, extra: config)
}

private func demoRepository() throws -> ScratchRepository {
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
    try repo.commitAll()
    return repo
}

private func provsync(_ arguments: [String], _ repo: ScratchRepository, _ sandbox: LiveSandbox) async throws -> ProcessOutput {
    try await ProvsyncBinary.run(arguments + ["--api-url", sandbox.url], in: repo.url,
                                 environment: secrets.mapValues { $0 }.merging(["CI": "true"]) { $1 })
}

@Suite("provsync apply")
struct ApplyCommandTests {
    @Test("plan → apply → plan says No changes; no secret is printed")
    func converges() async throws {
        let repo = try demoRepository()
        defer { repo.delete() }
        try await withSandbox { sandbox in
            let applied = try await provsync(["apply", "--auto-approve"], repo, sandbox)
            #expect(applied.status == 0, "stderr: \(applied.stderr)")
            #expect(applied.stdout.contains("Plan: 2 to install, 1 to create."))
            #expect(applied.stdoutLines.last == "Apply complete: 3 applied, 0 failed, 0 not attempted.")
            let again = try await provsync(["plan", "--detailed-exitcode"], repo, sandbox)
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdoutLines.last == "No changes.")
            for output in [applied.stdout, applied.stderr, again.stdout, again.stderr] {
                for secret in secrets.values {
                    #expect(!output.contains(secret), "a secret leaked")
                }
            }
        }
    }

    @Test("without a terminal and without --auto-approve, apply refuses and writes nothing, whatever CI says")
    func noTerminalRefuses() async throws {
        let repo = try demoRepository()
        defer { repo.delete() }
        try await withSandbox { sandbox in
            for ci in ["true", "false"] {
                let refused = try await ProvsyncBinary.run(["apply", "--api-url", sandbox.url], in: repo.url,
                                                           environment: secrets.mapValues { $0 }.merging(["CI": ci]) { $1 })
                #expect(refused.status == 1, "CI=\(ci): \(refused.stdout)\(refused.stderr)")
                #expect(refused.stderr.contains("error: apply asks for confirmation, and there is no terminal to ask on: "
                                                + "pass --auto-approve"), "\(refused.stderr)")
            }
            #expect(try await sandbox.writes().totalReceived == 0)
        }
    }
}
