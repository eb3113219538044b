import ProvsyncModel
import ProvsyncPlanning

/// Plans, drift reports and apply reports that exercise every part of the renderings.
enum ReportingFixtures {
    static let here = SourceLocation(file: "manifests/m.yaml", line: 1, column: 1)
    static let source = ManifestSource(repository: "/repo", ref: "HEAD", commit: String(repeating: "a", count: 40),
                                       isWorkingTree: false)

    static func manifest(_ body: Manifest.Body, line: Int) -> Manifest {
        let place = SourceLocation(file: "manifests/\(body.address.name.split(separator: "/").last ?? "m").yaml",
                                   line: line, column: 1)
        return Manifest(body, location: place, identityLocation: place)
    }

    private static let secret = TemplatedString(segments: [.environment(name: "DB_PASSWORD", location: here)])

    /// Desired: an install with a secret, an upgrade, a replace (refused), a create, a card and timeout update,
    /// a delete (`ensure: absent` on acme/legacy); `extra` manifests after those.
    static func desired(extra: [Manifest] = []) -> DesiredState {
        var legacy = manifest(.installation(InstallationManifest(providerName: "acme/legacy")), line: 1)
        legacy.ensure = .absent
        let manifests = [
            manifest(.installation(InstallationManifest(
                providerName: "acme/postgres", version: "1.4.2",
                config: ["LOG_LEVEL": TemplatedString(literal: "info"), "DB_PASSWORD": secret])), line: 1),
            manifest(.installation(InstallationManifest(providerName: "acme/redis", version: "7.2.4")), line: 1),
            manifest(.installation(InstallationManifest(
                providerName: "acme/loki", config: ["LOG_LEVEL": TemplatedString(literal: "debug")])), line: 3),
            manifest(.agentProvider(AgentProviderManifest(
                location: "ghcr.io/acme/research-agent:1.2.0", origin: "ghcr.io/acme/research-agent",
                autoStopTimeoutSec: 900, variables: ["OPENAI_API_KEY": secret])), line: 1),
            manifest(.agentProvider(AgentProviderManifest(
                location: "https://agents.example.com/writer", origin: "https://agents.example.com/writer",
                agentCard: ["name": "Writer", "description": "Writes | things <fast>",
                            "skills": [["id": "draft", "name": "Draft v2"]]])), line: 1),
            legacy,
        ] + extra
        let set = ManifestSet(source: source, manifests: manifests)
        return (try? DesiredState.resolve(set, environment: ["DB_PASSWORD": "pg-s3cret"]).get()) ?? DesiredState()
    }

    static var live: LiveSnapshot {
        LiveSnapshot(
            installations: [
                LiveInstallation(providerName: "acme/redis", installedVersion: "7.0.15"),
                LiveInstallation(providerName: "acme/loki", installedVersion: "2.9.0", config: ["LOG_LEVEL": "info"]),
                LiveInstallation(providerName: "acme/legacy", installedVersion: "0.1.0"),
            ],
            agentProviders: [
                LiveAgentProvider(id: "1b4e28ba-2fa1-11d2-883f-0016d3cca427", source: "https://agents.example.com/writer",
                                  origin: "https://agents.example.com/writer",
                                  agentCard: ["name": "Writer", "description": "Writes | things <fast>",
                                              "skills": [["id": "draft", "name": "Draft"]]],
                                  autoStopTimeoutSec: 600, state: "online"),
                LiveAgentProvider(id: "6fa459ea-ee8a-3ca4-894e-db77e160355e", source: "docker.io/library/old:latest",
                                  origin: "docker.io/library/old"),
            ]
        )
    }

    static var plan: Plan {
        Planner.plan(source: source, desired: desired(), live: live, options: PlanningOptions(salt: "fixed-salt")).plan
    }

    /// The same plan with the redis upgrade planned from the base too.
    static var attributedPlan: Plan {
        var base = plan
        base.changes = base.changes.filter { $0.address == .installation(providerName: "acme/redis") }
        return BaseAttribution.attribute(plan, base: base)
    }

    /// The live value of vault's `DB_PASSWORD` in `drift`, other than the desired one: a sensitive drift.
    static let oldSecret = "pg-0ld-s3cret"

    /// Drift: a missing agent, drifted fields, an unhealthy postgres, and a vault whose secret differs.
    static var drift: DriftReport {
        var live = self.live
        let vault = manifest(.installation(InstallationManifest(providerName: "acme/vault", version: "1.15.0",
                                                                config: ["DB_PASSWORD": secret])), line: 1)
        live.installations.append(LiveInstallation(providerName: "acme/vault", installedVersion: "1.15.0",
                                                   config: ["DB_PASSWORD": oldSecret]))
        live.installations.append(LiveInstallation(providerName: "acme/postgres", installedVersion: "1.4.2",
                                                   config: ["LOG_LEVEL": "info", "DB_PASSWORD": "pg-s3cret"],
                                                   lifecycleState: "failed", health: "degraded",
                                                   healthMessage: "readiness probe failed"))
        return DriftAnalyzer.report(source: source, desired: desired(extra: [vault]), live: live, salt: "fixed-salt")
    }

    static var applyReport: ApplyReport {
        ApplyReport(results: [
            ApplyResult(address: .installation(providerName: "acme/postgres"), action: .install,
                        outcome: .applied("1.4.2, pending")),
            ApplyResult(address: .installation(providerName: "acme/redis"), action: .upgrade,
                        outcome: .failed("POST /providers/installed/acme/redis/upgrade: 409 busy")),
            ApplyResult(address: .agent(origin: "ghcr.io/acme/research-agent"), action: .create,
                        outcome: .notAttempted("interrupted before it started")),
        ])
    }

    static var dryRunReport: ApplyReport {
        ApplyReport(results: [
            ApplyResult(address: .installation(providerName: "acme/postgres"), action: .install,
                        outcome: .wouldApply("version 1.4.2 is published")),
            ApplyResult(address: .installation(providerName: "acme/loki"), action: .replace,
                        outcome: .notAttempted("refused: replacing interrupts the provider")),
            ApplyResult(address: .installation(providerName: "acme/redis"), action: .upgrade,
                        outcome: .wouldFail("version 9.0.0 of acme/redis is not published: the store has no such version")),
        ])
    }
}
