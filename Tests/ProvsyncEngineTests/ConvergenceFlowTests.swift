import ProvsyncEngine
import ProvsyncLive
import ProvsyncLiveTestSupport
import ProvsyncModel
import Testing

/// Plan → apply → plan ends in `No changes.` for manifests of every shape the recorded server was tried with,
/// also after the server's background probe has run over them.
@Suite("Engine: plans converge on every recorded manifest shape")
struct ConvergenceFlowTests {
    /// The location spellings of create_location_forms.json, and an image provider with every managed field.
    static let manifests: [String: String] = [
        "manifests/no-slash.yaml": Manifests.agent("http://agent-a.test:18601"),
        "manifests/query.yaml": Manifests.agent("http://agent-b.test:18602?team=blue"),
        "manifests/upper-case-host.yaml": Manifests.agent("http://AGENT-C.TEST:18603/"),
        "manifests/default-port.yaml": Manifests.agent("http://agent-d.test:80/", extra: "  auto_stop_timeout_sec: 900\n"),
        "manifests/path.yaml": Manifests.agent("https://agent-e.test:443/a2a//v1#card", variables: ["MODE": "fast"]),
        "manifests/loopback-ip.yaml": Manifests.agent("http://127.0.0.1:18605/"),
        "manifests/localhost.yaml": Manifests.agent("http://localhost:18606"),
        "manifests/image.yaml": Manifests.agent("ghcr.io/acme/triage:1.0", origin: "ghcr.io/acme/triage-pinned",
                                                variables: ["TEAM": "support"], extra: """
                                                  auto_stop_timeout_sec: 60
                                                  agent_card:
                                                    name: Triage
                                                    description: Sorts tickets.
                                                    url: http://localhost:8000/
                                                    version: "1.0"
                                                    capabilities: {streaming: true}
                                                    defaultInputModes: [text/plain]
                                                    defaultOutputModes: [text/plain]
                                                    skills:
                                                      - {id: triage, name: Triage, description: Routes a ticket., tags: [support]}

                                                """),
    ]

    @Test("every shape converges in one apply and stays converged after the server's probe")
    func everyShapeConverges() async throws {
        try await withHarness(Self.manifests) { harness in
            let (plan, report) = try await harness.apply()
            #expect(plan.changes.count == Self.manifests.count)
            #expect(report.applied.count == Self.manifests.count && !report.isIncomplete, "\(report.results)")
            let second = try await harness.plan()
            #expect(second.summaryLine == "No changes.", "\(second.changes.map { ($0.address, $0.differences) })")
            #expect(second.unmanaged.isEmpty)
            // The probe marks network providers online and recomputes their origins: nothing to plan after it.
            try await harness.sandbox.advanceClock(seconds: 11)
            let afterProbe = try await harness.plan()
            #expect(afterProbe.summaryLine == "No changes.", "\(afterProbe.changes.map { ($0.address, $0.differences) })")
            let drift = try await harness.drift()
            #expect(drift.resources.allSatisfy { $0.status == .inSync }, "\(drift.resources.map { ($0.address, $0.status) })")
        }
    }
}
