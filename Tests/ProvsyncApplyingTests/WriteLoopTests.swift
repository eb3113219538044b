import ProvsyncApplying
import ProvsyncLive
import ProvsyncModel
import ProvsyncPlanning
import Testing

private let here = SourceLocation(file: "manifests/m.yaml", line: 1, column: 1)
private let source = ManifestSource(repository: "/repo", ref: "HEAD", commit: nil, isWorkingTree: true)

/// Plans `bodies` against what `api` holds now.
private func plan(_ bodies: [Manifest.Body], against api: ScriptedAPI, allowReplace: Bool = false) async throws
    -> ExecutablePlan {
    let manifests = ManifestSet(source: source, manifests: bodies.map { Manifest($0, location: here, identityLocation: here) })
    let desired = try DesiredState.resolve(manifests, environment: [:]).get()
    let live = LiveSnapshot(installations: try await api.installations(), agentProviders: try await api.agentProviders(origin: nil))
    return Planner.plan(source: source, desired: desired, live: live,
                        options: PlanningOptions(allowReplace: allowReplace, salt: "s"))
}

private func apply(_ executable: ExecutablePlan, with api: ScriptedAPI) async -> ApplyReport {
    await Applier(reader: api, writer: api, parallelism: 2).apply(executable)
}

private func outcome(_ report: ApplyReport) -> ApplyOutcome? { report.results.first?.outcome }

private let postgres = Manifest.Body.installation(InstallationManifest(providerName: "acme/postgres", version: "1.0.0"))

@Suite("Applier: send, confirm, resend")
struct WriteLoopTests {
    @Test("a lost reply is confirmed by reading back: applied, sent once")
    func lostReplyConfirmed() async throws {
        let api = ScriptedAPI(script: ["install": [.lostReply]])
        let report = await apply(try await plan([postgres], against: api), with: api)
        guard case .applied(let detail)? = outcome(report) else {
            Issue.record("expected applied: \(report.results)")
            return
        }
        #expect(detail.hasPrefix("confirmed by reading back after: install acme/postgres"))
        #expect(await api.count("install") == 1)
    }

    @Test("a request that never arrived does not show when read back, so it is sent again")
    func droppedThenResent() async throws {
        let api = ScriptedAPI(script: ["install": [.dropped]])
        let report = await apply(try await plan([postgres], against: api), with: api)
        #expect(outcome(report) == .applied("1.0.0, pending"))
        #expect(await api.count("install") == 2)
    }

    @Test("an outcome that never shows is sent at most three times, then reported as not confirmed")
    func neverConfirmed() async throws {
        let api = ScriptedAPI(script: ["install": [.dropped, .dropped, .dropped, .dropped]])
        let report = await apply(try await plan([postgres], against: api), with: api)
        guard case .failed(let message)? = outcome(report) else {
            Issue.record("expected a failure: \(report.results)")
            return
        }
        #expect(message.hasSuffix("(sent 3 times; the change could not be confirmed)"))
        #expect(await api.count("install") == 3)
    }

    @Test("a refusal is reported at once, with no read back and no resend")
    func refusal() async throws {
        let api = ScriptedAPI(script: ["install": [.refused(409)]])
        let report = await apply(try await plan([postgres], against: api), with: api)
        #expect(outcome(report) == .failed("install acme/postgres: 409 refused"))
        #expect(await api.count("install") == 1)
        #expect(await api.count("read installations") == 1, "only the planning read")
    }

    @Test("when reading back fails too, both failures are reported")
    func readBackFails() async throws {
        let api = ScriptedAPI(script: ["install": [.dropped]])
        let executable = try await plan([postgres], against: api)
        await api.failReads(with: APIError(request: "GET /providers/installed", status: 503, kind: .unavailable,
                                           message: "Service Unavailable"))
        let report = await apply(executable, with: api)
        guard case .failed(let message)? = outcome(report) else {
            Issue.record("expected a failure: \(report.results)")
            return
        }
        #expect(message.contains("; reading the object back also failed: GET /providers/installed: 503 Service Unavailable"))
    }

    @Test("uninstalled, but the reinstall failed: the report says the provider is now absent")
    func replaceHalfDone() async throws {
        let api = ScriptedAPI(installations: [LiveInstallation(providerName: "acme/postgres", installedVersion: "1.0.0",
                                                               resourceTier: "free")],
                              script: ["install": [.refused(400)]])
        let executable = try await plan([postgres], against: api, allowReplace: true)
        #expect(executable.plan.changes.map(\.action) == [.replace])
        let report = await apply(executable, with: api)
        guard case .failed(let message)? = outcome(report) else {
            Issue.record("expected a failure: \(report.results)")
            return
        }
        #expect(message == "uninstalled, but the new install failed: install acme/postgres: 400 refused; "
                + "the provider is absent until the next apply installs it")
        #expect(await api.installations.isEmpty)
    }

    @Test("a failed uninstall leaves the provider as it was and installs nothing")
    func replaceUninstallFails() async throws {
        let api = ScriptedAPI(installations: [LiveInstallation(providerName: "acme/postgres", installedVersion: "1.0.0",
                                                               resourceTier: "free")],
                              script: ["uninstall": [.refused(409)]])
        let report = await apply(try await plan([postgres], against: api, allowReplace: true), with: api)
        #expect(outcome(report) == .failed("uninstall: uninstall acme/postgres: 409 refused; the provider was left as it was"))
        #expect(await api.count("install") == 0)
    }

    @Test("an agent provider update whose reply is lost is read back and not sent again")
    func updateLostReply() async throws {
        let live = LiveAgentProvider(id: "p1", source: "ghcr.io/acme/a:1", origin: "ghcr.io/acme/a",
                                     autoStopTimeoutSec: 1200, variables: ["K": "old"])
        let api = ScriptedAPI(providers: [live], script: ["update": [.lostReply]])
        let body = Manifest.Body.agentProvider(AgentProviderManifest(
            location: "ghcr.io/acme/a:1", origin: "ghcr.io/acme/a", autoStopTimeoutSec: 900,
            variables: ["K": TemplatedString(literal: "new")]))
        let report = await apply(try await plan([body], against: api), with: api)
        guard case .applied(let detail)? = outcome(report) else {
            Issue.record("expected applied: \(report.results)")
            return
        }
        #expect(detail.hasPrefix("confirmed by reading back after: update p1"))
        #expect(await api.count("update") == 1)
    }

    @Test("an agent provider update that did not arrive is sent again once reading back shows it missing")
    func updateDropped() async throws {
        let live = LiveAgentProvider(id: "p1", source: "ghcr.io/acme/a:1", origin: "ghcr.io/acme/a", autoStopTimeoutSec: 1200)
        let api = ScriptedAPI(providers: [live], script: ["update": [.dropped]])
        let body = Manifest.Body.agentProvider(AgentProviderManifest(location: "ghcr.io/acme/a:1", origin: "ghcr.io/acme/a",
                                                                     autoStopTimeoutSec: 900))
        let report = await apply(try await plan([body], against: api), with: api)
        #expect(outcome(report) == .applied("updated p1"))
        #expect(await api.count("update") == 2)
    }
}
