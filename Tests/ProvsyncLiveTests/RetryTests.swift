import Foundation
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncSandbox
import Testing

/// Retries against the sandbox's fault injection. Seeds are chosen so the injected sequence is known: the
/// sandbox's decision for the n-th request on a route depends only on the seed, the route and n.
@Suite("Retries against injected faults")
struct RetryTests {
    static func configuration(_ seed: UInt64, _ rules: [FaultRule]) -> SandboxConfiguration {
        SandboxConfiguration(pendingSeconds: 0, processingSeconds: 0, faults: FaultPlan(seed: seed, rules: rules),
                             manualClock: true)
    }

    static let install = InstallRequest(providerName: "acme/postgres", version: "1.4.2", resourceTier: .standard,
                                        upgradePolicy: .manual, config: [:])

    @Test("a snapshot succeeds through injected 5xx answers; the log shows the retried GETs")
    func snapshotThroughErrors() async throws {
        let rules = [FaultRule(route: "GET /providers/installed", errorRate: 0.5)]
        try await withSandbox(Self.configuration(1, rules)) { sandbox in
            _ = try await sandbox.writer().install(Self.install)
            let snapshot = try await sandbox.reader().snapshot(parallelism: 2, details: NoDetails())
            #expect(snapshot.installations.map(\.providerName) == ["acme/postgres"])

            let gets = try await sandbox.requests(on: "GET /providers/installed")
            #expect(gets.count > 1)
            #expect(gets.dropLast().allSatisfy { $0.fault != nil && $0.status >= 500 })
            #expect(gets.last?.status == 200)
            #expect(await sandbox.sleeps.delays.count == gets.count - 1)
        }
    }

    @Test("when the installation list fails, the variables reads stop and its error is the one reported")
    func installationListFailure() async throws {
        let rules = [FaultRule(route: "GET /providers/installed", latencyMs: 100, errorRate: 1),
                     FaultRule(route: "GET /api/v1/providers/*/variables", latencyMs: 40)]
        try await withSandbox(Self.configuration(1, rules)) { sandbox in
            var origins: Set<String> = []
            for index in 0..<40 {
                let created = try await sandbox.writer().createAgentProvider(AgentProviderRequest(location: "acme/a\(index):1"))
                origins.insert(created.origin)
            }
            let reader = sandbox.reader(options: sandbox.options(attempts: 1))
            let error = try #require(await apiError { () async throws(APIError) in
                try await reader.snapshot(parallelism: 2, details: VariablesOf(origins: origins))
            })
            #expect(error.request == "GET /providers/installed")
            #expect(error.status == 500)
            // Two at a time, 40 ms each: about 5 reads happen in the 100 ms before the list fails, not 40.
            let reads = try await sandbox.requests(on: "GET /api/v1/providers/{id}/variables").count
            #expect(reads < 20, "\(reads) variables reads after the installation list failed")
        }
    }

    @Test("throttled reads honour Retry-After and succeed")
    func throttledReads() async throws {
        let rules = [FaultRule(route: "GET /api/v1/providers", throttleRate: 0.5, retryAfterSeconds: 0)]
        try await withSandbox(Self.configuration(1, rules)) { sandbox in
            _ = try await sandbox.writer().createAgentProvider(AgentProviderRequest(location: "acme/t:1"))
            let providers = try await sandbox.reader().agentProviders()
            #expect(providers.count == 1)
            let lists = try await sandbox.requests(on: "GET /api/v1/providers")
            #expect(lists.map(\.status) == [429, 200])
            #expect(await sandbox.sleeps.delays == [0], "Retry-After: 0 is honoured instead of the backoff")
        }
    }

    @Test("a write answered 503 is not retried and its outcome is unknown")
    func writeNotRetriedOn503() async throws {
        let rules = [FaultRule(route: "POST /providers/install", errorRate: 1)]
        try await withSandbox(Self.configuration(2, rules)) { sandbox in
            let error = try #require(await apiError { () async throws(APIError) in
                try await sandbox.writer().install(Self.install)
            })
            #expect(error.status == 503, "seed 2 makes the sandbox answer 503 first")
            #expect(error.kind == .unavailable)
            #expect(error.isOutcomeUnknown)
            #expect(error.isTransient)
            #expect(error.attempts == 1)
            #expect(error.description == "POST /providers/install acme/postgres: 503 Injected fault: the sandbox "
                    + "answered 503; the outcome is unknown: the server may or may not have applied the change")
            #expect(try await sandbox.requests(on: "POST /providers/install").count == 1)
            #expect(await sandbox.sleeps.delays.isEmpty)
        }
    }

    @Test("a write answered 429 is retried: the server did nothing")
    func writeRetriedOn429() async throws {
        let rules = [FaultRule(route: "POST /providers/install", throttleRate: 0.5, retryAfterSeconds: 0)]
        try await withSandbox(Self.configuration(9, rules)) { sandbox in
            let installed = try await sandbox.writer().install(Self.install)
            #expect(installed.providerName == "acme/postgres")
            let posts = try await sandbox.requests(on: "POST /providers/install")
            #expect(posts.map(\.status) == [429, 201])
        }
    }

    @Test("a write whose connection drops has an unknown outcome and is not retried")
    func droppedWrite() async throws {
        let rules = [FaultRule(route: "PATCH /api/v1/providers/{id}", dropRate: 1)]
        try await withSandbox(Self.configuration(1, rules)) { sandbox in
            let writer = sandbox.writer()
            let created = try await writer.createAgentProvider(AgentProviderRequest(location: "acme/d:1"))
            let error = try #require(await apiError { () async throws(APIError) in
                try await writer.updateAgentProvider(id: created.id, AgentProviderRequest(
                    origin: created.origin, autoStopTimeoutSec: 100
                ))
            })
            #expect(error.kind == .connectionLost)
            #expect(error.status == nil)
            #expect(error.isOutcomeUnknown)
            #expect(try await sandbox.requests(on: "PATCH /api/v1/providers/{id}").count == 1)
            #expect(await sandbox.sleeps.delays.isEmpty)
        }
    }

    @Test("a dropped read is retried")
    func droppedRead() async throws {
        let rules = [FaultRule(route: "GET /api/v1/providers/{id}", dropRate: 1)]
        try await withSandbox(Self.configuration(1, rules)) { sandbox in
            let error = try #require(await apiError { () async throws(APIError) in
                try await sandbox.reader(options: sandbox.options(attempts: 3)).agentProvider(id: "x")
            })
            #expect(error.kind == .connectionLost)
            #expect(!error.isOutcomeUnknown, "a read changes nothing")
            #expect(error.attempts == 3)
            #expect(try await sandbox.requests(on: "GET /api/v1/providers/{id}").count == 3)
        }
    }

    @Test("a write that times out has an unknown outcome; a sub-second timeout is kept as it is")
    func timedOutWrite() async throws {
        let rules = [FaultRule(route: "POST /api/v1/providers", latencyMs: 3000)]
        try await withSandbox(Self.configuration(1, rules)) { sandbox in
            let writer = sandbox.writer(options: sandbox.options(timeout: 0.2))
            let error = try #require(await apiError { () async throws(APIError) in
                try await writer.createAgentProvider(AgentProviderRequest(location: "acme/slow:1"))
            })
            #expect(error.kind == .timeout)
            #expect(error.isOutcomeUnknown)
            #expect(error.attempts == 1)
            #expect(error.description.contains("within 0.2 s"))
        }
    }
}
