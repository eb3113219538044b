import Foundation
import Testing
import ProvsyncSandbox
import ProvsyncTestSupport

/// The fault check of `scripts/bench --faults` at a size CI can afford: every kind of write, under 5xx,
/// 429 and dropped connections on every route, converges within three applies without a write being
/// carried out twice or sent again after the server refused it.
@Suite("Convergence under faults")
struct FaultConvergenceTests {
    private static func installationManifest(_ index: Int, version: String) -> String {
        "apiVersion: provsync/v1\nkind: Installation\nspec:\n  provider_name: acme/svc-\(index)\n  version: \"\(version)\"\n"
    }

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

    /// Writes 8 installations and 8 agents; the changed ones get a new version or timeout, and 8 more of
    /// each kind are added, so an apply holds installs, upgrades, creates and updates.
    private static func write(_ repo: ScratchRepository, changed: Bool) throws {
        for index in 0..<(changed ? 16 : 8) {
            let moved = changed && index < 8 && index.isMultiple(of: 2)
            try repo.write("manifests/svc-\(index).yaml", installationManifest(index, version: moved ? "1.2.0" : "1.0.0"))
            try repo.write("manifests/agent-\(index).yaml", agentManifest(index, timeout: moved ? 600 : 900))
        }
        try repo.commitAll()
    }

    @Test("an apply of installs, upgrades, creates and updates converges within three runs; nothing is done twice")
    func converges() async throws {
        let repo = try ScratchRepository()
        defer { repo.delete() }
        try Self.write(repo, changed: false)
        let sandbox = try await LoopbackSandbox.start()
        defer { Task { await sandbox.stop() } }
        let run = { (arguments: [String]) in
            try await ProvsyncBinary.run(arguments + ["--api-url", sandbox.url, "--parallelism", "4"], in: repo.url,
                                         environment: ["CI": "true"])
        }
        #expect(try await run(["apply", "--auto-approve"]).status == 0)
        try Self.write(repo, changed: true)
        try await sandbox.call("PUT", "/_sandbox/faults", json: ["seed": 11, "rules": [[
            "route": "*", "error_rate": 0.2, "throttle_rate": 0.1, "retry_after_seconds": 0, "drop_rate": 0.1,
            "lost_reply_rate": 0.05,
        ]]])
        var logs: [[[String: Any]]] = []
        for _ in 1...3 {
            try await sandbox.call("DELETE", "/_sandbox/requests")
            let output = try await run(["apply", "--auto-approve"])
            logs.append(try await sandbox.requests())
            if output.status == 0 { break }
        }
        try await sandbox.call("PUT", "/_sandbox/faults", json: ["seed": 1, "rules": [] as [Any]])
        let check = try await run(["plan", "--detailed-exitcode"])
        #expect(check.status == 0, "not converged after \(logs.count) runs:\n\(check.stdout)")

        let handled = logs.map { log in
            log.filter { ($0["fault"] as? String).map { $0 == "lost-reply" } ?? true && $0["method"] as? String != "GET" }
        }
        #expect(handled.joined().contains { $0["route"] as? String == "PATCH /api/v1/providers/{id}" })
        #expect(handled.joined().contains { $0["route"] as? String == "POST /providers/installed/{org}/{name}/upgrade" })
        let faults = logs.joined().compactMap { $0["fault"] as? String }
        #expect(Set(faults).isSuperset(of: ["drop", "lost-reply", "429"]), "the seed must inject every fault: \(faults)")
        let installs = handled.joined().filter { $0["route"] as? String == "POST /providers/install" }
            .compactMap { $0["subject"] as? String }
        #expect(installs.count == Set(installs).count, "an install reached the server twice: \(installs.sorted())")
        for log in handled {
            var refused: Set<String> = []
            for entry in log {
                let key = "\(entry["route"] ?? "") \(entry["subject"] ?? "")"
                #expect(!refused.contains(key), "sent again after the server refused it: \(key)")
                if let status = entry["status"] as? Int, (400..<500).contains(status) { refused.insert(key) }
            }
        }
    }
}
