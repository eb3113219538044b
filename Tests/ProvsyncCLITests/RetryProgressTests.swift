import Foundation
import ProvsyncLiveTestSupport
import ProvsyncSandbox
import ProvsyncTestSupport
import Testing

/// One installation and one agent provider, so plan reads both APIs.
private func repository() throws -> ScratchRepository {
    let repo = try ScratchRepository()
    try repo.write("manifests/db.yaml", """
        apiVersion: provsync/v1
        kind: Installation
        spec:
          provider_name: acme/postgres
          version: "1.4.2"

        """)
    try repo.write("manifests/agent.yaml", Manifests.agent("ghcr.io/acme/research-agent:1.2.0"))
    try repo.commitAll()
    return repo
}

/// Plain lines (CI), and retries without their backoff waits (`PROVSYNC_TEST_RETRY_DELAY`, for tests only).
private let environment: [String: String?] = ["CI": "true", "PROVSYNC_TEST_RETRY_DELAY": "0", "GITHUB_ACTIONS": nil]

@Suite("Retries are reported on standard error, each reason once")
struct RetryProgressTests {
    @Test("plan against a port that refuses connections: one retrying line, a summary, then the error")
    func deadServer() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let refusing = try RefusingPort()
        let result = try await ProvsyncBinary.run(["plan", "--api-url", refusing.url], in: repo.url, environment: environment)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        let lines = result.stderrLines
        let retrying = lines.filter { $0.hasPrefix("retrying: ") }
        #expect(retrying.count == 1, "\(result.stderr)")
        #expect(retrying.first?.contains(": could not connect to 127.0.0.1:\(refusing.port) ") == true, "\(result.stderr)")
        #expect(retrying.first?.hasSuffix("(attempt 2 of 10, next in 0 s)") == true, "\(result.stderr)")
        let summary = try #require(lines.firstIndex { $0.hasPrefix("retried ") }, "\(result.stderr)")
        #expect(lines[summary].contains(" retries: could not connect to 127.0.0.1:\(refusing.port) "), "\(result.stderr)")
        #expect(lines[summary...].dropFirst().contains { $0.hasPrefix("error: ") && $0.contains("[after 10 attempts]") },
                "the summary comes before the error: \(result.stderr)")
        #expect(lines.count < 8, "a few lines, not one per attempt: \(result.stderr)")
    }

    @Test("plan against a flaky API succeeds; each reason's first retry is printed, the rest summed up")
    func flakyServer() async throws {
        let repo = try repository()
        defer { repo.delete() }
        let faults = FaultPlan(seed: 8, rules: [FaultRule(route: "*", errorRate: 0.6)])
        let configuration = SandboxConfiguration(pendingSeconds: 0, processingSeconds: 0, faults: faults, manualClock: true)
        try await withSandbox(configuration) { sandbox in
            let result = try await ProvsyncBinary.run(["plan", "--api-url", sandbox.url], in: repo.url,
                                                      environment: environment)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            let faulted = try await sandbox.requests().filter { $0.fault != nil }
            let retrying = result.stderrLines.filter { $0.hasPrefix("retrying: ") }
            let reasons = retrying.compactMap { line in line.firstRange(of: ": ").map { line[$0.upperBound...] } }
                .map { $0.split(separator: ": ", maxSplits: 1).last.map(String.init) ?? "" }
                .map { $0.replacing(#/ \(attempt \d+ of \d+, next in [^)]*\)$/#, with: "") }
            #expect(!retrying.isEmpty, "\(result.stderr)")
            #expect(Set(reasons).count == retrying.count, "one line per reason: \(result.stderr)")
            #expect(retrying.count <= Set(faulted.map(\.status)).count, "\(result.stderr)")
            #expect(faulted.count > retrying.count, "seed 8 retries some reason more than once: \(faulted.map(\.status))")
            #expect(result.stderrLines.contains { $0.hasPrefix("retried ") }, "\(result.stderr)")
            #expect(result.stdout.contains("Plan: "), "\(result.stdout)")
        }
    }
}
