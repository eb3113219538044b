import ProvsyncEngine
import ProvsyncLiveTestSupport
import ProvsyncModel
import ProvsyncReporting
import ProvsyncSandbox
import Testing

/// The fault check of `scripts/bench --faults` at a size CI can afford, in process: every kind of write,
/// under 5xx, 429 and dropped connections on every route, converges within three applies without a write
/// being carried out twice or sent again after the server refused it.
@Suite("Engine: convergence under faults")
struct FaultConvergenceFlowTests {
    private static func agentManifest(_ index: Int, timeout: Int) -> String {
        """
        apiVersion: provsync/v1
        kind: AgentProvider
        spec:
          location: ghcr.io/acme/agent-\(index):1.0.0
          auto_stop_timeout_sec: \(timeout)
          variables:
            TEAM: team-\(index)

        """
    }

    /// 8 installations and 8 agents; the changed ones get a new version or timeout, and 8 more of each kind
    /// are added, so an apply holds installs, upgrades, creates and updates.
    private static func manifests(changed: Bool) -> [String: String] {
        var files: [String: String] = [:]
        for index in 0..<(changed ? 16 : 8) {
            let moved = changed && index < 8 && index.isMultiple(of: 2)
            files["manifests/svc-\(index).yaml"] = Manifests.installation("acme/svc-\(index)",
                                                                          version: moved ? "1.2.0" : "1.0.0")
            files["manifests/agent-\(index).yaml"] = agentManifest(index, timeout: moved ? 600 : 900)
        }
        return files
    }

    @Test("an apply of installs, upgrades, creates and updates converges within three runs; nothing is done twice")
    func converges() async throws {
        try await withHarness(Self.manifests(changed: false)) { harness in
            for index in 0..<16 { try await harness.sandbox.publish("acme/svc-\(index)") }
            let connection = harness.connection(parallelism: 4)
            #expect(try await !harness.apply(connection: connection).report.isIncomplete)
            try harness.commit(Self.manifests(changed: true))
            try await harness.sandbox.setFaults(FaultPlan(seed: 11, rules: [FaultRule(
                route: "*", errorRate: 0.2, throttleRate: 0.1, retryAfterSeconds: 0, dropRate: 0.1, lostReplyRate: 0.05
            )]))
            var logs: [[LoggedRequest]] = []
            for _ in 1...3 {
                try await harness.sandbox.clearRequests()
                // A run exits 1 when a change fails or live state cannot be read; the next run goes on.
                let complete: Bool
                do {
                    complete = try await !harness.apply(connection: connection).report.isIncomplete
                } catch is EngineError {
                    complete = false
                }
                logs.append(try await harness.sandbox.requests())
                if complete { break }
            }
            try await harness.sandbox.setFaults(FaultPlan(seed: 1, rules: []))
            let check = try await harness.inWorkspace(harness.request(), connection: connection) {
                try await $0.plan(PlanOptions()).plan
            }
            #expect(!check.hasChanges,
                    "not converged after \(logs.count) runs:\n\(PlanTextRenderer(colors: false).render(check))")

            let handled = logs.map { log in
                log.filter { ($0.fault.map { $0 == "lost-reply" } ?? true) && $0.method != "GET" }
            }
            #expect(handled.joined().contains { $0.route == "PATCH /api/v1/providers/{id}" })
            #expect(handled.joined().contains { $0.route == "POST /providers/installed/{org}/{name}/upgrade" })
            let faults = logs.joined().compactMap(\.fault)
            #expect(Set(faults).isSuperset(of: ["drop", "lost-reply", "429"]), "the seed must inject every fault: \(faults)")
            let installs = handled.joined().filter { $0.route == "POST /providers/install" }.compactMap(\.subject)
            #expect(installs.count == Set(installs).count, "an install reached the server twice: \(installs.sorted())")
            for log in handled {
                var refused: Set<String> = []
                for entry in log {
                    let key = "\(entry.route) \(entry.subject ?? "")"
                    #expect(!refused.contains(key), "sent again after the server refused it: \(key)")
                    if (400..<500).contains(entry.status) { refused.insert(key) }
                }
            }
        }
    }
}
